import type { Timeframe } from "../../domain/timeframe";
import type { TradingCalendar } from "../../domain/trading-calendar";
import type { SeriesContext } from "../../indicators/series-context";
import type { FeatureDefinition } from "../feature-definition";
import type { LatestFeatureVector } from "../ports/online-feature-store";
import type { RecentWindow } from "./recent-values";

/** What readers see of one live series (implemented by LiveSeries). */
export interface LiveSeriesView {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** The series' timeframe and the instrument's trading calendar. */
  readonly context: SeriesContext;
  /** The features kept current, in the order `window` returns them. */
  readonly features: readonly FeatureDefinition[];
  /** The newest closed bar's vector; undefined before the first bar. */
  readonly latest: LatestFeatureVector | undefined;
  /** The values of the newest `count` closed bars, oldest first; undefined before the state is built. */
  window(count: number): RecentWindow | undefined;
}

/** Where live series are found and started (implemented by LiveMaterializer). */
export interface LiveSeriesSource {
  /** The live series (symbol, timeframe) when active. */
  get(symbol: string, timeframe: Timeframe): LiveSeriesView | undefined;
  /**
   * Keeps `definitions` current on the series, building its state from the stored bars when needed.
   * @throws DomainError UNAVAILABLE when the store cannot be reached
   */
  activate(symbol: string, timeframe: Timeframe, calendar: TradingCalendar, definitions: readonly FeatureDefinition[]): Promise<LiveSeriesView>;
}
