import type { BumpKind } from '@crate-train/versions';

export interface BumpExecutorSchema {
  kind?: BumpKind;
  version?: string;
  dryRun?: boolean;
}
