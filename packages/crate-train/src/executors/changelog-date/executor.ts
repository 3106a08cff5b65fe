import type { ExecutorContext } from '@nx/devkit';
import { changelogDate } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { ChangelogDateExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';
import { versionFlagOfInvokingNx } from '../shared/nx-argv';

/** `nx run release:changelog-date [--version] [--date]`: the release date in RELEASES.md of the working tree. */
export default async function runExecutor(options: ChangelogDateExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  // Nx swallows `--version`; read it from the nx command line when the option is unset.
  const version = options.version ?? (await versionFlagOfInvokingNx('changelog-date'));
  if (refuseBadOptions('changelog-date', { ...options, version }, schema, context)) return { success: false };
  return runTrain(() => changelogDate({ ...trainContext(options, context), version, on: options.on }));
}
