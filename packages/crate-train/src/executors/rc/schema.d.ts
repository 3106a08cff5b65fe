export interface RcExecutorSchema {
  version?: string;
  branch?: string;
  dryRun?: boolean;
  push?: boolean;
}
