import type { ExecutorContext } from '@nx/devkit';
import { releaseLatest } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { ReleaseLatestExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/** `nx run release:release-latest`: release date on main and on the newest release branch (marker commit); two PRs. */
export default async function runExecutor(options: ReleaseLatestExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('release-latest', options, schema, context)) return { success: false };
  return runTrain(() => releaseLatest(trainContext(options, context)));
}
