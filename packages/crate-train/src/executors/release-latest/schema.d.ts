export interface ReleaseLatestExecutorSchema {
  dryRun?: boolean;
  push?: boolean;
  date?: string;
}
