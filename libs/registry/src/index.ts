export { resolveRegistry } from './cargo-config';
export { connectRegistry } from './client';

export { type PublishPlan } from './plan';
export { RateBudget, CRATES_IO_RATE_LIMITS, scaleRateLimits, type RateLimitModel } from './rate-budget';

export { abortOnSignals } from './signals';
export { publishWorkspace, planWorkspace } from './publish-workspace';
export { publishRelease, registryPreflight } from './publish-release';
export { formatEvent, formatPlan, formatSummary, reportJson } from './format';
export { yankOldRcs, formatYankPlan, CRATES_IO_YANK_RATE, type YankRate } from './yank';
