import { readWorkspace } from '@crate-train/cargo';
import { crateListWithSource } from '@crate-train/crate-list';
import { BumpError, planBump, type BumpPlan, type PlanBumpOptions } from '@crate-train/versions';
import { checkCrateRules, scopeOf } from './rules';

/**
 * planBump after the crate-list rules, as Wasmtime's `bump` asserts them while
 * it rewrites: a tree that breaks a rule of severity "error" is not bumped
 * (nothing is written); the warnings travel with the plan, ahead of its own.
 */
export function planCheckedBump(root: string, opts: PlanBumpOptions): BumpPlan {
  const workspace = opts.workspace ?? readWorkspace(root);
  const { list: crateList, listFile } = crateListWithSource(root, opts.options?.crateList, workspace.crates, opts.options?.publicCrates, opts.crateList);
  const input = { workspace, list: crateList, listFile, crateRoots: opts.options?.crateRoots };
  const scope = opts.scope ?? scopeOf(input);
  const violations = checkCrateRules({ ...input, scope });
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length) throw new BumpError(errors.map((v) => v.message));
  const plan = planBump(root, { ...opts, workspace, crateList, scope });
  return { ...plan, warnings: [...violations.map((v) => v.message), ...plan.warnings] };
}
