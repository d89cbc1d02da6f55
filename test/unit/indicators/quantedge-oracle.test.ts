/**
 * Parabolic SAR and SuperTrend against an outside oracle: talipp's outputs on BTCUSDT 1h, January 2025, as kept by
 * dluksza/quantedge-ta (shared/data/oracle/quantedge-ta, see SOURCES.md). Each fixture row is `ts` (the bar's open
 * time, ISO UTC) and the outputs, rounded to 10 decimals.
 * - psar-0.02-0.2.csv: `sar`, `is_long`. SOURCES.md says it equals TA-Lib's SAR; ours reproduces TA_SAR, so every row
 *   must agree (within the fixture's rounding), and `is_long` must be the side of the bar the SAR is on.
 * - supertrend-10-3.csv: `value`, `is_bullish`. talipp's ATR counts bar 0's high - low as a true range and starts one
 *   row earlier (TradingView's seeding), ours is TA-Lib's (true ranges from row 1), so the early rows differ, and the
 *   difference also moves the first trend flip by a bar. Both are the same recursion from different seeds, which is
 *   what our warm-up bounds: from row `warmup(parameters, 1e-9)` on they must agree within 1e-9.
 */
import * as fs from "fs";
import * as path from "path";
import type { BarColumns } from "../../../src/domain/bar";
import { resolveParameters } from "../../../src/indicators/parameters";
import { getIndicator } from "../../../src/indicators/registry";
import { SHARED_DATA_DIR, loadSeries } from "../../support/market-data";

const FOLDER = "oracle/quantedge-ta";

/** One fixture row: the bar's input row and the two output columns as printed. */
interface OracleRow {
  readonly row: number;
  readonly value: number;
  readonly flag: number;
}

/**
 * Reads a fixture of `ts,<value>,<0|1 flag>` rows and places each on its bar of `columns` (matched by open time).
 * @throws Error for a header of other than three columns or a time that is not a bar of the input
 */
function loadOracle(fileName: string, columns: BarColumns): OracleRow[] {
  const lines = fs.readFileSync(path.join(SHARED_DATA_DIR, FOLDER, fileName), "utf8").trim().split(/\r?\n/);
  if (lines[0].split(",").length !== 3 || !lines[0].startsWith("ts,")) throw new Error(`${fileName}: unexpected header ${lines[0]}`);
  const rowOf = new Map<number, number>();
  columns.openTime.forEach((openTime, row) => rowOf.set(openTime, row));
  return lines.slice(1).map((line) => {
    const [ts, value, flag] = line.split(",");
    const row = rowOf.get(Date.parse(ts));
    if (row === undefined) throw new Error(`${fileName}: ${ts} is not a bar of the input`);
    return { row, value: Number(value), flag: Number(flag) };
  });
}

/** Fixture rounding (10 decimals on values near 1e5) and our 1e-9: relative to the oracle's value. */
function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

const columns = loadSeries(`${FOLDER}/BTCUSDT-1h-2025-01.csv`);

describe("sar against talipp's Parabolic SAR 0.02 / 0.2 (= TA-Lib SAR)", () => {
  const sar = getIndicator("sar");
  const [values] = sar.computeBatch(resolveParameters(sar, { acceleration: 0.02, maximum: 0.2 }), columns);
  const oracle = loadOracle("psar-0.02-0.2.csv", columns);

  it("covers every bar from row 1 (the lookback) on", () => {
    expect(oracle[0].row).toBe(sar.lookback(resolveParameters(sar, {})));
    expect(oracle.length).toBe(columns.length - 1);
    expect(values[0]).toBeNaN();
  });

  it("every row within 1e-12 relative, and is_long exactly where the SAR is at or below the bar's low", () => {
    const mismatches = oracle.filter(({ row, value }) => !(relativeError(values[row], value) <= 1e-12)).map(({ row }) => row);
    expect(mismatches).toEqual([]);
    const sideMismatches = oracle.filter(({ row, flag }) => (values[row] <= columns.low[row]) !== (flag === 1)).map(({ row }) => row);
    expect(sideMismatches).toEqual([]);
    // Both trends occur, so the side check is not vacuous.
    expect(new Set(oracle.map(({ flag }) => flag))).toEqual(new Set([0, 1]));
  });
});

describe("supertrend against talipp's SuperTrend 10 / 3 (ATR seeded otherwise)", () => {
  const supertrend = getIndicator("supertrend");
  const parameters = resolveParameters(supertrend, { period: 10, multiplier: 3 });
  const [values, direction] = supertrend.computeBatch(parameters, columns);
  const oracle = loadOracle("supertrend-10-3.csv", columns);
  const warmup = supertrend.warmup(parameters, 1e-9);

  it("the seeds differ: the first rows disagree beyond the fixture's rounding (so the comparison must wait for the warm-up)", () => {
    const first = oracle[0];
    expect(first.row).toBe(supertrend.lookback(parameters));
    expect(relativeError(values[first.row], first.value)).toBeGreaterThan(1e-4);
    expect(warmup).toBeLessThan(columns.length - 300);
  });

  it("from our 1e-9 warm-up on, every value within 1e-9 relative and the same direction", () => {
    const checked = oracle.filter(({ row }) => row >= warmup);
    expect(checked.length).toBeGreaterThanOrEqual(300);
    const valueMismatches = checked.filter(({ row, value }) => !(relativeError(values[row], value) <= 1e-9)).map(({ row }) => row);
    expect(valueMismatches).toEqual([]);
    const directionMismatches = checked.filter(({ row, flag }) => direction[row] !== (flag === 1 ? 1 : -1)).map(({ row }) => row);
    expect(directionMismatches).toEqual([]);
    expect(new Set(checked.map(({ flag }) => flag))).toEqual(new Set([0, 1]));
  });
});
