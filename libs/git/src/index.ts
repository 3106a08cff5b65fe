export { Git, ZERO_SHA, type Committer, type GitClientOptions, type PushRef, type MarkerCommit } from './git';
export { GitError } from './errors';
export { authEnv, authSecrets, type GitAuth } from './auth';
export { parseReleaseBranch, latestReleaseBranch, type ReleaseBranch } from './release-branches';
