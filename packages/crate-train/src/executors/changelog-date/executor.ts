import type { ExecutorContext } from '@nx/devkit';
import { changelogDate } from '@crate-train/train';
import { runTrain, trainContext } from '../cut/run-train';
import type { ChangelogDateExecutorSchema } from './schema';

/** `nx run release:changelog-date [--version] [--date]`: the release date in RELEASES.md of the working tree. */
export default async function runExecutor(options: ChangelogDateExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runTrain(() => changelogDate({ ...trainContext(options, context), version: options.version, on: options.on }));
}
