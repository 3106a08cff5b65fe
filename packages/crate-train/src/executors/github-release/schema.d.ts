export interface GithubReleaseExecutorSchema {
  tag?: string;
  assets?: string[] | string;
  dryRun?: boolean;
}
