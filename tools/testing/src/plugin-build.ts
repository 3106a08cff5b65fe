import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from '@crate-train/proc';
import { REPO_ROOT } from './paths';

const DIST = join(REPO_ROOT, 'dist', 'packages', 'crate-train');
const LOCK = join(REPO_ROOT, 'dist', '.crate-train-build.lock');
const STALE_LOCK_MS = 5 * 60_000;

/** The hash build-plugin.mjs stamps into the package (one implementation: tools/build/source-hash.mjs). */
async function currentSourceHash(): Promise<string> {
  const mod = (await import(pathToFileURL(join(REPO_ROOT, 'tools', 'build', 'source-hash.mjs')).href)) as { pluginSourceHash: (root: string) => string };
  return mod.pluginSourceHash(REPO_ROOT);
}

function builtHash(): string | undefined {
  try {
    return readFileSync(join(DIST, '.source-hash'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One build at a time across processes (mkdir is atomic); a lock older than STALE_LOCK_MS is from a dead process. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // removed by its owner meanwhile
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * The built plugin package (dist/packages/crate-train) for the current sources.
 * Under Nx the `build` target has made it already (e2e targets depend on it), so
 * this only checks the source hash the build stamped; run outside Nx (the demo, a
 * single spec) it builds when the package is missing or stale.
 */
export async function ensurePluginBuilt(): Promise<string> {
  const want = await currentSourceHash();
  if (builtHash() === want && existsSync(join(DIST, 'package.json'))) return DIST;
  await withBuildLock(async () => {
    if (builtHash() === want && existsSync(join(DIST, 'package.json'))) return;
    await run(process.execPath, [join(REPO_ROOT, 'tools', 'build', 'build-plugin.mjs')], { cwd: REPO_ROOT });
  });
  if (!existsSync(join(DIST, 'package.json'))) throw new Error(`tools/build/build-plugin.mjs finished but ${DIST}/package.json is missing`);
  return DIST;
}
