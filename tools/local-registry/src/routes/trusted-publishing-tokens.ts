// The registry's side of crates.io trusted publishing: a JWT from the trusted OIDC
// issuer (right signature, issuer, audience, not expired, its `jti` never seen) is
// exchanged for a short-lived publish token that acts for one user; the token expires
// after `tokenLifetimeMs` (crates.io: 30 minutes) or when revoked.
import { randomBytes } from 'node:crypto';
import { JwtError, verifyJwt } from '../jwt';
import type { OidcIssuer } from '../oidc-stand-in';

export interface TrustedPublishingOptions {
  /** Whose JWTs are trusted (see startOidcStandIn().issuer()). */
  issuer: OidcIssuer;
  /** The `aud` a JWT must carry. Default `crates.io`. */
  audience?: string;
  /** How long an issued token lives. Default 30 min. */
  tokenLifetimeMs?: number;
  /** The user a token publishes as (owner checks). Default: the registry's default user. */
  login?: string;
}

interface IssuedToken {
  login: string;
  expiresAt: number;
  revoked: boolean;
}

export type TokenLookup = { login: string } | { refused: 'expired' | 'revoked' };

export class TrustedPublishingTokens {
  private readonly usedJti = new Set<string>();
  private readonly tokens = new Map<string, IssuedToken>();
  lifetimeMs: number;
  minted = 0;
  revoked = 0;
  /** Exchanges refused (a bad, expired or replayed JWT). */
  refusedJwts = 0;

  constructor(
    readonly opts: TrustedPublishingOptions,
    private readonly defaultLogin: string,
  ) {
    this.lifetimeMs = opts.tokenLifetimeMs ?? 30 * 60_000;
  }

  /** A new token for a valid, unused JWT; throws JwtError saying why not. */
  exchange(jwt: string, now = Date.now()): { token: string; expiresAt: number } {
    try {
      const claims = verifyJwt(jwt, {
        publicKey: this.opts.issuer.publicKey,
        issuer: this.opts.issuer.issuer,
        audience: this.opts.audience ?? 'crates.io',
        now,
      });
      if (this.usedJti.has(claims.jti)) throw new JwtError('JWT has already been used');
      if (claims.repository !== this.opts.issuer.repository) {
        throw new JwtError(`No Trusted Publishing config found for repository \`${String(claims.repository)}\`.`);
      }
      this.usedJti.add(claims.jti);
    } catch (e) {
      this.refusedJwts++;
      throw e;
    }
    const token = `crt_tp_${randomBytes(24).toString('hex')}`;
    const expiresAt = now + this.lifetimeMs;
    this.tokens.set(token, { login: this.opts.login ?? this.defaultLogin, expiresAt, revoked: false });
    this.minted++;
    return { token, expiresAt };
  }

  /** Whom a token acts for, why it is refused, or undefined when it is not one of these tokens. */
  lookup(token: string, now = Date.now()): TokenLookup | undefined {
    const t = this.tokens.get(token);
    if (!t) return undefined;
    if (t.revoked) return { refused: 'revoked' };
    if (now >= t.expiresAt) return { refused: 'expired' };
    return { login: t.login };
  }

  /** Revokes a live token: true when it was one. */
  revoke(token: string, now = Date.now()): boolean {
    const t = this.tokens.get(token);
    if (!t || t.revoked || now >= t.expiresAt) return false;
    t.revoked = true;
    this.revoked++;
    return true;
  }

  /** Tokens issued and neither expired nor revoked. */
  live(now = Date.now()): number {
    return [...this.tokens.values()].filter((t) => !t.revoked && now < t.expiresAt).length;
  }
}
