export interface NxReleasePublishExecutorSchema {
  dryRun?: boolean;
  registry?: string;
  concurrency?: number;
  firstRelease?: boolean;
  nxReleaseVersionData?: Record<string, unknown>;
}
