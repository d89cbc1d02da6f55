/**
 * Checkpoints of streaming state: a stream captured after some bars (captureState), passed through v8's structured
 * serialization as the checkpoint store does, and restored into a fresh stream of the same parameters
 * (restoreState), continues with exactly (Object.is) the batch values, for every indicator and parameter set, at
 * several cut points: before the lookback, at it, and deep in the series. A stream of other parameters refuses the
 * state.
 */
import { deserialize, serialize } from "node:v8";
import { barAt } from "../../../src/domain/bar";
import { captureState, restoreState } from "../../../src/domain/object-state";
import { resolveParameters } from "../../../src/indicators/parameters";
import { loadSeries } from "../../support/market-data";
import { casesOf } from "./registry-cases";
import { contextOf } from "../../support/series-contexts";

const columns = loadSeries("BTCUSDT-1h.csv");
const context = contextOf("BTCUSDT-1h.csv");
const ROWS = 3_000;

describe("streaming state survives a checkpoint", () => {
  it.each(casesOf())("$label: resumed streams equal batch on every later row", ({ indicator, given }) => {
    const parameters = resolveParameters(indicator, given);
    const batch = indicator.computeBatch(parameters, columns, context);
    const lookback = indicator.lookback(parameters);
    for (const cut of new Set([1, Math.max(1, lookback - 1), lookback + 1, 2_000].filter((row) => row < ROWS))) {
      const original = indicator.createStream(parameters, context);
      for (let row = 0; row < cut; row++) original.update(barAt(columns, row));
      const saved = deserialize(serialize(captureState(original)));
      // Changing the original afterwards must not reach the saved state.
      original.update(barAt(columns, cut));
      const resumed = indicator.createStream(parameters, context);
      restoreState(resumed, saved);
      expect(resumed.count).toBe(cut);
      for (let row = cut; row < ROWS; row++) {
        const values = resumed.update(barAt(columns, row));
        for (let output = 0; output < values.length; output++) {
          if (!Object.is(values[output], batch[output][row])) {
            throw new Error(`cut ${cut}, ${indicator.outputs[output].name}[${row}]: resumed ${values[output]}, batch ${batch[output][row]}`);
          }
        }
      }
    }
  });

  it("refuses the state of a stream with other parameters", () => {
    const rsi = casesOf().find((entry) => entry.indicator.id === "rsi")!.indicator;
    const bollinger = casesOf().find((entry) => entry.indicator.id === "bbands")!.indicator;
    const short = bollinger.createStream(resolveParameters(bollinger, { period: 5 }), context);
    for (let row = 0; row < 10; row++) short.update(barAt(columns, row));
    const state = captureState(short);
    expect(() => restoreState(bollinger.createStream(resolveParameters(bollinger, { period: 20 }), context), state)).toThrow(RangeError);
    expect(() => restoreState(rsi.createStream(resolveParameters(rsi, {}), context), state)).toThrow(RangeError);
  });
});
