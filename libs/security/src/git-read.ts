import { run } from '@crate-train/proc';
import { ReleaseBranch } from '@crate-train/support-policy';
import * as semver from 'semver';
import { SecurityError } from './errors';
import { releaseDateInReleasesMd, versionInRootManifest } from './release-date';

export interface ReadBranchesOptions {
  remote: string;
  branchPrefix: string;
  releasesFile: string;
  /** `git fetch --prune --tags` the remote first (default true). */
  fetch?: boolean;
}

async function git(root: string, args: string[], reject = true) {
  return run('git', args, { cwd: root, reject, env: { TZ: 'UTC', GIT_TERMINAL_PROMPT: '0' } });
}

/** `git show REF:PATH`, or null when the file is not there. */
export async function showFile(root: string, ref: string, path: string): Promise<string | null> {
  const r = await git(root, ['show', `${ref}:${path}`], false);
  return r.exitCode === 0 ? r.stdout : null;
}

/** The remote's release branch names (`release-X.Y.Z`), in numeric version order. */
export async function listRemoteReleaseBranches(root: string, remote: string, branchPrefix: string): Promise<string[]> {
  const r = await git(root, ['for-each-ref', '--format=%(refname)', `refs/remotes/${remote}/${branchPrefix}*`]);
  const prefix = `refs/remotes/${remote}/`;
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((ref) => ref.slice(prefix.length))
    .filter((name) => semver.valid(name.slice(branchPrefix.length)) !== null)
    .sort((a, b) => semver.compare(a.slice(branchPrefix.length), b.slice(branchPrefix.length)));
}

/** The day (UTC) a tag was created (its tagger date, or the commit date of a lightweight tag). */
export async function tagDate(root: string, tag: string): Promise<string | null> {
  const r = await git(root, ['for-each-ref', '--format=%(creatordate:format-local:%Y-%m-%d)', `refs/tags/${tag}`]);
  return r.stdout.trim() || null;
}

/**
 * Reads every remote release branch: its version (root Cargo.toml) and the date
 * its line was first released: the `Released YYYY-MM-DD` line of `## X.Y.Z` in the
 * branch's RELEASES.md, else the date of tag `vX.Y.Z`, else null (not released).
 */
export async function readReleaseBranches(root: string, o: ReadBranchesOptions): Promise<ReleaseBranch[]> {
  if (o.fetch !== false) {
    // Branches with --prune (a deleted release branch must not count); tags without it, so
    // local-only tags survive, and a clash with a local tag is no reason to stop (tags are a fallback).
    const f = await git(root, ['fetch', '--quiet', '--prune', '--no-tags', o.remote], false);
    if (f.exitCode !== 0) {
      throw new SecurityError(`Could not fetch remote "${o.remote}" to read its release branches: ${f.stderr.trim()}`);
    }
    await git(root, ['fetch', '--quiet', '--tags', o.remote], false);
  }
  const names = await listRemoteReleaseBranches(root, o.remote, o.branchPrefix);
  const out: ReleaseBranch[] = [];
  for (const branch of names) {
    const ref = `${o.remote}/${branch}`;
    const lineVersion = branch.slice(o.branchPrefix.length);
    const manifest = await showFile(root, ref, 'Cargo.toml');
    const version = (manifest && versionInRootManifest(manifest)) || lineVersion;
    const releases = await showFile(root, ref, o.releasesFile);
    let releaseDate = releases ? releaseDateInReleasesMd(releases, lineVersion) : null;
    let dateSource: ReleaseBranch['dateSource'] = 'releases-md';
    if (!releaseDate) {
      releaseDate = await tagDate(root, `v${lineVersion}`);
      dateSource = 'tag';
    }
    out.push({ branch, version, releaseDate, ...(releaseDate ? { dateSource } : {}) });
  }
  return out;
}

/** `owner/name` of a GitHub remote URL (https, ssh or scp-like), or null for any other URL. */
export function repositoryFromRemoteUrl(url: string): string | null {
  const m = /github\.com[:/]+([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : null;
}

/** The GitHub repository: the setting, else the remote's URL when it points at github.com. */
export async function githubRepository(root: string, remote: string, configured?: string): Promise<string | null> {
  if (configured) return configured;
  const r = await git(root, ['remote', 'get-url', remote], false);
  return r.exitCode === 0 ? repositoryFromRemoteUrl(r.stdout) : null;
}
