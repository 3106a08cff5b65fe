export { createGitHub, type GitHub, type GitHubOptions, type RepositoryInfo } from './client';
export { GitHubError, MissingGitHubTokenError, TagConflictError, TOKEN_ENV_VARS } from './errors';
export { GitHubAccessError, type AccessProblem, type AccessCheckOptions, type AccessReport } from './access';
export {
  githubTokenFromEnv,
  parseGitHubRepository,
  githubRepositoryOfRemote,
  githubHosts,
  ownerRepo,
  resolveGitHubRepository,
  apiBaseUrlForHost,
  type GitHubRepository,
} from './repository';
export type { GitHubLogger } from './api';
export type { PullRequestInput, EnsuredPullRequest, PullRequestSummary } from './pulls';
export type { GitRef } from './refs';
export type { ReleaseInput, EnsuredRelease } from './releases';
export type { AdvisoryInput, AdvisoryCrate, SecurityAdvisory, AdvisoryFork, Severity } from './advisories';
