// A TokenSource for crates.io trusted publishing. It mints a publish token (a fresh
// GitHub OIDC JWT exchanged at the registry) when first asked, mints again once the
// token is `renewAfterMs` old — crates.io's tokens live 30 minutes and a release of
// Wasmtime's size takes longer — or when an upload met it refused (expired), and
// revokes every token it minted at the end. It keeps every JWT and token it saw so
// that output can be redacted; none of them is ever put in a message.
import type { HttpOptions } from '../http';
import type { TokenSource } from '../token-source';
import { exchangeJwt, revokeToken } from './exchange';
import { fetchOidcJwt, TrustedPublishingError, type OidcRequest } from './oidc';

/** crates.io's trusted-publishing tokens expire after 30 minutes. */
export const TRUSTED_TOKEN_LIFETIME_MS = 30 * 60_000;
/** Mint a fresh token when the current one is this old: 5 minutes before it expires. */
export const DEFAULT_RENEW_AFTER_MS = 25 * 60_000;

export type TrustedPublishingEvent =
  | { type: 'token-minted'; n: number; reason: 'first' | 'renew' | 'refused'; previousAgeMs?: number }
  | { type: 'token-mint-failed'; n: number; error: string }
  | { type: 'tokens-revoked'; revoked: number; gone: number; failed: string[] };

export interface TrustedPublishingOptions {
  /** The registry's API base (its config.json `api`). */
  apiBase: string;
  /** For messages. */
  registryName: string;
  oidc: OidcRequest;
  /** The JWT's audience. Default `crates.io`. */
  audience?: string;
  /** Mint a fresh token once the current one is this old. Default 25 min. */
  renewAfterMs?: number;
  http?: HttpOptions;
  onEvent?: (e: TrustedPublishingEvent) => void;
}

interface Minted {
  token: string;
  at: number;
}

export class TrustedPublishingTokens implements TokenSource {
  private current: Minted | undefined;
  private minting: Promise<string | undefined> | undefined;
  /** Why the next token() mints: the current one was refused. */
  private refused = false;
  private readonly all: Minted[] = [];
  private readonly jwts: string[] = [];
  /** Tokens minted so far. */
  minted = 0;
  /** The last mint's failure (the run then stops; the report says why). */
  lastError: string | undefined;
  readonly renewAfterMs: number;

  constructor(private readonly opts: TrustedPublishingOptions) {
    this.renewAfterMs = opts.renewAfterMs ?? DEFAULT_RENEW_AFTER_MS;
  }

  /** Mints the first token now; throws TrustedPublishingError (before any upload, so nothing is lost). */
  async start(): Promise<void> {
    await this.mint('first', true);
  }

  async token(): Promise<string | undefined> {
    const cur = this.current;
    if (cur && !this.refused && Date.now() - cur.at < this.renewAfterMs) return cur.token;
    this.minting ??= this.mint(cur ? (this.refused ? 'refused' : 'renew') : 'first', false).finally(() => (this.minting = undefined));
    return this.minting;
  }

  invalidate(token: string): void {
    if (this.current?.token === token) this.refused = true;
  }

  /** Every JWT and token seen so far, and the OIDC request token: what output must never show. */
  secrets(): string[] {
    return [this.opts.oidc.requestToken, ...this.jwts, ...this.all.map((m) => m.token)];
  }

  /** Revokes every token minted (an expired one counts as gone); never throws. */
  async revokeAll(): Promise<{ revoked: number; gone: number; failed: string[] }> {
    const results = await Promise.all(this.all.map((m) => revokeToken(this.opts.apiBase, m.token, { ...this.opts.http, attempts: 3 })));
    this.all.length = 0;
    this.current = undefined;
    const out = { revoked: 0, gone: 0, failed: [] as string[] };
    for (const r of results) {
      if (r.result === 'failed') out.failed.push(r.error);
      else out[r.result]++;
    }
    if (results.length) this.opts.onEvent?.({ type: 'tokens-revoked', ...out });
    return out;
  }

  private async mint(reason: 'first' | 'renew' | 'refused', throwOnError: boolean): Promise<string | undefined> {
    const previous = this.current;
    const n = this.minted + 1;
    try {
      const jwt = await fetchOidcJwt(this.opts.oidc, this.opts.audience ?? 'crates.io', this.opts.http);
      this.jwts.push(jwt);
      const token = await exchangeJwt(this.opts.apiBase, this.opts.registryName, jwt, this.opts.http);
      const minted = { token, at: Date.now() };
      this.all.push(minted);
      this.current = minted;
      this.refused = false;
      this.minted = n;
      this.lastError = undefined;
      this.opts.onEvent?.({ type: 'token-minted', n, reason, previousAgeMs: previous ? minted.at - previous.at : undefined });
      return token;
    } catch (e) {
      const error = e instanceof TrustedPublishingError ? e.message : `trusted publishing: ${(e as Error).message}`;
      this.lastError = error;
      if (throwOnError) throw e instanceof TrustedPublishingError ? e : new TrustedPublishingError(error);
      // An upload without a token stops the run (re-run to resume); the report carries this error.
      this.opts.onEvent?.({ type: 'token-mint-failed', n, error });
      return undefined;
    }
  }
}
