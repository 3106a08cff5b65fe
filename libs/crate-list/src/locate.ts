// Where the crate list lives when no option says: Wasmtime's `scripts/publish.rs`
// (until 2026-08), its `crates/misc/publish/src/main.rs` (PR #14051), wasm-tools'
// `ci/publish.rs`, else the
// one `.rs` file of the repository that defines CRATES_TO_PUBLISH.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CRATE_LIST_CANDIDATES = ['scripts/publish.rs', 'crates/misc/publish/src/main.rs', 'ci/publish.rs'] as const;

/** Folders never searched: VCS data, build output, installed packages. */
const SKIP = new Set(['.git', 'target', 'node_modules', '.nx', 'dist', 'tmp', '.cargo', 'vendor']);
const DEFINES = /\b(?:const|static)\s+(?:mut\s+)?CRATES_TO_PUBLISH\s*:/;

const found = new Map<string, string | undefined>();

/**
 * The crate list's path relative to `root`: the first of CRATE_LIST_CANDIDATES
 * that exists, else the first `.rs` file (sorted walk) defining
 * `const CRATES_TO_PUBLISH`, else `scripts/publish.rs` (so a missing list is
 * reported under its conventional name). The search result is remembered per
 * root for the process and re-checked before reuse.
 */
export function locateCrateList(root: string): string {
  return findCrateList(root) ?? CRATE_LIST_CANDIDATES[0];
}

/** As locateCrateList, but undefined when the workspace has no crate list at all. */
export function findCrateList(root: string): string | undefined {
  for (const c of CRATE_LIST_CANDIDATES) if (existsSync(join(root, c))) return c;
  const memo = found.get(root);
  if (found.has(root) && (memo === undefined || definesList(join(root, memo)))) return memo;
  const hit = search(root, '', 0);
  found.set(root, hit);
  return hit;
}

function search(root: string, rel: string, depth: number): string | undefined {
  if (depth > 8) return undefined;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(join(root, rel), { withFileTypes: true });
  } catch {
    return undefined;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isFile() && e.name.endsWith('.rs') && definesList(join(root, path))) return path;
  }
  for (const e of entries) {
    if (!e.isDirectory() || SKIP.has(e.name) || e.name.startsWith('.')) continue;
    const hit = search(root, rel ? `${rel}/${e.name}` : e.name, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

function definesList(file: string): boolean {
  try {
    if (statSync(file).size > 2_000_000) return false;
    return DEFINES.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}
