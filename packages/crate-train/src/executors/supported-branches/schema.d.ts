export interface SupportedBranchesExecutorSchema {
  json?: boolean;
  newest?: number;
  today?: string;
  fetch?: boolean;
}
