/**
 * Hears of revoked API keys (adapter: the server's PostgreSQL LISTEN connection). `prefix` is the revoked key's
 * prefix; undefined means notifications may have been missed (the connection was lost), so every remembered key must
 * be checked again.
 */
export interface ApiKeyRevocationFeed {
  /** Calls `listener` on each revocation by any process; returns a function that stops it. */
  onKeyRevoked(listener: (prefix: string | undefined) => void): () => void;
}
