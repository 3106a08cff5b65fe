import type { ExecutorContext } from '@nx/devkit';
import { planCheckedBump } from '@crate-train/verify';
import { applyPlan, planDiff, type BumpPlan } from '@crate-train/versions';
import { versionFlagOfInvokingNx } from '../shared/nx-argv';
import { readPluginOptions } from '../../plugin/options';
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
    lines.push(
      `  ${c.name.padEnd(width)}  ${c.from.padEnd(fromWidth)} -> ${c.to}${c.listed ? '' : '  (not in CRATES_TO_PUBLISH: inherits [workspace.package] version)'}`,
    );
  }
  lines.push('', `files ${dryRun ? 'to change' : 'changed'} (${plan.files.length}):`);
  for (const f of plan.files) lines.push(`  ${f.path}`);
  for (const n of plan.notes) lines.push('', `note: ${n}`);
  for (const w of plan.warnings) lines.push('', `warning: ${w}`);
  return lines.join('\n') + '\n';
}

/** `nx run release:bump --kind=major|patch|dev|rc|release [--version=X.Y.Z] [--dry-run]` */
export default async function runExecutor(options: BumpExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const root = context.root;
  // Nx swallows `--version`; read it from the nx command line when the option is unset.
  const version = options.version ?? (await versionFlagOfInvokingNx('bump'));
  if (refuseBadOptions('bump', { ...options, version }, schema, context)) return { success: false };
  try {
    const pluginOptions = readPluginOptions(root);
    const plan = planCheckedBump(root, { kind: options.kind, version, options: pluginOptions });
    const dryRun = options.dryRun === true;
    if (dryRun) process.stdout.write(await planDiff(plan.files));
    else applyPlan(plan);
    process.stdout.write(bumpSummary(plan, pluginOptions.projectName, dryRun));
    return { success: true };
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return { success: false };
  }
}
