export interface BranchCutExecutorSchema {
  dryRun?: boolean;
  push?: boolean;
}
