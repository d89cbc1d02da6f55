/**
 * Resampling throughput: 1,000,000 continuous 1m bars → 1h (and → 1d, → 4h) with resampleBars.
 *
 * Input: bench/data.ts synthesizeContinuous (the real 50,000-bar BTCUSDT 1m series concatenated 20× with
 * price scaling; see its description, printed below). Not in package.json; run with
 *   npx tsc -p bench/tsconfig.json && node bench/build/js/bench/resample.bench.js
 * Also measures the same data under the "fx" weekly-session calendar (timestamps kept as they are), to show
 * the cost of the calendar sweep.
 */
import { resampleBars } from "../src/domain/resampling";
import { Timeframe } from "../src/domain/timeframe";
import { ALWAYS_OPEN, parseCalendarPreset, TradingCalendar } from "../src/domain/trading-calendar";
import { SOURCE_CSV, readCsvColumns, synthesizeContinuous } from "./data";
import { measure, sink } from "./timing";

const BAR_COUNT = 1_000_000;
const PLAN = { warmups: 10, runs: 31 };

const { columns, description } = synthesizeContinuous(readCsvColumns(SOURCE_CSV), BAR_COUNT);
process.stdout.write(`Input: ${description}\n`);
process.stdout.write(`node ${process.version}, median of ${PLAN.runs} runs after ${PLAN.warmups} warm-ups\n\n`);
process.stdout.write("| target | calendar | buckets | median ms | min ms | source bars/s |\n");
process.stdout.write("|---|---|---|---|---|---|\n");

const cases: [Timeframe, string, TradingCalendar][] = [
  [Timeframe.H1, "always", ALWAYS_OPEN],
  [Timeframe.H4, "always", ALWAYS_OPEN],
  [Timeframe.D1, "always", ALWAYS_OPEN],
  [Timeframe.H1, "fx", parseCalendarPreset("fx")],
];
for (const [target, calendarName, calendar] of cases) {
  let buckets = 0;
  const m = measure(BAR_COUNT, PLAN, () => {
    const result = resampleBars(columns, Timeframe.M1, target, calendar, { includeIncomplete: false });
    buckets = result.columns.length;
    return result.columns.close[buckets - 1] + result.complete[0];
  });
  process.stdout.write(
    `| ${target} | ${calendarName} | ${buckets} | ${(m.medianNs / 1e6).toFixed(2)} | ${(m.minNs / 1e6).toFixed(2)} | ` +
      `${(m.barsPerSecond / 1e6).toFixed(0)}M |\n`,
  );
}
process.stdout.write(`\n(sink ${sink.value.toPrecision(3)})\n`);
