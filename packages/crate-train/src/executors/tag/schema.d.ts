export interface TagExecutorSchema {
  before: string;
  after: string;
  dryRun?: boolean;
  push?: boolean;
}
