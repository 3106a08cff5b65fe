import type { ExecutorContext } from '@nx/devkit';
import { planCheckedBump } from '@crate-train/verify';
import { applyPlan, planDiff, type BumpPlan } from '@crate-train/versions';
import { versionFlagOfInvokingNx } from '../shared/nx-argv';
import { pluginOptionsIn } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import type { BumpExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/** The summary a maintainer reads: the root version, each crate old -> new, the files. */
export function bumpSummary(plan: BumpPlan, projectName: string, dryRun: boolean): string {
  const lines = [`bump --kind=${plan.kind}: ${projectName} ${plan.current} -> ${plan.next}${dryRun ? ' (dry run: nothing written)' : ''}`, ''];
  const width = Math.max(0, ...plan.crates.map((c) => c.name.length));
  const fromWidth = Math.max(0, ...plan.crates.map((c) => c.from.length));
  lines.push(`crates bumped (${plan.crates.length}):`);
  for (const c of plan.crates) {
    lines.push(`  ${c.name.padEnd(width)}  ${c.from.padEnd(fromWidth)} -> ${c.to}${c.listed ? '' : '  (not published: inherits [workspace.package] version)'}`);
  }
  lines.push('', `files ${dryRun ? 'to change' : 'changed'} (${plan.files.length}):`);
  for (const f of plan.files) lines.push(`  ${f.path}`);
  for (const n of plan.notes) lines.push('', `note: ${n}`);
  for (const w of plan.warnings) lines.push('', `warning: ${w}`);
  return lines.join('\n') + '\n';
}

/** `nx run release:bump --kind=major|patch|dev|rc|release [--version=X.Y.Z] [--dry-run]` */
export default async function runExecutor(options: BumpExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  // Nx swallows `--version`; read it from the nx command line when the option is unset.
  const version = options.version ?? (await versionFlagOfInvokingNx('bump'));
  if (refuseBadOptions('bump', { ...options, version }, schema, context)) return { success: false };
  const { out, err } = executorOutput();
  try {
    const pluginOptions = pluginOptionsIn(context.nxJsonConfiguration, context.root);
    const plan = planCheckedBump(context.root, { kind: options.kind, version, options: pluginOptions });
    const dryRun = options.dryRun === true;
    if (dryRun) {
      const diff = await planDiff(plan.files);
      if (diff) out(diff.replace(/\n$/, ''));
    } else applyPlan(plan);
    out(bumpSummary(plan, pluginOptions.projectName, dryRun).replace(/\n$/, ''));
    return { success: true };
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return { success: false };
  }
}
