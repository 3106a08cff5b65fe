// Authenticated pushes/fetches over HTTPS without ever putting the token in a
// remote URL: git reads an extra Authorization header from GIT_CONFIG_* env
// variables (git >= 2.31), the same mechanism actions/checkout uses. The header is
// URL-scoped (`http.https://github.com/.extraHeader`), so git sends it only to the
// GitHub host the token belongs to: a remote elsewhere (a mirror, a self-hosted
// origin, a plain-HTTP server) never receives it.
import { GitError } from './errors';

export interface GitAuth {
  token: string;
  /**
   * Web URL of the GitHub host the token belongs to (`https://github.com/`, or an
   * Enterprise host `https://ghe.example.com/`). git sends the header only to URLs
   * under it. Default `https://github.com/`; see githubWebUrl.
   */
  url?: string;
}

export const DEFAULT_GITHUB_WEB_URL = 'https://github.com/';

/**
 * The web URL of a GitHub host from its REST API base (`https://api.github.com` ->
 * `https://github.com/`, Enterprise Server `https://HOST/api/v3` -> `https://HOST/`,
 * `https://api.SUB.ghe.com` -> `https://SUB.ghe.com/`), else `serverUrl` (Actions'
 * GITHUB_SERVER_URL), else `https://github.com/`. What is not a URL is ignored.
 */
export function githubWebUrl(apiBaseUrl?: string, serverUrl?: string): string {
  const api = parseHttpUrl(apiBaseUrl);
  if (api) {
    const host = api.host.replace(/^api\./i, '');
    const path = api.pathname.replace(/\/api\/v3\/?$/i, '/').replace(/\/api\/?$/i, '/');
    return `${api.protocol}//${host}${path.endsWith('/') ? path : `${path}/`}`;
  }
  const server = parseHttpUrl(serverUrl);
  if (server) return `${server.protocol}//${server.host}${server.pathname.endsWith('/') ? server.pathname : `${server.pathname}/`}`;
  return DEFAULT_GITHUB_WEB_URL;
}

function parseHttpUrl(u: string | undefined): URL | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The `<url>` of `http.<url>.extraHeader`: scheme, host (and port) and a path ending in `/`, no credentials, query or fragment. */
export function authScope(auth: GitAuth): string {
  const raw = auth.url ?? DEFAULT_GITHUB_WEB_URL;
  const url = parseHttpUrl(raw);
  if (!url) throw new GitError(`GitAuth.url must be the http(s) web URL of the GitHub host the token belongs to (got "${raw}")`);
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Environment that adds `Authorization: basic base64(x-access-token:TOKEN)` to git's
 * HTTP requests to URLs under `auth.url` (default `https://github.com/`), and to no other.
 */
export function authEnv(auth: GitAuth | undefined): Record<string, string> {
  if (!auth?.token) return {};
  const basic = Buffer.from(`x-access-token:${auth.token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${authScope(auth)}.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: basic ${basic}`,
  };
}

/** Every form of the token that could show up in output (raw and in the header). */
export function authSecrets(auth: GitAuth | undefined): string[] {
  if (!auth?.token) return [];
  return [auth.token, Buffer.from(`x-access-token:${auth.token}`).toString('base64')];
}
