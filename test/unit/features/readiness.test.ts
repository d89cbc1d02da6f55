import { HolidayCalendar } from "../../../src/domain/holidays";
import { Timeframe } from "../../../src/domain/timeframe";
import { ALWAYS_OPEN, isTradingSlot, parseCalendarPreset, withClosures } from "../../../src/domain/trading-calendar";
import { evaluateReadiness, ReadinessStatus, worstStatus, type FeatureNeed } from "../../../src/features/readiness";
import { resolveParameters } from "../../../src/indicators/parameters";
import { getIndicator } from "../../../src/indicators/registry";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ms = (iso: string) => Date.parse(iso);
/** `count` consecutive open times of `step` ms ending at `last` (inclusive), skipping those `skip` rejects. */
function openTimes(last: number, count: number, step: number, skip: (time: number) => boolean = () => false): number[] {
  const times: number[] = [];
  for (let time = last; times.length < count; time -= step) if (!skip(time)) times.unshift(time);
  return times;
}
const need = (reference: string, requiredBars: number): FeatureNeed => ({ reference, requiredBars });
const profileOf = (times: number[]) => ({ barCount: times.length, recentOpenTimes: times });

describe("evaluateReadiness", () => {
  const NOW = ms("2024-03-06T10:30:00Z"); // a Wednesday

  it("READY: crypto with enough bars, no gap, the newest closed hour stored", () => {
    const times = openTimes(ms("2024-03-06T09:00:00Z"), 500, HOUR);
    const readiness = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, profileOf(times), [need("rsi_14@1", 357)]);
    expect(readiness).toMatchObject({ status: ReadinessStatus.READY, barsBehind: 0, newestOpenTime: times[499], lagMs: 30 * 60_000 });
    expect(readiness.features[0]).toMatchObject({ status: ReadinessStatus.READY, requiredBars: 357, availableBars: 500, gaps: [] });
  });

  it("CATCHING_UP: three closed hours missing at the end, counted", () => {
    const times = openTimes(ms("2024-03-06T06:00:00Z"), 500, HOUR);
    const readiness = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, profileOf(times), [need("rsi_14@1", 357)]);
    expect(readiness).toMatchObject({ status: ReadinessStatus.CATCHING_UP, barsBehind: 3 });
  });

  it("an FX weekend is not catching up; the same gap on a Tuesday is", () => {
    const fx = parseCalendarPreset("fx");
    const fridayClose = ms("2024-03-08T22:00:00Z"); // 17:00 New York (EST until March 10)
    const times = openTimes(fridayClose - HOUR, 500, HOUR, (time) => !isTradingSlot(fx, time, time + HOUR));
    const sunday = evaluateReadiness(fx, Timeframe.H1, ms("2024-03-10T12:00:00Z"), profileOf(times), [need("ema_20@1", 274)]);
    expect(sunday).toMatchObject({ status: ReadinessStatus.READY, barsBehind: 0 });
    const tuesday = evaluateReadiness(fx, Timeframe.H1, ms("2024-03-12T12:00:00Z"), profileOf(times), [need("ema_20@1", 274)]);
    expect(tuesday.status).toBe(ReadinessStatus.CATCHING_UP);
    expect(tuesday.barsBehind).toBeGreaterThan(30);
  });

  it("a holiday is neither a gap nor catching up (NYSE, Thanksgiving 2023), and is listed as skipped", () => {
    const nyse = parseCalendarPreset("nyse");
    const tradingDay = (time: number) => [0, 6].includes(new Date(time).getUTCDay()) || time === ms("2023-11-23T00:00:00Z");
    const times = openTimes(ms("2023-11-22T00:00:00Z"), 60, DAY, tradingDay);
    const thanksgivingNoon = ms("2023-11-23T12:00:00Z");
    const readiness = evaluateReadiness(nyse, Timeframe.D1, thanksgivingNoon + DAY, profileOf(times), [need("sma_20@1", 20)]);
    expect(readiness.status).toBe(ReadinessStatus.READY);
    const withTheHoliday = [...times.slice(1), ms("2023-11-24T00:00:00Z")];
    const later = evaluateReadiness(nyse, Timeframe.D1, ms("2023-11-25T12:00:00Z"), profileOf(withTheHoliday), [need("sma_20@1", 20)]);
    expect(later.features[0]).toMatchObject({ status: ReadinessStatus.READY, gaps: [], skippedClosures: [{ date: "2023-11-23", reason: "NYSE holiday: Thanksgiving Day" }] });
  });

  it("GAP_DETECTED only for a gap inside the feature's warm-up window", () => {
    const hole = (time: number) => time >= ms("2024-03-05T00:00:00Z") && time < ms("2024-03-05T03:00:00Z");
    const times = openTimes(ms("2024-03-06T09:00:00Z"), 500, HOUR, hole);
    const readiness = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, profileOf(times), [need("sma_5@1", 5), need("rsi_14@1", 357)]);
    expect(readiness.features.map((feature) => feature.status)).toEqual([ReadinessStatus.READY, ReadinessStatus.GAP_DETECTED]);
    expect(readiness.features[1].gaps).toEqual([{ firstMissingOpenTime: ms("2024-03-05T00:00:00Z"), lastMissingOpenTime: ms("2024-03-05T02:00:00Z"), missingBars: 3 }]);
    expect(readiness.status).toBe(ReadinessStatus.GAP_DETECTED);
  });

  it("a gap a provider confirmed (an exchange outage) is reported as confirmed, not GAP_DETECTED", () => {
    const hole = (time: number) => time >= ms("2024-03-05T00:00:00Z") && time < ms("2024-03-05T03:00:00Z");
    const times = openTimes(ms("2024-03-06T09:00:00Z"), 500, HOUR, hole);
    const confirmed = { firstMissingOpenTime: ms("2024-03-05T00:00:00Z"), lastMissingOpenTime: ms("2024-03-05T02:00:00Z"), missingBars: 3 };
    const readiness = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, { ...profileOf(times), confirmedGaps: [confirmed] }, [need("rsi_14@1", 357)]);
    expect(readiness.features[0]).toMatchObject({ status: ReadinessStatus.READY, gaps: [], confirmedGaps: [confirmed] });
    const partly = { ...confirmed, lastMissingOpenTime: ms("2024-03-05T00:00:00Z"), missingBars: 1 };
    const unconfirmedRest = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, { ...profileOf(times), confirmedGaps: [partly] }, [need("rsi_14@1", 357)]);
    expect(unconfirmedRest.features[0]).toMatchObject({
      status: ReadinessStatus.GAP_DETECTED,
      gaps: [{ firstMissingOpenTime: ms("2024-03-05T01:00:00Z"), lastMissingOpenTime: ms("2024-03-05T02:00:00Z"), missingBars: 2 }],
    });
  });

  it("a configured closure is skipped like a holiday", () => {
    const outage = withClosures(ALWAYS_OPEN, HolidayCalendar.NONE, new Map([["2024-03-05", "exchange outage"]]));
    const times = openTimes(ms("2024-03-06T09:00:00Z"), 400, HOUR, (time) => new Date(time).toISOString().startsWith("2024-03-05"));
    const readiness = evaluateReadiness(outage, Timeframe.H1, NOW, profileOf(times), [need("rsi_14@1", 357)]);
    expect(readiness.features[0]).toMatchObject({ status: ReadinessStatus.READY, skippedClosures: [{ date: "2024-03-05", reason: "configured closure: exchange outage" }] });
  });

  it("WARMING_UP with fewer bars than MACD's warm-up (its slowest EMA and its signal)", () => {
    const macd = getIndicator("macd");
    const required = macd.warmup(resolveParameters(macd, {}), 1e-9) + 1;
    expect(required).toBeGreaterThan(macd.lookback(resolveParameters(macd, {})) + 300);
    const times = openTimes(ms("2024-03-06T09:00:00Z"), required - 1, HOUR);
    const readiness = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, profileOf(times), [need("macd_hist@1", required)]);
    expect(readiness.features[0]).toMatchObject({ status: ReadinessStatus.WARMING_UP, requiredBars: required, availableBars: required - 1 });
    const enough = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, profileOf(openTimes(ms("2024-03-06T09:00:00Z"), required, HOUR)), [need("macd_hist@1", required)]);
    expect(enough.status).toBe(ReadinessStatus.READY);
  });

  it("a whole-history feature (OBV) is warm with one bar, and any gap of the series counts", () => {
    const times = openTimes(ms("2024-03-06T09:00:00Z"), 2_000, HOUR, (time) => time === ms("2024-01-10T00:00:00Z"));
    const readiness = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, profileOf(times), [need("obv@1", Number.POSITIVE_INFINITY)]);
    expect(readiness.features[0]).toMatchObject({ status: ReadinessStatus.GAP_DETECTED, gaps: [{ missingBars: 1 }] });
  });

  it("NO_DATA without a closed bar; the worst status wins", () => {
    const readiness = evaluateReadiness(ALWAYS_OPEN, Timeframe.H1, NOW, { barCount: 0, recentOpenTimes: [] }, [need("rsi_14@1", 357)]);
    expect(readiness).toMatchObject({ status: ReadinessStatus.NO_DATA, newestOpenTime: undefined, features: [{ status: ReadinessStatus.NO_DATA }] });
    expect(worstStatus([ReadinessStatus.READY, ReadinessStatus.CATCHING_UP, ReadinessStatus.WARMING_UP])).toBe(ReadinessStatus.WARMING_UP);
    expect(worstStatus([ReadinessStatus.GAP_DETECTED, ReadinessStatus.NO_DATA])).toBe(ReadinessStatus.NO_DATA);
    expect(worstStatus([])).toBe(ReadinessStatus.READY);
  });
});
