// Which crates the crate list governs, as Wasmtime's publish script decides:
// the root package plus every crate under the folders it walks. Only governed
// crates are checked against the list, bumped and published.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeFolder } from './discovery';
import { CrateListError, type CrateList } from './parse';

/** The little the scope needs to know of a crate (CrateInfo fits). */
export interface ScopeCrate {
  name: string;
  /** Folder relative to the workspace root, '.' for the root package. */
  root: string;
  publish: boolean;
}

export interface ScopeOptions {
  /** Plugin option `crateRoots`: overrides the list's `find_crates` folders. */
  crateRoots?: string[];
  /** The crate list's path (for messages). */
  listFile: string;
  /** The workspace root, to check that `crateRoots` folders exist (skipped when absent). */
  workspaceRoot?: string;
}

export interface CrateScope {
  /** The folders walked, or undefined when every workspace member is governed. */
  roots?: string[];
  rootsFrom: 'crateRoots option' | 'find_crates calls' | 'every member';
  /** Governed crates: the root package and the crates under `roots`. */
  governed: Set<string>;
  /** What is published: listed, governed, and not `publish = false`. */
  published: Set<string>;
  /** Workspace members outside the walked folders (never checked, bumped or published). */
  ungoverned: string[];
  /** Listed names with no crate in the workspace (the script skips them). */
  stale: string[];
  /** Listed crates that exist but lie outside the walked folders. */
  listedUngoverned: string[];
  /** Listed, governed crates with `publish = false` (not published). */
  listedUnpublishable: string[];
  /** Walked folders that do not exist (from find_crates; the option's are errors). */
  missingRoots: string[];
}

const under = (dir: string, folder: string) => folder === '.' || dir === folder || dir.startsWith(folder + '/');

export function crateScope(crates: readonly ScopeCrate[], list: CrateList, o: ScopeOptions): CrateScope {
  const fromOption = o.crateRoots !== undefined;
  const roots = fromOption ? o.crateRoots!.map(normalizeFolder) : list.discoveryRoots;
  const missingRoots: string[] = [];
  if (roots && o.workspaceRoot) {
    for (const r of roots) {
      const abs = join(o.workspaceRoot, r);
      if (existsSync(abs) && statSync(abs).isDirectory()) continue;
      if (fromOption) {
        throw new CrateListError(
          'nx.json',
          `the crateRoots option of the crate-train plugin names "${r}", which is not a folder of the workspace — fix the folder name or remove it from crateRoots`,
        );
      }
      missingRoots.push(r);
    }
  }
  const isGoverned = (c: ScopeCrate) => c.root === '.' || !roots || roots.some((r) => under(c.root, r));
  const byName = new Map(crates.map((c) => [c.name, c]));
  const governed = new Set(crates.filter(isGoverned).map((c) => c.name));
  const published = new Set<string>();
  const stale: string[] = [];
  const listedUngoverned: string[] = [];
  const listedUnpublishable: string[] = [];
  for (const name of list.cratesToPublish) {
    const c = byName.get(name);
    if (!c) stale.push(name);
    else if (!governed.has(name)) listedUngoverned.push(name);
    else if (!c.publish) listedUnpublishable.push(name);
    else published.add(name);
  }
  return {
    ...(roots ? { roots } : {}),
    rootsFrom: fromOption ? 'crateRoots option' : roots ? 'find_crates calls' : 'every member',
    governed,
    published,
    ungoverned: crates.filter((c) => !governed.has(c.name)).map((c) => c.name),
    stale,
    listedUngoverned,
    listedUnpublishable,
    missingRoots,
  };
}
