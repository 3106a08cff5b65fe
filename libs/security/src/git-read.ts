import { CommandError } from '@crate-train/proc';
import { githubRepositoryFor } from '@crate-train/github';
import { Git, sortedReleaseBranches } from '@crate-train/git';
import type { ReleaseBranchState } from '@crate-train/support-policy';
import { SecurityError } from './errors';
import { releaseDateInReleasesMd, versionInRootManifest } from './release-date';

export interface ReadBranchesOptions {
  remote: string;
  branchPrefix: string;
  releasesFile: string;
  /** `git fetch --prune --tags` the remote first (default true). */
  fetch?: boolean;
}

/**
 * Reads every remote release branch: its version (root Cargo.toml) and the date
 * its line was first released: the `Released YYYY-MM-DD` line of `## X.Y.Z` in the
 * branch's RELEASES.md, else the date of tag `vX.Y.Z`, else null (not released).
 * Branches come in numeric version order.
 */
export async function readReleaseBranches(root: string, o: ReadBranchesOptions): Promise<ReleaseBranchState[]> {
  const git = new Git(root);
  if (o.fetch !== false) {
    // Branches with --prune (a deleted release branch must not count); tags without it, so
    // local-only tags survive, and a clash with a local tag is no reason to stop (tags are a fallback).
    try {
      await git.fetch(o.remote, [], { prune: true });
    } catch (e) {
      const why = e instanceof CommandError ? e.stderr.trim() || e.message : (e as Error).message;
      throw new SecurityError(`Could not fetch remote "${o.remote}" to read its release branches: ${why}`);
    }
    await git.fetch(o.remote, [], { tags: true }).catch(() => undefined);
  }
  const tracked = await git.trackingBranches(o.remote, [`${o.branchPrefix}*`]);
  const out: ReleaseBranchState[] = [];
  for (const rb of sortedReleaseBranches(tracked.keys(), o.branchPrefix)) {
    const ref = `${o.remote}/${rb.branch}`;
    const [manifest, releases] = await git.showMany(ref, ['Cargo.toml', o.releasesFile]);
    const version = (manifest && versionInRootManifest(manifest)) || rb.lineVersion;
    let releaseDate = releases ? releaseDateInReleasesMd(releases, rb.lineVersion) : null;
    let dateSource: ReleaseBranchState['dateSource'] = 'releases-md';
    if (!releaseDate) {
      releaseDate = (await git.tagDay(`v${rb.lineVersion}`)) ?? null;
      dateSource = 'tag';
    }
    out.push({ ...rb, version, releaseDate, ...(releaseDate ? { dateSource } : {}) });
  }
  return out;
}

/**
 * The GitHub repository: the setting, else GITHUB_REPOSITORY, else the remote's URL when it
 * is a GitHub URL (the same rule as the release train: never a local path).
 */
export async function githubRepository(root: string, remote: string, configured?: string): Promise<string | null> {
  const repository = await githubRepositoryFor({ configured, env: process.env, remoteUrl: () => new Git(root).remoteUrl(remote).catch(() => undefined) });
  return repository ?? null;
}
