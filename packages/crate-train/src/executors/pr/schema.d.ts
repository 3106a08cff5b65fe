export interface PrExecutorSchema {
  head: string;
  base: string;
  title: string;
  body?: string;
  dryRun?: boolean;
}
