/**
 * The meaning of `ToleranceScale` (src/indicators/tolerance-scale.ts) as the tests apply it: the magnitude
 * a relative tolerance on an output is multiplied by at a given row.
 */
import { PriceField, type BarColumns } from "../../../src/domain/bar";
import type { IndicatorDefinition } from "../../../src/indicators/indicator";
import { ToleranceScale, VOLUME_SCALE_BARS } from "../../../src/indicators/tolerance-scale";

const PRICE_FIELDS: readonly PriceField[] = [PriceField.OPEN, PriceField.HIGH, PriceField.LOW, PriceField.CLOSE];

/**
 * The scale of output `output` of `indicator` at `row`: |reference| for VALUE, the level of the indicator's
 * first price input at that row for PRICE (its square for PRICE_SQUARED), 100 for OSCILLATOR_100, the mean volume of the VOLUME_SCALE_BARS bars
 * ending at the row for VOLUME.
 * @throws Error when a PRICE-scaled indicator reads no price column
 */
export function toleranceScaleAt(indicator: IndicatorDefinition, output: number, columns: BarColumns, row: number, reference: number): number {
  switch (indicator.outputs[output].scale) {
    case ToleranceScale.VALUE:
      return Math.abs(reference);
    case ToleranceScale.OSCILLATOR_100:
      return 100;
    case ToleranceScale.VOLUME: {
      const first = Math.max(0, row - VOLUME_SCALE_BARS + 1);
      let total = 0;
      for (let i = first; i <= row; i++) total += columns.volume[i];
      return total / (row - first + 1);
    }
    case ToleranceScale.PRICE:
      return priceLevel(indicator, columns, row);
    case ToleranceScale.PRICE_SQUARED:
      return priceLevel(indicator, columns, row) ** 2;
  }
}

/** |first price input| of `indicator` at `row`. @throws Error when the indicator reads no price column */
function priceLevel(indicator: IndicatorDefinition, columns: BarColumns, row: number): number {
  const field = indicator.inputs.find((input) => PRICE_FIELDS.includes(input));
  if (field === undefined) throw new Error(`${indicator.id}: PRICE scale without a price input`);
  return Math.abs(columns[field][row]);
}
