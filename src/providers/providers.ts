import type { MarketDataProvider } from "../ingest/ports/market-data-provider";
import { createCircuitBreaker, type CircuitStateChange, type GuardedDependency } from "../resilience/circuit-breaker";
import { BinanceProvider } from "./binance/binance-provider";
import { TwelveDataProvider } from "./twelve-data/twelve-data-provider";

/** Where the providers are and how long a call may take (CANDELA_BINANCE_*, CANDELA_TWELVE_DATA_*, CANDELA_PROVIDER_*). */
export interface ProviderSettings {
  readonly binance: { readonly restUrl: string; readonly streamUrl: string };
  /** Twelve Data is configured only with an API key. */
  readonly twelveData?: { readonly url: string; readonly apiKey: string };
  /** Longest single HTTP call, ms (the breaker's timeout). */
  readonly timeoutMs: number;
  /** Attempts per call, the first included. */
  readonly attempts?: number;
  /** Backoff before the second attempt, ms. */
  readonly initialDelayMs?: number;
  /** How long a polled feed waits after a bar's close before asking for it, ms. */
  readonly pollSettleMs?: number;
}

/** What the providers report, for logs (URLs with secrets hidden). */
export interface ProviderEvents {
  readonly onBreakerStateChange?: (change: CircuitStateChange) => void;
  readonly onRetry?: (retry: { provider: string; url: string; attempt: number; reason: string; waitMs: number }) => void;
  readonly onWeightPause?: (provider: string, usedWeight: number, waitMs: number) => void;
}

/**
 * The configured market-data providers by name ("binance" always; "twelvedata" with an API key), each behind a circuit
 * breaker of its own named "provider-<name>" (health and metrics list them).
 */
export function createProviders(settings: ProviderSettings, events: ProviderEvents = {}): { providers: Map<string, MarketDataProvider>; breakers: GuardedDependency[] } {
  const breaker = (name: string) =>
    createCircuitBreaker(`provider-${name}`, { timeoutMs: settings.timeoutMs, resetTimeoutMs: 10_000, volumeThreshold: 5, onStateChange: events.onBreakerStateChange });
  const common = { attempts: settings.attempts, initialDelayMs: settings.initialDelayMs, onRetry: events.onRetry };
  const binanceBreaker = breaker("binance");
  const providers = new Map<string, MarketDataProvider>();
  const breakers = [binanceBreaker];
  providers.set(
    "binance",
    new BinanceProvider({
      ...common,
      baseUrl: settings.binance.restUrl,
      streamUrl: settings.binance.streamUrl,
      breaker: binanceBreaker,
      onWeightPause: (used, waitMs) => events.onWeightPause?.("binance", used, waitMs),
    }),
  );
  if (settings.twelveData !== undefined) {
    const twelveDataBreaker = breaker("twelvedata");
    breakers.push(twelveDataBreaker);
    providers.set(
      "twelvedata",
      new TwelveDataProvider({ ...common, baseUrl: settings.twelveData.url, apiKey: settings.twelveData.apiKey, breaker: twelveDataBreaker, polling: { settleMs: settings.pollSettleMs } }),
    );
  }
  return { providers, breakers };
}
