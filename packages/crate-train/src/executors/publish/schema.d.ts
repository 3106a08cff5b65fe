export interface PublishExecutorSchema {
  dryRun?: boolean;
  concurrency?: number;
  registry?: string;
  json?: boolean;
  allowDirty?: boolean;
  pollIntervalMs?: number;
  rateLimits?: 'auto' | 'crates-io' | 'none';
  rateLimitScale?: number;
  ownerTeam?: string;
  maxAttempts?: number;
  backoffMs?: number;
  cargoHttpTimeout?: number;
  cargoTimeoutMs?: number;
  visibilityTimeoutMs?: number;
  progressIntervalMs?: number;
  verbose?: boolean;
  uploader?: 'direct' | 'cargo';
  trustedPublishing?: 'auto' | 'always' | 'never';
  renewTokenAfterMs?: number;
  maxCrateBytes?: number;
}
