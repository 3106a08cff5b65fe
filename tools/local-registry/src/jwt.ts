// RS256 JSON Web Tokens with node:crypto, enough for the OIDC stand-in to sign what
// GitHub's token endpoint signs and for the registry to check it as crates.io does
// (signature, issuer, audience, expiry; the registry keeps the single-use `jti`).
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export interface JwtClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
  iat: number;
  nbf?: number;
  [claim: string]: unknown;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signJwt(claims: JwtClaims, privateKey: KeyObject, kid = 'stand-in'): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

/** Why a JWT is refused (the registry's 400 detail). */
export class JwtError extends Error {}

/**
 * The claims of a JWT whose RS256 signature `publicKey` verifies and whose issuer,
 * audience and time window are right (`leewaySecs` of clock skew); throws JwtError.
 */
export function verifyJwt(
  jwt: string,
  opts: { publicKey: KeyObject | string; issuer: string; audience: string; now?: number; leewaySecs?: number },
): JwtClaims {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new JwtError('Failed to decode JWT: not three dot-separated parts');
  let head: { alg?: string };
  let claims: JwtClaims;
  try {
    head = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    throw new JwtError('Failed to decode JWT: header or claims are not JSON');
  }
  if (head.alg !== 'RS256') throw new JwtError(`Failed to decode JWT: unsupported algorithm ${JSON.stringify(head.alg)}`);
  const key = typeof opts.publicKey === 'string' ? createPublicKey(opts.publicKey) : opts.publicKey;
  if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'))) {
    throw new JwtError('Failed to decode JWT: InvalidSignature');
  }
  if (claims.iss !== opts.issuer) throw new JwtError(`Unsupported JWT issuer: ${String(claims.iss)}`);
  const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!auds.includes(opts.audience)) throw new JwtError(`Failed to decode JWT: InvalidAudience (expected ${opts.audience})`);
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const leeway = opts.leewaySecs ?? 0;
  if (typeof claims.exp !== 'number' || claims.exp + leeway <= now) throw new JwtError('Failed to decode JWT: ExpiredSignature');
  if (typeof claims.nbf === 'number' && claims.nbf - leeway > now) throw new JwtError('Failed to decode JWT: ImmatureSignature');
  if (typeof claims.jti !== 'string' || !claims.jti) throw new JwtError('Failed to decode JWT: missing jti');
  return claims;
}
