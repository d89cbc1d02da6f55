import { badUserInput } from "../domain/errors";
import { getIndicator } from "../indicators/registry";

/** The parameter a list of windows sets. */
export const WINDOW_PARAMETER = "period";

/** Most windows one spec or registration may list. */
export const MAX_WINDOWS = 20;

/** Something computed with given parameters: an indicator spec or a feature registration. */
interface WithParameters {
  readonly indicator: string;
  readonly parameters: Readonly<Record<string, number>>;
}

/**
 * Several windows in one request (qlir's "all windows at once"): `spec` once per window, its `period` set to the
 * window, in the list's order (SMA with windows [20, 50, 200] gives SMA 20, SMA 50 and SMA 200, computed over the same
 * bars read once). Each copy is checked later like any spec (bounds of `period`).
 * @param windows whole numbers of bars, 1..MAX_WINDOWS of them, no repeats
 * @returns one copy of `spec` per window, `parameters.period` = the window
 * @throws DomainError NOT_FOUND (unknown indicator), BAD_USER_INPUT (an empty, too long or repeating list, an indicator
 *   without a `period` parameter, `period` also given in the parameters)
 */
export function expandWindows<T extends WithParameters>(spec: T, windows: readonly number[]): T[] {
  const indicator = getIndicator(spec.indicator);
  if (!indicator.parameters.some((parameter) => parameter.name === WINDOW_PARAMETER)) {
    throw badUserInput(
      `Indicator "${indicator.id}" has no "${WINDOW_PARAMETER}" parameter to take windows (its parameters: ${indicator.parameters.map((parameter) => parameter.name).join(", ") || "none"}); ` +
        "list one spec per parameter set instead.",
    );
  }
  if (Object.hasOwn(spec.parameters, WINDOW_PARAMETER)) {
    throw badUserInput(`Give "${WINDOW_PARAMETER}" either as a parameter or as \`windows\`, not both (indicator "${indicator.id}").`);
  }
  if (windows.length === 0 || windows.length > MAX_WINDOWS) {
    throw badUserInput(`\`windows\` must list 1 to ${MAX_WINDOWS} periods, got ${windows.length} (indicator "${indicator.id}").`);
  }
  const repeated = windows.find((window, index) => windows.indexOf(window) !== index);
  if (repeated !== undefined) throw badUserInput(`\`windows\` lists ${repeated} twice (indicator "${indicator.id}").`);
  return windows.map((window) => ({ ...spec, parameters: { ...spec.parameters, [WINDOW_PARAMETER]: window } }));
}

/**
 * A registration once per window: `<name>_<window>` with `period` = the window (sma_trend with windows [20, 50, 200]
 * gives sma_trend_20, sma_trend_50 and sma_trend_200).
 * @throws DomainError as expandWindows
 */
export function windowRegistrations<T extends WithParameters & { readonly name: string }>(registration: T, windows: readonly number[]): T[] {
  return expandWindows(registration, windows).map((each) => ({ ...each, name: `${registration.name}_${each.parameters[WINDOW_PARAMETER]}` }));
}
