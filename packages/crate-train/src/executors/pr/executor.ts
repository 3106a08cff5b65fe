import type { ExecutorContext } from '@nx/devkit';
import { openPullRequest } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { PrExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/** `nx run release:pr --head --base --title [--body]`: create, or find and update, the PR of a work branch. */
export default async function runExecutor(options: PrExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('pr', options, schema, context, { required: ['head', 'base', 'title'] })) return { success: false };
  return runTrain(() =>
    openPullRequest({ ...trainContext(options, context), head: options.head, base: options.base, title: options.title, body: options.body ?? '' }),
  );
}
