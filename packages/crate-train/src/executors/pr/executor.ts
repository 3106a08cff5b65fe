import type { ExecutorContext } from '@nx/devkit';
import { openPullRequest } from '@crate-train/train';
import { runTrain, trainContext } from '../cut/run-train';
import type { PrExecutorSchema } from './schema';

/** `nx run release:pr --head --base --title [--body]`: create, or find and update, the PR of a work branch. */
export default async function runExecutor(options: PrExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runTrain(() =>
    openPullRequest({ ...trainContext(options, context), head: options.head, base: options.base, title: options.title, body: options.body ?? '' }),
  );
}
