export interface SecurityReleaseExecutorSchema {
  advisory: string;
  dryRun?: boolean;
  push?: boolean;
  date?: string;
  today?: string;
}
