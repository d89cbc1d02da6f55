/** PostgreSQL channel on which a revoking transaction announces the revoked key's prefix to every server. */
export const API_KEY_REVOCATIONS_CHANNEL = "candela_api_key_revoked";
