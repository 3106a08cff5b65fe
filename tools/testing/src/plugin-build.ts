import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from '@crate-train/proc';
import { REPO_ROOT } from './paths';

const DIST = join(REPO_ROOT, 'dist', 'packages', 'crate-train');
// Immutable copies of the build, one per source hash. Tests point at a copy,
// so a rebuild started by another test process (the tree is shared, Jest runs
// projects in parallel) never deletes files under a running `nx`.
const SNAPSHOTS = join(REPO_ROOT, 'dist', '.crate-train-plugin');
const LOCK = join(SNAPSHOTS, '.lock');
const STALE_LOCK_MS = 5 * 60_000;
const KEEP_SNAPSHOTS_MS = 2 * 60 * 60_000;

function walk(dir: string, keep: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(p, keep);
    return keep(p) ? [p] : [];
  });
}

/** Hash of everything build-plugin.mjs reads: the package, the libs it bundles, the build script. */
function sourceHash(): string {
  const notSpec = (f: string) => !/\.(spec|test)\.ts$/.test(f) && !f.endsWith('jest.config.cjs');
  const libs = join(REPO_ROOT, 'libs');
  const files = [
    ...walk(join(REPO_ROOT, 'packages', 'crate-train'), notSpec),
    ...(existsSync(libs) ? readdirSync(libs).flatMap((l) => walk(join(libs, l, 'src'), notSpec)) : []),
    join(REPO_ROOT, 'tools', 'build', 'build-plugin.mjs'),
    join(REPO_ROOT, 'tsconfig.base.json'),
  ].sort();
  const h = createHash('sha256');
  for (const f of files) h.update(relative(REPO_ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cross-process mutex: mkdir is atomic. A lock older than STALE_LOCK_MS is from a dead process. */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(SNAPSHOTS, { recursive: true });
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

function pruneOldSnapshots(keep: string): void {
  for (const name of readdirSync(SNAPSHOTS)) {
    const p = join(SNAPSHOTS, name);
    if (name.startsWith('.') || p === keep) continue;
    if (Date.now() - statSync(p).mtimeMs > KEEP_SNAPSHOTS_MS) rmSync(p, { recursive: true, force: true });
  }
}

async function buildSnapshot(): Promise<string> {
  const hash = sourceHash();
  const snapshot = join(SNAPSHOTS, hash, 'crate-train');
  if (existsSync(join(snapshot, 'package.json'))) {
    // In use again: keep pruneOldSnapshots() (which goes by mtime) away from it.
    const now = new Date();
    utimesSync(join(SNAPSHOTS, hash), now, now);
    return snapshot;
  }
  await withLock(async () => {
    if (existsSync(join(snapshot, 'package.json'))) return;
    await run(process.execPath, [join(REPO_ROOT, 'tools', 'build', 'build-plugin.mjs')], { cwd: REPO_ROOT });
    if (!existsSync(join(DIST, 'package.json'))) {
      throw new Error(`tools/build/build-plugin.mjs finished but ${DIST}/package.json is missing`);
    }
    const partial = `${join(SNAPSHOTS, hash)}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(DIST, join(partial, 'crate-train'), { recursive: true });
    renameSync(partial, join(SNAPSHOTS, hash));
    pruneOldSnapshots(join(SNAPSHOTS, hash));
  });
  return snapshot;
}

let built: Promise<string> | undefined;

/**
 * Builds the installable plugin (`node tools/build/build-plugin.mjs`) once per
 * process, or again when its output is gone, and returns the directory of the
 * built package: an immutable copy of dist/packages/crate-train for the current
 * sources (dist/.crate-train-plugin/<hash>/crate-train).
 */
export async function ensurePluginBuilt(): Promise<string> {
  built ??= buildSnapshot();
  try {
    const dir = await built;
    if (existsSync(join(dir, 'package.json'))) return dir;
  } catch (e) {
    built = undefined;
    throw e;
  }
  built = buildSnapshot();
  return built;
}
