// crates.io's trusted-publishing endpoints: `POST /api/v1/trusted_publishing/tokens`
// with `{"jwt": …}` answers `{"token": …}`, a publish token for the crates whose
// trusted publisher matches the JWT's repository, workflow and environment, valid
// 30 minutes; `DELETE` of the same path with the token as bearer revokes it.
import { redact } from '@crate-train/proc';
import { errorDetail, httpRequest, jsonString, type HttpOptions } from '../http';
import { TrustedPublishingError } from './oidc';

export const TRUSTED_PUBLISHING_TOKENS_PATH = '/api/v1/trusted_publishing/tokens';

const endpoint = (apiBase: string) => `${apiBase.replace(/\/$/, '')}${TRUSTED_PUBLISHING_TOKENS_PATH}`;

/** The publish token for a JWT; throws TrustedPublishingError saying why the registry refused. */
export async function exchangeJwt(apiBase: string, registryName: string, jwt: string, http: HttpOptions = {}): Promise<string> {
  const r = await httpRequest(
    endpoint(apiBase),
    { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ jwt }) },
    http,
  );
  if (r.status !== 200) {
    // The registry's words, without the JWT should it quote it.
    const detail = redact(errorDetail(r.text), [jwt]).replace(/\s+/g, ' ').slice(0, 400);
    throw new TrustedPublishingError(
      `registry \`${registryName}\` refused the GitHub OIDC token (POST ${TRUSTED_PUBLISHING_TOKENS_PATH} answered ${r.status}${detail ? `: ${detail}` : ''}) — ` +
        "add a trusted publisher for this repository, workflow and environment in each crate's settings (crates.io: Settings → Trusted Publishing), or publish with an API token",
    );
  }
  const token = jsonString(r.text, 'token');
  if (!token) throw new TrustedPublishingError(`registry \`${registryName}\` answered POST ${TRUSTED_PUBLISHING_TOKENS_PATH} without a token`);
  return token;
}

/** Revokes a token: `revoked`, `gone` (already expired or revoked: the registry no longer knows it), or the error. */
export async function revokeToken(
  apiBase: string,
  token: string,
  http: HttpOptions = {},
): Promise<{ result: 'revoked' | 'gone' } | { result: 'failed'; error: string }> {
  try {
    const r = await httpRequest(endpoint(apiBase), { method: 'DELETE', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, http);
    if (r.status === 204 || r.status === 200) return { result: 'revoked' };
    if (r.status === 401 || r.status === 403) return { result: 'gone' };
    return { result: 'failed', error: `DELETE ${TRUSTED_PUBLISHING_TOKENS_PATH} answered ${r.status}: ${redact(errorDetail(r.text), [token]).slice(0, 300)}` };
  } catch (e) {
    return { result: 'failed', error: redact((e as Error).message, [token]) };
  }
}
