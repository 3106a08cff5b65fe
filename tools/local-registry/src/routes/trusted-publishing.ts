// `POST /api/v1/trusted_publishing/tokens` (`{"jwt": "…"}` → `{"token": "…"}`) and
// `DELETE /api/v1/trusted_publishing/tokens` (the token as bearer: revoked, 204), as
// crates.io answers them. A registry started without `trustedPublishing` answers 400.
import { JwtError } from '../jwt';
import type { RegistryState } from '../registry-state';
import { fail, send } from '../reply';
import type { Exchange } from '../router';

export const TRUSTED_PUBLISHING_PATH = '/api/v1/trusted_publishing/tokens';

/** crates.io's answer to a trusted-publishing token that tries to create a crate. */
export const NO_NEW_CRATES = 'Trusted Publishing tokens do not support creating new crates. Publish the crate manually, first';

export function trustedPublishingTokens(state: RegistryState, { req, res, method, body }: Exchange): void {
  const tokens = state.trustedTokens;
  if (!tokens) return fail(res, 400, 'Trusted Publishing is not configured on this registry');
  if (method === 'POST') {
    let jwt: unknown;
    try {
      jwt = (JSON.parse(body.toString('utf8')) as { jwt?: unknown }).jwt;
    } catch {
      return fail(res, 400, 'Failed to deserialize the JSON body');
    }
    if (typeof jwt !== 'string' || !jwt) return fail(res, 400, 'missing field `jwt`');
    try {
      return send(res, 200, { token: tokens.exchange(jwt).token });
    } catch (e) {
      if (e instanceof JwtError) return fail(res, 400, e.message);
      throw e;
    }
  }
  if (method === 'DELETE') {
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
    if (!token) return fail(res, 401, 'Missing authorization header');
    if (!tokens.revoke(token)) return fail(res, 401, 'Invalid authorization header');
    res.writeHead(204);
    return void res.end();
  }
  fail(res, 405, `method ${method} not allowed on ${TRUSTED_PUBLISHING_PATH}`);
}
