import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { PriceField } from "../domain/bar";
import { WARMUP_TOLERANCE } from "../features/indicator-query.service";
import type { IndicatorDefinition } from "../indicators/indicator";
import { IndicatorGroup } from "../indicators/indicator-group";
import { ReferenceKind } from "../indicators/reference";
import { ToleranceScale } from "../indicators/tolerance-scale";
import { resolveParameters } from "../indicators/parameters";
import { finiteOrNull } from "./indicator-series.type";

registerEnumType(PriceField, { name: "PriceField", description: "A column of a bar that an indicator reads." });

@ObjectType("IndicatorParameter", { description: "A numeric parameter of an indicator, with its default and bounds." })
export class IndicatorParameterType {
  @Field(() => String, { description: 'Parameter name as used in a spec, e.g. "period".' })
  name!: string;

  @Field(() => String, { description: "What the parameter controls." })
  description!: string;

  @Field(() => Float, { description: "Value used when a spec leaves the parameter out." })
  defaultValue!: number;

  @Field(() => Float, { description: "Smallest accepted value (inclusive)." })
  minimum!: number;

  @Field(() => Float, { description: "Largest accepted value (inclusive)." })
  maximum!: number;

  @Field(() => Boolean, { description: "True when only whole numbers are accepted." })
  integer!: boolean;
}

registerEnumType(IndicatorGroup, {
  name: "IndicatorGroup",
  description: "The family an indicator belongs to.",
  valuesConfig: {
    TREND: { description: "Averages and envelopes that follow the price's direction." },
    MOMENTUM: { description: "Speed and strength of price moves, often bounded oscillators." },
    VOLATILITY: { description: "Size of price moves and ranges." },
    VOLUME: { description: "Built on traded volume." },
    STATISTICS: { description: "Statistics of a window." },
    TRANSFORM: { description: "Per-bar transforms of prices." },
  },
});

registerEnumType(ToleranceScale, {
  name: "ToleranceScale",
  description: "What the 1e-9 relative agreement of an output (with its reference, and after the warm-up with full history) is relative to.",
  valuesConfig: {
    VALUE: { description: "The value itself (averages, bands, ATR, volumes, percentages)." },
    PRICE: { description: "The level of the price input: outputs in the price's unit that cross zero (MACD's lines)." },
    PRICE_SQUARED: { description: "The square of the price input's level: outputs in price² (variance)." },
    OSCILLATOR_100: { description: "100: oscillators bounded by 0 and 100 (RSI, Stochastic)." },
    VOLUME: { description: "A typical bar's volume (the mean of the last 20 bars): volume-unit outputs that cross zero (Chaikin oscillator)." },
  },
});

registerEnumType(ReferenceKind, {
  name: "ReferenceKind",
  description: "What an indicator's values are checked against.",
  valuesConfig: {
    TALIB: { description: "A TA-Lib function, matched bit for bit on real series." },
    CITED: { description: "A published definition TA-Lib lacks, with worked examples computed independently." },
  },
});

@ObjectType("IndicatorOutputSpec", { description: "One output column of an indicator." })
export class IndicatorOutputSpecType {
  @Field(() => String, { description: 'Output name, e.g. "signal"; single-output indicators call it "value".' })
  name!: string;

  @Field(() => String, { description: "What the output means." })
  description!: string;

  @Field(() => ToleranceScale, { description: "What the output's 1e-9 tolerance is relative to: the value, the price or volume scale for outputs that cross zero, or 100 for oscillators." })
  toleranceScale!: ToleranceScale;
}

@ObjectType("IndicatorReference", { description: "What an indicator's values are checked against in the tests." })
export class IndicatorReferenceType {
  @Field(() => ReferenceKind, { description: "A TA-Lib function, or a cited definition." })
  kind!: ReferenceKind;

  @Field(() => String, { description: 'For TALIB: the TA-Lib function, e.g. "TA_MACD"; for CITED: the citation.' })
  source!: string;

  @Field(() => String, {
    nullable: true,
    description: "For TALIB: why the values may differ from TA-Lib's in the last bits (they agree within 1e-9); null when they are bit-identical.",
  })
  lastBitsDiffer!: string | null;
}

@ObjectType("IndicatorMetadata", { description: "What an indicator computes, from which inputs, and how much history it needs." })
export class IndicatorMetadataType {
  @Field(() => String, { description: 'Identifier used in specs, e.g. "rsi".' })
  id!: string;

  @Field(() => String, { description: 'Full name, e.g. "Relative Strength Index".' })
  name!: string;

  @Field(() => String, { description: "What it measures and how to read it." })
  description!: string;

  @Field(() => String, { description: "Origin of the formula and the reference it matches (TA-Lib)." })
  source!: string;

  @Field(() => Int, { description: "Algorithm version; changes whenever any output value could change." })
  version!: number;

  @Field(() => [PriceField], { description: "Bar columns the indicator reads." })
  inputs!: PriceField[];

  @Field(() => IndicatorGroup, { description: "The family the indicator belongs to." })
  group!: IndicatorGroup;

  @Field(() => IndicatorReferenceType, { description: "What its values are checked against: a TA-Lib function or a cited source." })
  reference!: IndicatorReferenceType;

  @Field(() => [IndicatorParameterType], { description: "Parameters with defaults and bounds." })
  parameters!: IndicatorParameterType[];

  @Field(() => [IndicatorOutputSpecType], { description: "Output columns, in the order results return them." })
  outputs!: IndicatorOutputSpecType[];

  @Field(() => Int, { description: "With default parameters: index of the first defined value (TA-Lib lookback)." })
  defaultLookback!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      `With default parameters: bars of history needed before a value is within ${WARMUP_TOLERANCE} (relative) of its ` +
      "full-history value; null when values depend on the whole history (OBV).",
  })
  defaultWarmupBars!: number | null;

  static from(definition: IndicatorDefinition): IndicatorMetadataType {
    const defaults = resolveParameters(definition, {});
    return Object.assign(new IndicatorMetadataType(), {
      id: definition.id,
      name: definition.name,
      description: definition.description,
      source: definition.source,
      version: definition.version,
      inputs: [...definition.inputs],
      parameters: definition.parameters.map((parameter) => Object.assign(new IndicatorParameterType(), parameter)),
      group: definition.group,
      reference: Object.assign(new IndicatorReferenceType(), {
        kind: definition.reference.kind,
        source: definition.reference.kind === ReferenceKind.TALIB ? `TA_${definition.reference.function}` : definition.reference.citation,
        lastBitsDiffer: (definition.reference.kind === ReferenceKind.TALIB && definition.reference.lastBitsDiffer) || null,
      }),
      outputs: definition.outputs.map((output) =>
        Object.assign(new IndicatorOutputSpecType(), { name: output.name, description: output.description, toleranceScale: output.scale }),
      ),
      defaultLookback: definition.lookback(defaults),
      defaultWarmupBars: finiteOrNull(definition.warmup(defaults, WARMUP_TOLERANCE)),
    });
  }
}
