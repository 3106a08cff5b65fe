export { checkSemver, type SemverCheckResult } from './check';

export { formatFindings } from './format';

export { defaultCacheDir } from './base-tree';
