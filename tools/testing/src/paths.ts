import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Walk up instead of a fixed `../..`: this module also runs bundled from
// dist/.run/ (tools/build/run-ts.mjs), where __dirname is elsewhere.
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'tools', 'build', 'build-plugin.mjs'))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`crate-train repository root not found above ${start} (looked for nx.json and tools/build/build-plugin.mjs)`);
}

/** Absolute path of this repository (the folder with nx.json). */
export const REPO_ROOT: string = findRepoRoot(__dirname);

/** Absolute path of the Wasmtime-shaped sample Cargo workspace. */
export const SAMPLE_DIR: string = join(REPO_ROOT, 'tools', 'sample-workspace');
