export interface SemverCheckExecutorSchema {
  crate: string;
  base?: string;
  json?: boolean;
  offline?: boolean;
}
