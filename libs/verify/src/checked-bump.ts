import { readWorkspace } from '@crate-train/cargo';
import { readCrateList } from '@crate-train/crate-list';
import { BumpError, planBump, type BumpPlan, type PlanBumpOptions } from '@crate-train/versions';
import { checkCrateRules } from './rules';

/**
 * planBump after the crate-list rules, as Wasmtime's `bump` asserts them while
 * it rewrites: a tree that breaks a rule is not bumped (nothing is written).
 */
export function planCheckedBump(root: string, opts: PlanBumpOptions): BumpPlan {
  const listFile = opts.options?.crateList ?? 'scripts/publish.rs';
  const workspace = opts.workspace ?? readWorkspace(root);
  const crateList = opts.crateList ?? readCrateList(root, listFile);
  const violations = checkCrateRules({ workspace, list: crateList, listFile });
  if (violations.length) throw new BumpError(violations.map((v) => v.message));
  return planBump(root, { ...opts, workspace, crateList });
}
