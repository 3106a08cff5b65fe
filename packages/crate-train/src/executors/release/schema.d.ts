export interface ReleaseExecutorSchema {
  kind: 'major' | 'patch';
  version?: string;
  dryRun?: boolean;
  push?: boolean;
}
