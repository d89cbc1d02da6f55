import path from "node:path";
import { z } from "zod";
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from "../graphql/query-limits";
import { PROJECT_ROOT } from "../platform/project-root";
import { DEFAULT_COMPUTATION_TIMEOUT_MS } from "../resilience/computation-guard";
import { DEFAULT_CHECKPOINT_EVERY_BARS } from "../features/live/live-series";
import type { RateLimitSettings } from "./rate-limits";
import type { ProviderSettings } from "../providers/providers";

/** Default PostgreSQL statement timeout of the server's connections, ms. */
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;


/** A positive whole-number limit with its default. */
const limit = (defaultValue: number, meaning: string) => z.coerce.number().int().min(1).default(defaultValue).describe(meaning);

const booleanText = z.enum(["true", "false", "1", "0"]).transform((text) => text === "true" || text === "1");

/**
 * Every environment variable Candela reads, with its default. The README's configuration table lists
 * the same variables; a test keeps the two in step.
 */
const ENVIRONMENT = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional()
    .describe("PostgreSQL URL; when unset an embedded PostgreSQL runs in CANDELA_DATA_DIR/postgres"),
  CANDELA_DATABASE_START_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600)
    .default(60)
    .describe("how long a start waits for PostgreSQL to accept connections, retrying with backoff; 0: no retry"),
  CANDELA_DATA_DIR: z.string().min(1).default(".candela").describe("folder for local state (embedded PostgreSQL data)"),
  CANDELA_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5488).describe("port of the embedded PostgreSQL"),
  CANDELA_SAMPLE_DATA_DIR: z
    .string()
    .min(1)
    .default("../shared/data")
    .describe("folder of the sample CSV series loaded into an empty store"),
  CANDELA_LOAD_SAMPLES: booleanText.default(true).describe("load the sample series when the store has no bars"),
  CANDELA_ALLOW_ANONYMOUS_READS: booleanText
    .optional()
    .describe("serve queries without an API key; default: true only with the embedded PostgreSQL on a loopback HOST"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional()
    .describe("Redis URL for the shared query cache, online store and invalidations; when unset both live in the process"),
  CANDELA_CLOSURES_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("JSON file of closed days per instrument besides its holiday calendar (never gaps, never expected)"),
  CANDELA_INGEST_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,100}$/, "must be 1-100 of letters, digits, ':', '.', '_', '-'")
    .default("candela:ingest")
    .describe("Redis Stream the server consumes live bars from (with REDIS_URL); rejected entries go to <stream>:dead"),
  CANDELA_INGEST_CLAIM_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(30)
    .describe("stream entries left unacknowledged this long by a consumer (crashed) are claimed by another server"),
  CANDELA_CHECKPOINT_EVERY_BARS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_CHECKPOINT_EVERY_BARS)
    .describe("closed bars a live series advances between two checkpoints of its streaming state"),
  CANDELA_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600).describe("lifetime of a cached query result in Redis"),
  CANDELA_QUERY_LIMITS: booleanText.default(true).describe("refuse operations over the CANDELA_MAX_QUERY_* limits before they run"),
  CANDELA_MAX_QUERY_DEPTH: limit(DEFAULT_QUERY_LIMITS.maxDepth, "most nested selection levels of an operation"),
  CANDELA_MAX_QUERY_ALIASES: limit(DEFAULT_QUERY_LIMITS.maxAliases, "most aliases in an operation"),
  CANDELA_MAX_QUERY_TOKENS: limit(DEFAULT_QUERY_LIMITS.maxTokens, "most lexical tokens in a GraphQL document"),
  CANDELA_MAX_QUERY_DIRECTIVES: limit(DEFAULT_QUERY_LIMITS.maxDirectives, "most directives in an operation"),
  CANDELA_MAX_QUERY_COST: limit(DEFAULT_QUERY_LIMITS.maxCost, "most bar-values an operation may touch"),
  CANDELA_COMPUTATION_TIMEOUT_MS: limit(DEFAULT_COMPUTATION_TIMEOUT_MS, "a feature or indicator computation running longer is answered UNAVAILABLE and cancelled"),
  CANDELA_STATEMENT_TIMEOUT_MS: limit(DEFAULT_STATEMENT_TIMEOUT_MS, "PostgreSQL statement_timeout of the server's connections (and idle_in_transaction_session_timeout of lock holders)"),
  CANDELA_API_KEY_CACHE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600)
    .default(30)
    .describe("how long a server remembers a verified API key (revocations reach every server at once); 0: look up every request"),
  CANDELA_RATE_LIMITS: booleanText.default(true).describe("refuse requests over the per-key and per-address budgets with RATE_LIMITED (HTTP 429)"),
  CANDELA_RATE_LIMIT_PER_KEY: limit(1_000, "GraphQL requests per second one API key may make (shared by every server through Redis)"),
  CANDELA_RATE_LIMIT_PER_ADDRESS: limit(100, "GraphQL requests per second one client address may make without a valid key (anonymous or rejected)"),
  CANDELA_METRICS_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .describe("bearer token /metrics asks for; unset: /metrics is open only when anonymous reads are"),
  CANDELA_HTTP_REQUEST_TIMEOUT_MS: limit(30_000, "a request not fully received (headers and body) after this long is answered 408 and its connection closed"),
  CANDELA_HTTP_HEADERS_TIMEOUT_MS: limit(10_000, "a request whose headers have not all arrived after this long is answered 408 and closed (at most the request timeout)"),
  CANDELA_MAX_CONNECTIONS: limit(1_024, "most open HTTP and WebSocket connections; further ones are closed at once"),
  CANDELA_WATCHLIST_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("JSON file of the series to keep live from a provider: caught up at start, followed, gaps repaired"),
  CANDELA_BINANCE_URL: z.string().url().default("https://api.binance.com").describe("Binance spot REST base URL (klines)"),
  CANDELA_BINANCE_STREAM_URL: z.string().regex(/^wss?:\/\//, "must be a ws:// or wss:// URL").default("wss://stream.binance.com:9443").describe("Binance spot market-stream WebSocket base URL"),
  CANDELA_TWELVE_DATA_URL: z.string().url().default("https://api.twelvedata.com").describe("Twelve Data REST base URL (time_series)"),
  CANDELA_TWELVE_DATA_API_KEY: z.string().min(1).optional().describe("Twelve Data API key; the twelvedata provider exists only with it (never logged)"),
  CANDELA_PROVIDER_TIMEOUT_MS: limit(10_000, "longest single call to a market-data provider; slower calls are retried with backoff"),
  HOST: z.string().min(1).default("127.0.0.1").describe("interface the HTTP server listens on"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000).describe("HTTP port (GraphQL at /graphql)"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info").describe("pino log level"),
});

/**
 * The validated, frozen configuration. Paths are absolute. CANDELA_ALLOW_ANONYMOUS_READS is always decided:
 * when unset it follows DATABASE_URL (see anonymousReadsDefault).
 */
export type Config = Readonly<Omit<z.infer<typeof ENVIRONMENT>, "CANDELA_ALLOW_ANONYMOUS_READS"> & { CANDELA_ALLOW_ANONYMOUS_READS: boolean }>;

/** Names of every environment variable Candela reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(ENVIRONMENT.shape);

/**
 * Parses the environment once at start. Unknown CANDELA_* variables are rejected so that a typo does not
 * silently fall back to a default.
 * @throws Error whose message names each bad variable and what it must be
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.entries(environment).filter(([name, value]) => CONFIG_VARIABLES.includes(name) && value !== ""),
  );
  const unknown = Object.keys(environment).filter((name) => name.startsWith("CANDELA_") && !CONFIG_VARIABLES.includes(name));
  const parsed = ENVIRONMENT.safeParse(relevant);
  const problems = [
    ...unknown.map((name) => `${name}: unknown variable (known: ${CONFIG_VARIABLES.filter((known) => known.startsWith("CANDELA_")).join(", ")})`),
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)),
  ];
  if (problems.length > 0 || !parsed.success) {
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const config = parsed.data;
  return Object.freeze({
    ...config,
    CANDELA_ALLOW_ANONYMOUS_READS: config.CANDELA_ALLOW_ANONYMOUS_READS ?? anonymousReadsDefault(config.DATABASE_URL, config.HOST),
    CANDELA_DATA_DIR: path.resolve(PROJECT_ROOT, config.CANDELA_DATA_DIR),
    CANDELA_SAMPLE_DATA_DIR: path.resolve(PROJECT_ROOT, config.CANDELA_SAMPLE_DATA_DIR),
  });
}

/** Whether `host` is a loopback interface (127.0.0.0/8, ::1, localhost): only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Whether queries need no API key when CANDELA_ALLOW_ANONYMOUS_READS is unset: only on a developer's machine, i.e.
 * with the embedded PostgreSQL (no DATABASE_URL) and listening on loopback, where anonymous reads keep GraphiQL
 * usable. A deployment (DATABASE_URL), or any server reachable from other machines (HOST 0.0.0.0, as in a container),
 * must not serve data to whoever reaches the port: every query then needs a key with the `read` scope. Mutations
 * always need a key.
 */
export function anonymousReadsDefault(databaseUrl: string | undefined, host: string): boolean {
  return databaseUrl === undefined && isLoopbackHost(host);
}

/** The rate limits the configuration asks for; undefined when CANDELA_RATE_LIMITS is false. */
export function rateLimitsOf(config: Config): RateLimitSettings | undefined {
  if (!config.CANDELA_RATE_LIMITS) return undefined;
  return { perKeyPerSecond: config.CANDELA_RATE_LIMIT_PER_KEY, perAddressPerSecond: config.CANDELA_RATE_LIMIT_PER_ADDRESS };
}

/** The market-data providers' settings. */
export function providerSettingsOf(config: Config): ProviderSettings {
  return {
    binance: { restUrl: config.CANDELA_BINANCE_URL, streamUrl: config.CANDELA_BINANCE_STREAM_URL },
    twelveData: config.CANDELA_TWELVE_DATA_API_KEY === undefined ? undefined : { url: config.CANDELA_TWELVE_DATA_URL, apiKey: config.CANDELA_TWELVE_DATA_API_KEY },
    timeoutMs: config.CANDELA_PROVIDER_TIMEOUT_MS,
  };
}

/** The query limits the configuration asks for; undefined when CANDELA_QUERY_LIMITS is false. */
export function queryLimitsOf(config: Config): QueryLimits | undefined {
  if (!config.CANDELA_QUERY_LIMITS) return undefined;
  return {
    maxDepth: config.CANDELA_MAX_QUERY_DEPTH,
    maxAliases: config.CANDELA_MAX_QUERY_ALIASES,
    maxTokens: config.CANDELA_MAX_QUERY_TOKENS,
    maxDirectives: config.CANDELA_MAX_QUERY_DIRECTIVES,
    maxCost: config.CANDELA_MAX_QUERY_COST,
  };
}
