export { createGitHub, type GitHub } from './client';
export { GitHubError, TOKEN_ENV_VARS } from './errors';
export { GitHubAccessError, type AccessCheckOptions, type AccessReport } from './access';
export { githubTokenFromEnv, githubRepositoryFor, ownerRepo } from './repository';

export type { PullRequestSummary } from './pulls';

export type { AdvisoryCrate, Severity } from './advisories';
