import type { Api } from './api';
import { GitHubError } from './errors';
import type { RepositoryInfo } from './client';

/** What stopped an access check: each has its own fix. */
export type AccessProblem = 'token' | 'forbidden' | 'repository' | 'unreachable' | 'not-github' | 'scope' | 'permission';

/** The token cannot do what a release step needs in the repository; the message names the cause and the fix. */
export class GitHubAccessError extends GitHubError {
  constructor(
    message: string,
    readonly problem: AccessProblem,
    status?: number,
  ) {
    super(message, status);
    this.name = 'GitHubAccessError';
  }
}

/** How to fix each setting, as the caller knows where it came from (e.g. "check github.repository in nx.json"). */
export interface AccessCheckOptions {
  /** Where the token came from, e.g. `GITHUB_TOKEN` (messages say "the token in GITHUB_TOKEN" and "set GITHUB_TOKEN to ..."). */
  tokenSource?: string;
  fixRepository?: string;
  fixBaseUrl?: string;
  /** Give up on an unresponsive host after this long (default 30 s). */
  timeoutMs?: number;
}

export interface AccessReport {
  repository: RepositoryInfo;
  /**
   * permissions: the repository JSON says the token's user can push; installation:
   * an App installation token (GitHub Actions' GITHUB_TOKEN), whose permissions
   * GitHub does not report there, so push access is not known before the push.
   */
  push: 'permissions' | 'installation';
  /** Classic tokens only (the X-OAuth-Scopes header). */
  scopes?: string[];
  /** The repository answered under another name (it was renamed or moved). */
  renamedTo?: string;
}

interface RawRepository {
  full_name?: unknown;
  default_branch?: unknown;
  private?: unknown;
  html_url?: unknown;
  clone_url?: unknown;
  permissions?: Record<string, boolean | undefined>;
}

/**
 * Checks, with reads only, that the token is accepted, the repository exists
 * and the token may push there (and so open pull requests from its branches):
 * `GET /repos/{owner}/{repo}`, its `permissions` and, for classic tokens, the
 * `X-OAuth-Scopes` header. A token GitHub reports no push permission for is
 * accepted only when it is an App installation token (`installationToken`: a
 * `ghs_` token; else `GET /installation/repositories` answers), whose
 * permissions GitHub does not report. Every failure is a GitHubAccessError saying what is wrong and what
 * to change; none contains the token.
 */
export async function checkAccess(api: Api, baseUrl: string, opts: AccessCheckOptions = {}, installationToken = false): Promise<AccessReport> {
  const { octokit, owner, repo, fullName } = api;
  const token = opts.tokenSource ? `the token in ${opts.tokenSource}` : 'the token';
  const setToken = opts.tokenSource ? `set ${opts.tokenSource} to` : 'use';
  const writeToken =
    `${setToken} a token with write access to ${fullName} ` +
    '(fine-grained: Contents and Pull requests read and write; classic: the repo scope; GitHub Actions: permissions contents: write, pull-requests: write)';
  const fixRepository = opts.fixRepository ?? 'check the repository option (owner/name)';
  const fixBaseUrl = opts.fixBaseUrl ?? 'check the API base URL (GitHub Enterprise: https://HOST/api/v3)';
  const timeout = opts.timeoutMs ?? 30_000;

  let response: { data: unknown; headers: Record<string, unknown> };
  try {
    response = await api.call(`reading repository ${fullName}`, () =>
      octokit.rest.repos.get({ owner, repo, request: { signal: AbortSignal.timeout(timeout) } }),
    );
  } catch (e) {
    if (!(e instanceof GitHubError)) throw e;
    const answer = e.githubMessage ? ` ${e.githubMessage}` : '';
    if (e.status === undefined) {
      const reason = (e.network ?? e.message).replace(/^no response from GitHub: /, '');
      const why = /timeout|timed out/i.test(reason) ? `no answer within ${Math.round(timeout / 100) / 10} s` : reason;
      throw new GitHubAccessError(`cannot reach ${baseUrl} (${why}): ${fixBaseUrl}`, 'unreachable');
    }
    if (e.status === 401) {
      throw new GitHubAccessError(
        `GitHub rejected ${token} (401${answer}) at ${baseUrl}: ${setToken} a valid token for ${fullName} (this one is wrong, expired or revoked)`,
        'token',
        401,
      );
    }
    if (e.status === 404) {
      throw new GitHubAccessError(
        `repository ${fullName} not found on ${baseUrl} (404): ${fixRepository} (GitHub also answers 404 for a private repository ${token} cannot see)`,
        'repository',
        404,
      );
    }
    if (e.status === 403) {
      throw new GitHubAccessError(
        `GitHub refused ${token} access to ${fullName} (403${answer}): authorize the token for the organization's SSO or IP allow list, ` +
          `wait for the rate limit to reset, or ${setToken} a token with access`,
        'forbidden',
        403,
      );
    }
    throw new GitHubAccessError(`${baseUrl} answered ${e.status}${answer} when asked for repository ${fullName}: ${fixBaseUrl}`, 'not-github', e.status);
  }

  const data = (response.data ?? {}) as RawRepository;
  if (typeof data !== 'object' || typeof data.full_name !== 'string') {
    throw new GitHubAccessError(`${baseUrl} answered, but not like GitHub's REST API (no repository JSON for ${fullName}): ${fixBaseUrl}`, 'not-github');
  }
  const repository: RepositoryInfo = {
    fullName: data.full_name,
    defaultBranch: String(data.default_branch ?? ''),
    private: data.private === true,
    htmlUrl: String(data.html_url ?? ''),
    cloneUrl: String(data.clone_url ?? ''),
    permissions: data.permissions,
  };
  const renamedTo = data.full_name.toLowerCase() === fullName.toLowerCase() ? undefined : data.full_name;

  const scopesHeader = response.headers['x-oauth-scopes'];
  const scopes =
    typeof scopesHeader === 'string'
      ? scopesHeader
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  if (scopes && !scopes.includes('repo') && (repository.private || !scopes.includes('public_repo'))) {
    const needed = repository.private ? '"repo"' : '"repo" (or "public_repo")';
    throw new GitHubAccessError(
      `${token} is a classic token without the ${needed} scope (its scopes: ${scopes.join(', ') || 'none'}), so it cannot push to ${fullName}: ${writeToken}`,
      'scope',
    );
  }

  if (data.permissions?.push === true) return { repository, push: 'permissions', scopes, renamedTo };

  // GitHub reports no push permission for App installation tokens at all. Those
  // are `ghs_` tokens (GitHub Actions' GITHUB_TOKEN among them); others are asked.
  const installation =
    installationToken ||
    (await octokit.request('GET /installation/repositories', { per_page: 1, request: { signal: AbortSignal.timeout(timeout) } }).then(
      () => true,
      () => false,
    ));
  if (installation) return { repository, push: 'installation', scopes, renamedTo };

  const granted = Object.entries(data.permissions ?? {})
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  throw new GitHubAccessError(
    `${token} can read ${fullName} but cannot push to it (its permissions there: ${granted.join(', ') || 'none'}): ${writeToken}`,
    'permission',
  );
}
