import type { ExecutorContext } from '@nx/devkit';
import { cut } from '@crate-train/train';
import { runTrain, trainContext } from './run-train';
import type { CutExecutorSchema } from './schema';

/** `nx run release:cut`: branch cut, major bump, new RELEASES.md section, ci/bump-to-NEW, PR to main. */
export default async function runExecutor(options: CutExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runTrain(() => cut(trainContext(options, context)));
}
