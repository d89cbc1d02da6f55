import { allocateBarColumns } from "../../../src/domain/bar";
import type { OpenTimeRange } from "../../../src/domain/open-time-range";
import { Timeframe } from "../../../src/domain/timeframe";
import { IndicatorQueryService } from "../../../src/features/indicator-query.service";
import type { MarketDataReader } from "../../../src/features/ports/market-data-reader";
import { MAX_INDICATOR_WARMUP_BARS } from "../../../src/features/query-limits";

const HOUR = 3_600_000;
const FROM = 1_000_000 * HOUR;

/**
 * A reader over a series of `stored` hourly bars ending at FROM + 9 h (10 in range): it serves the newest
 * `warmupBars` before FROM as warm-up and records what it was asked for.
 */
function readerOf(stored: number, during?: () => void) {
  const asked: number[] = [];
  const reader = {
    findInstruments: async (symbols: readonly string[]) => new Map(symbols.map((symbol) => [symbol, { symbol }])),
    async readColumnsWithWarmup(_symbol: string, _timeframe: Timeframe, _range: OpenTimeRange, warmupBars: number) {
      asked.push(warmupBars);
      during?.();
      const warmup = Math.min(warmupBars, stored - 10);
      const columns = allocateBarColumns(warmup + 10);
      for (let row = 0; row < columns.length; row++) {
        columns.openTime[row] = FROM + (row - warmup) * HOUR;
        columns.close[row] = 100 + (row % 7);
        columns.volume[row] = 1 + (row % 3);
      }
      return { columns, warmupBars: warmup, incompleteOpenTimes: [] };
    },
  };
  return { reader: reader as unknown as MarketDataReader, asked };
}

const query = (indicator: string) => ({ symbol: "X", timeframe: Timeframe.H1, from: FROM, to: FROM + 9 * HOUR, specs: [{ indicator, parameters: {} }] });

describe("IndicatorQueryService warm-up and cancellation", () => {
  it("loads OBV's whole history when it is short enough, and calls it sufficient", async () => {
    const { reader, asked } = readerOf(5_000);
    const [obv] = (await new IndicatorQueryService(reader).compute(query("obv"))).results;
    expect(asked).toEqual([MAX_INDICATOR_WARMUP_BARS + 1]);
    expect(obv.warmupBarsAvailable).toBe(4_990);
    expect(obv.firstReliableRow).toBe(0);
  });

  it("loads at most MAX_INDICATOR_WARMUP_BARS of a longer history for OBV and says no row is final", async () => {
    const { reader } = readerOf(MAX_INDICATOR_WARMUP_BARS + 500);
    const result = await new IndicatorQueryService(reader).compute(query("obv"));
    expect(result.results[0].warmupBarsAvailable).toBe(MAX_INDICATOR_WARMUP_BARS);
    expect(result.results[0].firstReliableRow).toBe(10);
    expect(result.openTimes).toHaveLength(10);
  });

  it("stops before computing when its signal aborts during the read", async () => {
    const controller = new AbortController();
    const { reader } = readerOf(1_000, () => controller.abort());
    await expect(new IndicatorQueryService(reader).compute(query("ema"), controller.signal)).rejects.toMatchObject({ name: "AbortError" });
  });
});
