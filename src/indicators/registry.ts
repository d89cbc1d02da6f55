import { notFound } from "../domain/errors";
import { ad } from "./ad";
import { adosc } from "./adosc";
import { aroon, aroonosc } from "./aroon";
import { arp } from "./arp";
import { atr } from "./atr";
import { bandtouches } from "./bandtouches";
import { bbands } from "./bbands";
import { bop } from "./bop";
import { cci } from "./cci";
import { cmo } from "./cmo";
import { adx, adxr, dx, minusdi, minusdm, plusdi, plusdm } from "./directional-indicators";
import { donchian } from "./donchian";
import { ema } from "./ema";
import type { IndicatorDefinition } from "./indicator";
import { hma } from "./hma";
import { ichimoku } from "./ichimoku";
import { kama } from "./kama";
import { keltner } from "./keltner";
import { linearreg, linearregAngle, linearregIntercept, linearregSlope, tsf } from "./linear-regression";
import { macd } from "./macd";
import { mfi } from "./mfi";
import { midpoint, midprice } from "./midrange";
import { mom } from "./mom";
import { dema, tema, trix } from "./multiple-ema";
import { natr } from "./natr";
import { obv } from "./obv";
import { percentRank } from "./percent-rank";
import { apo, ppo } from "./price-oscillator";
import { realizedVolatility } from "./realized-volatility";
import { lag, logReturn, simpleReturn } from "./returns";
import { rangeshock } from "./rangeshock";
import { rollingMaximum, rollingMinimum } from "./rolling-extremes";
import { roc } from "./roc";
import { rsi } from "./rsi";
import { sar } from "./sar";
import { sma } from "./sma";
import { stddev } from "./stddev";
import { stoch } from "./stoch";
import { stochf } from "./stochf";
import { stochrsi } from "./stochrsi";
import { supertrend } from "./supertrend";
import { t3 } from "./t3";
import { trange } from "./trange";
import { trima } from "./trima";
import { ultosc } from "./ultosc";
import { variance } from "./variance";
import { willr } from "./willr";
import { vwap } from "./vwap";
import { wma } from "./wma";
import { zscore } from "./zscore";

/** Every indicator Candela computes, in the order they are listed to users. */
export const INDICATORS: readonly IndicatorDefinition[] = Object.freeze([
  sma,
  ema,
  wma,
  hma,
  dema,
  tema,
  trima,
  kama,
  t3,
  midpoint,
  midprice,
  ichimoku,
  sar,
  rsi,
  cmo,
  macd,
  apo,
  ppo,
  stoch,
  stochf,
  stochrsi,
  roc,
  mom,
  trix,
  willr,
  ultosc,
  aroon,
  aroonosc,
  cci,
  adx,
  adxr,
  dx,
  plusdi,
  minusdi,
  plusdm,
  minusdm,
  bop,
  bbands,
  atr,
  natr,
  trange,
  simpleReturn,
  logReturn,
  lag,
  zscore,
  percentRank,
  realizedVolatility,
  donchian,
  keltner,
  supertrend,
  stddev,
  variance,
  rollingMinimum,
  rollingMaximum,
  linearreg,
  linearregSlope,
  linearregIntercept,
  linearregAngle,
  tsf,
  obv,
  ad,
  adosc,
  mfi,
  vwap,
  arp,
  rangeshock,
  bandtouches,
]);

const BY_ID: ReadonlyMap<string, IndicatorDefinition> = new Map(INDICATORS.map((indicator) => [indicator.id, indicator]));

/**
 * Looks an indicator up by id.
 * @param id e.g. "rsi" (exact, lower case)
 * @returns the definition, or undefined when there is none
 */
export function findIndicator(id: string): IndicatorDefinition | undefined {
  return BY_ID.get(id);
}

/**
 * Looks an indicator up by id.
 * @param id e.g. "rsi" (exact, lower case)
 * @returns the definition
 * @throws DomainError NOT_FOUND naming the available ids when there is none
 */
export function getIndicator(id: string): IndicatorDefinition {
  const indicator = BY_ID.get(id);
  if (!indicator) {
    const available = INDICATORS.map((each) => each.id).join(", ");
    throw notFound(`Unknown indicator "${id}". Available: ${available}.`, { indicator: id, available: [...BY_ID.keys()] });
  }
  return indicator;
}
