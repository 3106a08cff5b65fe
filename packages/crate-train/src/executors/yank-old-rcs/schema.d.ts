export interface YankOldRcsExecutorSchema {
  dryRun?: boolean;
  registry?: string;
  json?: boolean;
}
