export interface YankOldRcsExecutorSchema {
  dryRun?: boolean;
  registry?: string;
  json?: boolean;
  rateLimits?: 'auto' | 'crates-io' | 'none';
  rateLimitScale?: number;
}
