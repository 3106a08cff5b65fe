import type { ExecutorContext } from '@nx/devkit';
import { directRelease } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { ReleaseExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';
import { versionFlagOfInvokingNx } from '../shared/nx-argv';
import { rawPluginOptions } from '../../plugin/options';

/** `nx run release:release --kind=major|patch`: the direct model (wasm-tools): bump, marker commit, ci/release-V, PR to this branch. */
export default async function runExecutor(options: ReleaseExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const version = options.version ?? (await versionFlagOfInvokingNx('release'));
  if (refuseBadOptions('release', { ...options, version }, schema, context)) return { success: false };
  return runTrain(() => {
    const ctx = trainContext(options, context);
    // Unset in nx.json: the repository's name (wasm-tools), not the Wasmtime default.
    const projectName = rawPluginOptions(context.nxJsonConfiguration)?.projectName;
    return directRelease({ ...ctx, kind: options.kind, version, ...(typeof projectName === 'string' ? { projectName } : {}) });
  });
}
