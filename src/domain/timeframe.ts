import { badUserInput } from "./errors";

/** Bar timeframes. Inside the program a timeframe is always this enum; labels such as "1m" exist only at boundaries. */
export enum Timeframe {
  M1 = "M1",
  M5 = "M5",
  M15 = "M15",
  M30 = "M30",
  H1 = "H1",
  H4 = "H4",
  D1 = "D1",
}

const MINUTE_MS = 60_000;

const DURATION_MS: Readonly<Record<Timeframe, number>> = {
  [Timeframe.M1]: MINUTE_MS,
  [Timeframe.M5]: 5 * MINUTE_MS,
  [Timeframe.M15]: 15 * MINUTE_MS,
  [Timeframe.M30]: 30 * MINUTE_MS,
  [Timeframe.H1]: 60 * MINUTE_MS,
  [Timeframe.H4]: 240 * MINUTE_MS,
  [Timeframe.D1]: 1440 * MINUTE_MS,
};

const LABEL: Readonly<Record<Timeframe, string>> = {
  [Timeframe.M1]: "1m",
  [Timeframe.M5]: "5m",
  [Timeframe.M15]: "15m",
  [Timeframe.M30]: "30m",
  [Timeframe.H1]: "1h",
  [Timeframe.H4]: "4h",
  [Timeframe.D1]: "1d",
};

const BY_LABEL: ReadonlyMap<string, Timeframe> = new Map(
  (Object.keys(LABEL) as Timeframe[]).map((timeframe) => [LABEL[timeframe], timeframe]),
);

/** All timeframes, shortest first. */
export const ALL_TIMEFRAMES: readonly Timeframe[] = Object.values(Timeframe);

/** Duration of one bar of `timeframe` in milliseconds (1m → 60000). */
export function timeframeDurationMs(timeframe: Timeframe): number {
  return DURATION_MS[timeframe];
}

/** Boundary label of a timeframe: Timeframe.H1 → "1h". */
export function timeframeLabel(timeframe: Timeframe): string {
  return LABEL[timeframe];
}

/**
 * Parses a boundary label ("1m", "5m", "15m", "30m", "1h", "4h", "1d"; also the enum names "M1".."D1").
 * @throws DomainError BAD_USER_INPUT naming the accepted labels
 */
export function parseTimeframe(text: string): Timeframe {
  const trimmed = text.trim();
  const timeframe = BY_LABEL.get(trimmed) ?? (ALL_TIMEFRAMES as readonly string[]).find((name) => name === trimmed);
  if (timeframe === undefined) {
    throw badUserInput(`Unknown timeframe "${text}". Use one of ${[...BY_LABEL.keys()].join(", ")}.`);
  }
  return timeframe as Timeframe;
}

/**
 * True when `openTimeMs` (epoch milliseconds, UTC) starts a bar of `timeframe` on the UTC grid:
 * every timeframe divides a day, and the epoch is 00:00 UTC, so grid slots are multiples of the duration.
 */
export function isOnGrid(openTimeMs: number, timeframe: Timeframe): boolean {
  return Number.isInteger(openTimeMs) && openTimeMs % DURATION_MS[timeframe] === 0;
}

/** Close time of the bar opening at `openTimeMs`: openTime + duration(timeframe), epoch ms. */
export function closeTimeOf(openTimeMs: number, timeframe: Timeframe): number {
  return openTimeMs + DURATION_MS[timeframe];
}

/** The open time of the grid slot containing `timeMs` (floor to the grid), epoch ms. */
export function floorToGrid(timeMs: number, timeframe: Timeframe): number {
  const duration = DURATION_MS[timeframe];
  return Math.floor(timeMs / duration) * duration;
}
