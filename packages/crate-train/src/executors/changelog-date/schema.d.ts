export interface ChangelogDateExecutorSchema {
  version?: string;
  on?: 'main' | 'branch';
  dryRun?: boolean;
  date?: string;
}
