// Helpers for the release-train executor specs: a committed copy of the sample
// with crate-train options in nx.json, a bare origin, and captured output.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { copySample, initRepoWithOrigin } from '@crate-train/testing';

export async function sampleRepo(pluginOptions: object = {}): Promise<{ dir: string; origin: string; context: ExecutorContext }> {
  const dir = copySample();
  writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: pluginOptions }] }, null, 2) + '\n');
  const { origin } = await initRepoWithOrigin(dir);
  const context = { root: dir, cwd: dir, isVerbose: false, projectName: 'release' } as unknown as ExecutorContext;
  return { dir, origin, context };
}

/** Runs fn with console.log/error captured; returns its result and everything printed. */
export async function captured<T>(fn: () => Promise<T>): Promise<{ result: T; out: string }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    const result = await fn();
    return { result, out: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}
