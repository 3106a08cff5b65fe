export { Git, ZERO_SHA, type Committer, type GitClientOptions, type PushRef, type MarkerCommit } from './git';
export { GitError } from './errors';
export { authEnv, authSecrets, authScope, githubWebUrl, DEFAULT_GITHUB_WEB_URL, type GitAuth } from './auth';
export { parseReleaseBranch, latestReleaseBranch, sortedReleaseBranches, type ReleaseBranch } from './release-branches';
