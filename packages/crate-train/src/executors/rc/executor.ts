import type { ExecutorContext } from '@nx/devkit';
import { releaseCandidate } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { RcExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';
import { versionFlagOfInvokingNx } from '../shared/nx-argv';

/** `nx run release:rc [--version=X.Y.Z-rc.N]`: the next release candidate of a release branch, marker commit on ci/rc-V, PR to the branch. */
export default async function runExecutor(options: RcExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  // Nx swallows `--version`; read it from the nx command line when the option is unset.
  const version = options.version ?? (await versionFlagOfInvokingNx('rc'));
  if (refuseBadOptions('rc', { ...options, version }, schema, context)) return { success: false };
  return runTrain(() => releaseCandidate({ ...trainContext(options, context), version, branch: options.branch }));
}
