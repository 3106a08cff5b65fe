export { Git, ZERO_SHA, type GitClientOptions, type MarkerCommit } from './git';

export { githubWebUrl, type GitAuth } from './auth';
export { parseReleaseBranch, latestReleaseBranch, sortedReleaseBranches, type ReleaseBranch } from './release-branches';
