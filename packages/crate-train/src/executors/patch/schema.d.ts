export interface PatchExecutorSchema {
  version?: string;
  branch?: string;
  dryRun?: boolean;
  push?: boolean;
  date?: string;
  requireNotes?: boolean;
}
