import type { ExecutorContext } from '@nx/devkit';
import { tagRelease } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { TagExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/** `nx run release:tag --before=SHA --after=SHA`: tag vX.Y.Z when the pushed commits carry the release marker. */
export default async function runExecutor(options: TagExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('tag', options, schema, context, { required: ['before', 'after'] })) return { success: false };
  return runTrain(() => tagRelease({ ...trainContext(options, context), before: String(options.before ?? ''), after: String(options.after ?? '') }));
}
