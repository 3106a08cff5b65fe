import { readWorkspace } from '@crate-train/cargo';
import { resolveCrateList, type ResolvedCrateList } from '@crate-train/crate-list';
import type { CrateTrainOptions } from './plugin/options';

/** The crate list the plugin options name (or find), else the workspace's publishable members. */
export function crateListFor(root: string, options: Pick<CrateTrainOptions, 'crateList' | 'publicCrates'>): ResolvedCrateList {
  return resolveCrateList(root, options.crateList, readWorkspace(root).crates, options.publicCrates);
}
