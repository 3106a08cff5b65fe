import type { ExecutorContext } from '@nx/devkit';
import { branchCut } from '@crate-train/train';
import { runTrain, trainContext } from '../shared/run-train';
import type { BranchCutExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/** `nx run release:branch-cut`: push the head of main to release-X.Y.Z (idempotent; refuses another sha). */
export default async function runExecutor(options: BranchCutExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('branch-cut', options, schema, context)) return { success: false };
  return runTrain(() => branchCut(trainContext(options, context)));
}
