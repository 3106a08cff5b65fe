// Where an upload's token comes from. A fixed token (from the registry's own
// environment variable, as cargo reads it) or one minted and renewed per upload
// (trusted publishing): the uploaders ask before each upload, so a short-lived token
// never outlives the run that needs it.

/** Where an upload gets its registry token: a fixed token, or one minted and renewed (trusted publishing). */
export interface TokenSource {
  /** A token valid for the next upload (may mint a fresh one). */
  token(): Promise<string | undefined>;
  /** The registry refused the token as expired/revoked: forget it, so the next token() mints again. */
  invalidate?(token: string): void;
}

export function fixedTokenSource(token: string | undefined): TokenSource {
  return { token: async () => token };
}
