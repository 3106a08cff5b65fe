// The base revision's sources, extracted once per commit into a cache folder so
// several crates (and several runs) share one copy and one cargo target dir.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Git } from '@crate-train/git';
import { CommandError, run } from '@crate-train/proc';

const COMPLETE = '.crate-train-extracted';

/** Cache folder for one workspace: base trees and the target dirs that build them. */
export function defaultCacheDir(workspaceRoot: string): string {
  const id = createHash('sha1').update(realpathSync(workspaceRoot)).digest('hex').slice(0, 12);
  return join(tmpdir(), 'crate-train-semver', id);
}

/** Resolves a tag, branch or sha to a commit, with an error that says what to pass instead. */
export async function resolveRev(workspaceRoot: string, rev: string): Promise<string> {
  const sha = await new Git(workspaceRoot).revParse(rev);
  if (!sha) {
    throw new Error(
      `semver-check: base revision '${rev}' is not a commit in ${workspaceRoot} ` + `(fetch tags with \`git fetch --tags\`, or pass --base=<tag or commit>)`,
    );
  }
  return sha;
}

/**
 * Extracts the tree of `sha` with `git archive` (the repository itself is not
 * touched: no worktree metadata to clean up after a crash). Returns the folder
 * that corresponds to `workspaceRoot` inside the extracted tree.
 */
export async function extractBaseTree(workspaceRoot: string, sha: string, cacheDir: string): Promise<string> {
  const top = await new Git(workspaceRoot).topLevel();
  const prefix = relative(realpathSync(top), realpathSync(workspaceRoot));
  const dest = join(cacheDir, `tree-${sha}`);
  if (existsSync(join(dest, COMPLETE))) return join(dest, prefix);

  mkdirSync(cacheDir, { recursive: true });
  // Extract beside the destination, then rename: concurrent runs never see half a tree.
  const partial = mkdtempSync(join(cacheDir, `tree-${sha}.partial-`));
  try {
    const tar = join(partial, '..', `${partial.split(/[\\/]/).pop()}.tar`);
    try {
      await new Git(top).archive(sha, tar);
      await run('tar', ['-xf', tar, '-C', partial]);
    } finally {
      rmSync(tar, { force: true });
    }
    writeFileSync(join(partial, COMPLETE), `${sha}\n`);
    try {
      renameSync(partial, dest);
    } catch (e) {
      // Another run finished first; use its copy.
      if (!existsSync(join(dest, COMPLETE))) throw e;
    }
  } catch (e) {
    if (e instanceof CommandError) throw new Error(`semver-check: could not extract ${sha} from ${top}: ${e.message}`);
    throw e;
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return join(dest, prefix);
}
