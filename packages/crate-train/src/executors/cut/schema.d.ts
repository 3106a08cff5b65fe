export interface CutExecutorSchema {
  dryRun?: boolean;
  push?: boolean;
  date?: string;
}
