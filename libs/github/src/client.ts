import { makeApi, type Api, type GitHubLogger, type Octokit } from './api';
import { GitHubError, MissingGitHubTokenError } from './errors';
import { apiBaseUrlForHost, githubTokenFromEnv, parseGitHubRepository } from './repository';
import * as pulls from './pulls';
import * as refs from './refs';
import * as releases from './releases';
import * as advisories from './advisories';
import type { LimitOptions } from './limits';
import { checkAccess, type AccessCheckOptions, type AccessReport } from './access';

export interface GitHubOptions {
  /** `owner/name`. */
  repository: string;
  /** Defaults to GITHUB_TOKEN, then GH_TOKEN, from `env`. */
  token?: string;
  /** REST API base: https://api.github.com (default), `https://HOST/api/v3` for GitHub Enterprise, or a stand-in. */
  baseUrl?: string;
  /** Environment the token is read from (default process.env). */
  env?: NodeJS.ProcessEnv | Record<string, string | undefined>;
  /** Where waits (rate limits, retries) and octokit's notices are printed; never gets a token. */
  logger?: GitHubLogger;
  userAgent?: string;
  /** Retries, the longest rate-limit wait, write pacing (limits.ts); defaults suit GitHub. */
  limits?: LimitOptions;
}

export interface RepositoryInfo {
  fullName: string;
  defaultBranch: string;
  private: boolean;
  htmlUrl: string;
  cloneUrl: string;
  /** What the authenticated user may do there (GitHub omits it for App installation tokens). */
  permissions?: { admin?: boolean; maintain?: boolean; push?: boolean; triage?: boolean; pull?: boolean };
}

/** crate-train's view of one GitHub repository. Every method is safe to re-run. */
export interface GitHub {
  readonly owner: string;
  readonly repo: string;
  readonly fullName: string;
  readonly baseUrl: string;
  /** The underlying @octokit/rest client, for calls this interface lacks. */
  readonly octokit: Octokit;
  getRepository(): Promise<RepositoryInfo>;
  /**
   * Reads only: the token is accepted, the repository exists, the token may push
   * there. Throws GitHubAccessError naming the cause and the fix (see access.ts).
   */
  checkAccess(opts?: AccessCheckOptions): Promise<AccessReport>;
  ensurePullRequest(input: pulls.PullRequestInput): Promise<pulls.EnsuredPullRequest>;
  listPullRequests(filter?: { state?: 'open' | 'closed' | 'all'; head?: string; base?: string }): Promise<pulls.PullRequestSummary[]>;
  getPullRequest(number: number): Promise<pulls.PullRequestSummary>;
  mergePullRequest(number: number, opts?: { method?: 'merge' | 'squash' | 'rebase'; sha?: string }): Promise<{ sha: string; merged: boolean }>;
  getRef(ref: string): Promise<refs.GitRef | undefined>;
  resolveTag(tag: string): Promise<string | undefined>;
  createTag(tag: string, sha: string): Promise<{ action: 'created' | 'exists'; tag: string; sha: string }>;
  listBranches(prefix?: string): Promise<{ name: string; sha: string }[]>;
  listTags(prefix?: string): Promise<string[]>;
  createRelease(input: releases.ReleaseInput): Promise<releases.EnsuredRelease>;
  /** Creates the release of `input.tag`, or updates the one there in place when it differs (releases.ts). */
  ensureRelease(input: releases.ReleaseInput): Promise<releases.EnsuredReleaseState>;
  getReleaseByTag(tag: string): Promise<releases.Release | undefined>;
  latestReleaseTag(): Promise<string | undefined>;
  listReleaseAssets(releaseId: number): Promise<releases.ReleaseAsset[]>;
  uploadReleaseAsset(
    release: Pick<releases.Release, 'id' | 'tag' | 'uploadUrl'>,
    asset: { name: string; data: Uint8Array; contentType?: string; label?: string },
  ): Promise<releases.ReleaseAsset>;
  deleteReleaseAsset(assetId: number, name: string): Promise<void>;
  createSecurityAdvisory(input: advisories.AdvisoryInput): Promise<advisories.SecurityAdvisory & { action: 'created' | 'exists' }>;
  getSecurityAdvisory(ghsaId: string): Promise<advisories.SecurityAdvisory>;
  listSecurityAdvisories(state?: 'draft' | 'published' | 'closed' | 'triage'): Promise<advisories.SecurityAdvisory[]>;
  createAdvisoryFork(ghsaId: string): Promise<advisories.AdvisoryFork>;
}

/**
 * A client for `opts.repository`. Throws MissingGitHubTokenError (naming
 * GITHUB_TOKEN / GH_TOKEN and --dry-run) when there is no token: callers create
 * a client only for runs that touch GitHub.
 */
export async function createGitHub(opts: GitHubOptions): Promise<GitHub> {
  const { owner, repo, fullName, host } = parseGitHubRepository(opts.repository);
  if (host)
    throw new GitHubError(`The repository option must be owner/name, not a URL (got ${fullName} on ${host}); use parseGitHubRepository for remote URLs.`);
  const token = opts.token?.trim() || githubTokenFromEnv(opts.env ?? process.env);
  if (!token) throw new MissingGitHubTokenError(fullName);
  const baseUrl = (opts.baseUrl ?? apiBaseUrlForHost(undefined)).replace(/\/+$/, '');
  const api: Api = await makeApi({ token, baseUrl, owner, repo, logger: opts.logger, userAgent: opts.userAgent, limits: opts.limits });
  return {
    owner,
    repo,
    fullName,
    baseUrl,
    octokit: api.octokit,
    async getRepository() {
      const { data } = await api.call(`reading repository ${fullName}`, () => api.octokit.rest.repos.get({ owner, repo }));
      return {
        fullName: data.full_name,
        defaultBranch: data.default_branch,
        private: data.private,
        htmlUrl: data.html_url,
        cloneUrl: data.clone_url,
        permissions: data.permissions,
      };
    },
    checkAccess: (o) => checkAccess(api, baseUrl, o, token.startsWith('ghs_')),
    ensurePullRequest: (input) => pulls.ensurePullRequest(api, input),
    listPullRequests: (filter) => pulls.listPullRequests(api, filter),
    getPullRequest: (n) => pulls.getPullRequest(api, n),
    mergePullRequest: (n, o) => pulls.mergePullRequest(api, n, o),
    getRef: (ref) => refs.getRef(api, ref),
    resolveTag: (tag) => refs.resolveTag(api, tag),
    createTag: (tag, sha) => refs.createTag(api, tag, sha),
    listBranches: (prefix) => refs.listBranches(api, prefix),
    listTags: (prefix) => refs.listTags(api, prefix),
    createRelease: (input) => releases.createRelease(api, input),
    ensureRelease: (input) => releases.ensureRelease(api, input),
    getReleaseByTag: (tag) => releases.getReleaseByTag(api, tag),
    latestReleaseTag: () => releases.latestReleaseTag(api),
    listReleaseAssets: (id) => releases.listReleaseAssets(api, id),
    uploadReleaseAsset: (release, asset) => releases.uploadReleaseAsset(api, release, asset),
    deleteReleaseAsset: (id, name) => releases.deleteReleaseAsset(api, id, name),
    createSecurityAdvisory: (input) => advisories.createSecurityAdvisory(api, input),
    getSecurityAdvisory: (id) => advisories.getSecurityAdvisory(api, id),
    listSecurityAdvisories: (state) => advisories.listSecurityAdvisories(api, state),
    createAdvisoryFork: (id) => advisories.createAdvisoryFork(api, id),
  };
}
