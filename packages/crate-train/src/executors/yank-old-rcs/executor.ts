import type { ExecutorContext } from '@nx/devkit';
import { readWorkspace } from '@crate-train/cargo';
import { crateListFor } from '../../crate-list';
import { connectRegistry, CRATES_IO_YANK_RATE, formatYankPlan, resolveRegistry, yankOldRcs, type YankRate } from '@crate-train/registry';
import { pluginOptionsIn } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import type { YankOldRcsExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/**
 * `nx run release:yank-old-rcs [--dry-run]`: yank the X.Y.Z-rc.N versions the
 * tree's release supersedes, per crate (each from its own version), paced to
 * the registry's yank limit.
 */
export default async function runExecutor(options: YankOldRcsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('yank-old-rcs', options, schema, context)) return { success: false };
  let secrets: string[] = [];
  const { out, err } = executorOutput(() => secrets);
  try {
    const plugin = pluginOptionsIn(context.nxJsonConfiguration, context.root);
    const registry = resolveRegistry({ name: options.registry ?? plugin.registry, cwd: context.root });
    if (registry.token) secrets = [registry.token];
    if (!options.dryRun && !registry.token) {
      throw new Error(`no token for registry \`${registry.name}\`: set ${registry.tokenEnvVar} in the environment`);
    }
    // Each crate's own version in the tree is what it releases (the 0.x line has its own).
    const members = new Map(readWorkspace(context.root).crates.map((c) => [c.name, c.version]));
    const crates = crateListFor(context.root, plugin)
      .list.cratesToPublish.filter((n) => members.has(n))
      .map((name) => ({ name, version: members.get(name)! }));
    let rate: YankRate | undefined;
    const mode = options.rateLimits ?? 'auto';
    if (mode === 'crates-io' || (mode === 'auto' && registry.isCratesIo)) {
      rate = { ...CRATES_IO_YANK_RATE, periodMs: Math.max(1, Math.round(CRATES_IO_YANK_RATE.periodMs * (options.rateLimitScale ?? 1))) };
    }
    const { api } = await connectRegistry(registry, {
      onRetry: (r) => out(`registry: ${r.reason}; retrying in ${Math.ceil(r.delayMs / 1000)} s`),
    });
    const { plan, yanks } = await yankOldRcs({
      api,
      crates,
      dryRun: options.dryRun === true,
      rate,
      onPlan: (p) => {
        if (!options.json) for (const l of formatYankPlan(p)) out(l);
      },
      onWait: (ms, left) => {
        if (!options.json) out(`waiting ${Math.ceil(ms / 1000)} s for the registry's yank limit (${left} left)`);
      },
      onYank: (y) => {
        if (options.json) return;
        const verb = y.result === 'would-yank' ? 'would yank' : y.result === 'yanked' ? 'yanked' : 'FAILED to yank';
        out(`${verb} ${y.crate} ${y.version} (superseded by ${y.supersededBy})${y.error ? `: ${y.error}` : ''}`);
      },
    });
    const failed = yanks.filter((y) => y.result === 'failed');
    if (options.json) {
      const planned = { startAt: new Date(plan.startAt).toISOString(), finishAt: new Date(plan.finishAt).toISOString(), rate: plan.rate ?? null };
      out(JSON.stringify({ registry: registry.toJSON(), dryRun: options.dryRun === true, plan: planned, yanks }, null, 2));
    } else
      out(
        yanks.length === 0
          ? `no superseded release candidates among ${crates.length} crates`
          : `${yanks.length - failed.length} of ${yanks.length} superseded release candidates ${options.dryRun ? 'would be yanked' : 'yanked'}`,
      );
    if (failed.length) err(`error: could not yank ${failed.map((y) => `${y.crate} ${y.version}`).join(', ')} — run again`);
    return { success: failed.length === 0 };
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return { success: false };
  }
}
