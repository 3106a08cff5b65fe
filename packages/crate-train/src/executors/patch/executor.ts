import type { ExecutorContext } from '@nx/devkit';
import { patch } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { PatchExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';
import { versionFlagOfInvokingNx } from '../shared/nx-argv';

/** `nx run release:patch [--version=X.Y.Z]`: patch bump, date, marker commit, ci/bump-to-V, PR to the release branch. */
export default async function runExecutor(options: PatchExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  // Nx swallows `--version`; read it from the nx command line when the option is unset.
  const version = options.version ?? (await versionFlagOfInvokingNx('patch'));
  if (refuseBadOptions('patch', { ...options, version }, schema, context)) return { success: false };
  return runTrain(() => {
    const ctx = trainContext(options, context);
    if (options.requireNotes !== undefined) ctx.options = { ...ctx.options, requireNotes: options.requireNotes };
    return patch({ ...ctx, version, branch: options.branch });
  });
}
