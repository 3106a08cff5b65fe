// Helpers for the release-train executor specs: a committed copy of the sample
// with crate-train options in nx.json, a bare origin, and the executor context.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { copySample, executorContext, initRepoWithOrigin } from '@crate-train/testing';

export async function sampleRepo(pluginOptions: object = {}): Promise<{ dir: string; origin: string; context: ExecutorContext }> {
  const dir = copySample();
  writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: pluginOptions }] }, null, 2) + '\n');
  const { origin } = await initRepoWithOrigin(dir);
  return { dir, origin, context: executorContext(dir) };
}
