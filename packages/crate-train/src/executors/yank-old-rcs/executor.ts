import type { ExecutorContext } from '@nx/devkit';
import { readWorkspace } from '@crate-train/cargo';
import { readCrateList } from '@crate-train/crate-list';
import { connectRegistry, resolveRegistry, yankOldRcs } from '@crate-train/registry';
import { pluginOptionsIn } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import type { YankOldRcsExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/** `nx run release:yank-old-rcs [--dry-run]`: yank X.Y.Z-rc.N versions a newer release supersedes. */
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
    const ws = readWorkspace(context.root);
    const crates = readCrateList(context.root, plugin.crateList).cratesToPublish.filter((n) => ws.crates.some((c) => c.name === n));
    const { api } = await connectRegistry(registry);
    const yanks = await yankOldRcs({
      api,
      crates,
      dryRun: options.dryRun === true,
      onYank: (y) => {
        if (options.json) return;
        const verb = y.result === 'would-yank' ? 'would yank' : y.result === 'yanked' ? 'yanked' : 'FAILED to yank';
        out(`${verb} ${y.crate} ${y.version} (superseded by ${y.supersededBy})${y.error ? `: ${y.error}` : ''}`);
      },
    });
    const failed = yanks.filter((y) => y.result === 'failed');
    if (options.json) out(JSON.stringify({ registry: registry.toJSON(), dryRun: options.dryRun === true, yanks }, null, 2));
    else
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
