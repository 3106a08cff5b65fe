// GitHub Actions' OIDC token, as a job with `permissions: id-token: write` gets it:
// `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD` with
// `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` answers `{"value": "<jwt>"}`.
// Each call gives a new JWT (a new `jti`), which crates.io accepts once.
import { errorDetail, httpRequest, jsonString, type HttpOptions } from '../http';

export const OIDC_URL_VAR = 'ACTIONS_ID_TOKEN_REQUEST_URL';
export const OIDC_TOKEN_VAR = 'ACTIONS_ID_TOKEN_REQUEST_TOKEN';

export interface OidcRequest {
  requestUrl: string;
  requestToken: string;
}

/** Trusted publishing went wrong; the message names the step and the fix, never a secret. */
export class TrustedPublishingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustedPublishingError';
  }
}

/** The job's OIDC request variables, when both are set. */
export function oidcFromEnv(env: NodeJS.ProcessEnv): OidcRequest | undefined {
  const requestUrl = env[OIDC_URL_VAR];
  const requestToken = env[OIDC_TOKEN_VAR];
  return requestUrl && requestToken ? { requestUrl, requestToken } : undefined;
}

/** Where the endpoint is, for messages: scheme, host and path, no query. */
function endpointName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return OIDC_URL_VAR;
  }
}

/** GitHub's `{"message": …}`, else the registry-style detail or the text. */
function githubMessage(text: string): string {
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  } catch {
    /* not JSON */
  }
  return errorDetail(text);
}

/** A fresh JWT for `audience` (crates.io wants `crates.io`). */
export async function fetchOidcJwt(oidc: OidcRequest, audience: string, http: HttpOptions = {}): Promise<string> {
  const sep = oidc.requestUrl.includes('?') ? '&' : '?';
  const url = `${oidc.requestUrl}${sep}audience=${encodeURIComponent(audience)}`;
  let r: { status: number; text: string };
  try {
    r = await httpRequest(url, { headers: { authorization: `bearer ${oidc.requestToken}`, accept: 'application/json; api-version=2.0' } }, http);
  } catch (e) {
    throw new TrustedPublishingError(
      `cannot reach GitHub's OIDC token endpoint (${OIDC_URL_VAR}, ${endpointName(oidc.requestUrl)}): ${(e as Error).message.split(url).join(endpointName(url))}`,
    );
  }
  if (r.status !== 200) {
    const detail = githubMessage(r.text).replace(/\s+/g, ' ').slice(0, 300);
    throw new TrustedPublishingError(
      `GitHub's OIDC token endpoint (${OIDC_URL_VAR}, ${endpointName(oidc.requestUrl)}) answered ${r.status}${detail ? `: ${detail}` : ''} — ` +
        'the publish job needs `permissions: id-token: write` (and, for crates.io, the environment its trusted publisher names)',
    );
  }
  const value = jsonString(r.text, 'value');
  if (!value) throw new TrustedPublishingError(`GitHub's OIDC token endpoint (${endpointName(oidc.requestUrl)}) answered without a token ("value")`);
  return value;
}
