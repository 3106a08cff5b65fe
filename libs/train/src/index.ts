export { TRAIN_DEFAULTS, type TrainOptions } from './options';
export { type TrainContext } from './context';

export { branchCut } from './branch-cut';
export { cut } from './cut';
export { releaseLatest } from './release-latest';
export { patch, preparePatch, publishPatch, type PreparedPatch } from './patch';
export { releaseCandidate } from './rc';
export { tagRelease } from './tag';
export { changelogDate } from './changelog-date';
export { openPullRequest } from './pull-request';
export { directRelease, type DirectReleaseResult } from './direct-release';
