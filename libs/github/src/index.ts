export { createGitHub, type GitHub } from './client';
export { GitHubError, TOKEN_ENV_VARS } from './errors';
export { GitHubAccessError, type AccessCheckOptions, type AccessReport } from './access';
export { githubTokenFromEnv, githubRepositoryFor, ownerRepo } from './repository';

export type { PullRequestSummary } from './pulls';
export type { Release, ReleaseAsset, ReleaseInput, EnsuredReleaseState } from './releases';
export { publishGitHubRelease, resolveAssets, makeLatestFor, GitHubReleaseError, type AssetFile, type GitHubReleaseResult } from './github-release';

export type { AdvisoryCrate, Severity } from './advisories';
