import type { ExecutorContext } from '@nx/devkit';
import { cut } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { CutExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/** `nx run release:cut`: branch cut, major bump, new RELEASES.md section, ci/bump-to-NEW, PR to main. */
export default async function runExecutor(options: CutExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('cut', options, schema, context)) return { success: false };
  return runTrain(() => cut(trainContext(options, context)));
}
