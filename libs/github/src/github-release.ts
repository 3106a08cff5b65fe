// The GitHub release of a tag (Wasmtime's tag workflow after publishing): the
// release created or brought up to date, then its assets uploaded. Safe to
// re-run: an unchanged release and assets already uploaded are left alone.
import { statSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import * as semver from 'semver';
import type { GitHub } from './client';
import { GitHubError } from './errors';
import type { Release, ReleaseAsset } from './releases';

export class GitHubReleaseError extends GitHubError {
  override name = 'GitHubReleaseError';
}

export interface AssetFile {
  /** The asset's name on GitHub: the file's base name. */
  name: string;
  /** Absolute path. */
  path: string;
  size: number;
}

/**
 * The files `patterns` (globs, relative to `root`) match. A pattern that
 * matches no file, two files with one base name, or a match that is not a
 * regular file is an error naming the pattern: nothing is created before every
 * asset is known to be there.
 */
export async function resolveAssets(root: string, patterns: readonly string[]): Promise<AssetFile[]> {
  const { glob } = await import('tinyglobby');
  const byName = new Map<string, AssetFile>();
  const problems: string[] = [];
  for (const pattern of patterns) {
    const rel = isAbsolute(pattern) ? relative(root, pattern) : pattern;
    const matches = (await glob(rel, { cwd: root, onlyFiles: true, absolute: true, dot: true, expandDirectories: false })).sort();
    if (matches.length === 0) {
      problems.push(`--assets=${pattern} matches no file under ${root}`);
      continue;
    }
    for (const path of matches) {
      const size = statSync(path).size;
      const name = basename(path);
      const seen = byName.get(name);
      if (seen && seen.path !== path)
        problems.push(`two assets are named ${name} (${relative(root, seen.path)} and ${relative(root, path)}): a release's asset names are unique`);
      else byName.set(name, { name, path: resolve(path), size });
    }
  }
  if (problems.length) {
    throw new GitHubReleaseError(`${problems.join('; ')}. Build the assets first or fix the pattern; nothing was created on GitHub.`);
  }
  return [...byName.values()];
}

/**
 * GitHub's `make_latest` for `tag`: "false" for a release older than the newest
 * stable `vX.Y.Z` tag (a patch of an older line must not take the "Latest"
 * badge, which Wasmtime's runbook moved back by hand) and for a pre-release;
 * "true" otherwise.
 */
export function makeLatestFor(tag: string, tags: readonly string[]): { makeLatest: 'true' | 'false'; why: string } {
  const version = semver.valid(tag.replace(/^v/, ''));
  if (!version) throw new GitHubReleaseError(`${tag} is not a vX.Y.Z tag`);
  if (semver.prerelease(version)) return { makeLatest: 'false', why: `${tag} is a pre-release` };
  const newest = tags
    .map((t) => semver.valid(t.replace(/^v/, '')))
    .filter((v): v is string => v !== null && semver.prerelease(v) === null)
    .sort(semver.rcompare)[0];
  if (newest && semver.lt(version, newest)) return { makeLatest: 'false', why: `v${newest} is newer: ${tag} does not become GitHub's "Latest"` };
  return { makeLatest: 'true', why: `${tag} is the newest release: it becomes GitHub's "Latest"` };
}

export interface GitHubReleaseInput {
  tag: string;
  body: string;
  assets: AssetFile[];
  /** Tags of the repository (`v*`), for make_latest. */
  tags: readonly string[];
  dryRun: boolean;
  log: (line: string) => void;
}

export interface GitHubReleaseResult {
  release: 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';
  uploaded: string[];
  replaced: string[];
  skipped: string[];
}

/**
 * Creates or updates the release of `tag` (name = tag, body, prerelease when
 * the tag has a `-`, make_latest from makeLatestFor) and uploads the assets:
 * one with the same name and size already there is skipped; one with another
 * size (or an upload that broke off) is deleted and uploaded again. The tag
 * must already exist on GitHub: a release never creates one.
 */
export async function publishGitHubRelease(gh: GitHub | undefined, input: GitHubReleaseInput): Promise<GitHubReleaseResult> {
  const { tag, log } = input;
  const prerelease = tag.includes('-');
  const latest = makeLatestFor(tag, input.tags);
  if (!gh) {
    // A dry run without a token: what crate-train knows without asking GitHub.
    if (!input.dryRun) throw new GitHubReleaseError('publishGitHubRelease needs a GitHub client unless it is a dry run');
    log(`release ${tag}: prerelease ${prerelease}, make_latest ${latest.makeLatest} (${latest.why}); GitHub not read (no token)`);
    for (const a of input.assets) log(`asset ${a.name} (${a.size} bytes): would upload unless GitHub has it with this size`);
    return { release: 'would create', uploaded: input.assets.map((a) => a.name), replaced: [], skipped: [] };
  }
  if (!(await gh.getRef(`tags/${tag}`))) {
    throw new GitHubReleaseError(
      `tag ${tag} does not exist in ${gh.fullName}: a release is made for a pushed tag (nx run release:tag makes it); nothing was created.`,
    );
  }
  log(`release ${tag} in ${gh.fullName}: prerelease ${prerelease}, make_latest ${latest.makeLatest} (${latest.why})`);
  const wanted = { tag, name: tag, body: input.body, prerelease, makeLatest: latest.makeLatest };
  const result: GitHubReleaseResult = { release: 'unchanged', uploaded: [], replaced: [], skipped: [] };

  let release: Release | undefined;
  if (input.dryRun) {
    release = await gh.getReleaseByTag(tag);
    if (!release) result.release = 'would create';
    else if ((release.body ?? '') !== input.body || release.prerelease !== prerelease || release.name !== tag) result.release = 'would update';
    log(`release ${tag}: ${result.release}${release ? ` (${release.url})` : ''}`);
  } else {
    const ensured = await gh.ensureRelease(wanted);
    release = ensured.release;
    result.release = ensured.action;
    log(`release ${tag}: ${ensured.action}${ensured.changed.length ? ` (${ensured.changed.join(', ')} differed)` : ''} — ${release.url}`);
  }

  const existing = new Map<string, ReleaseAsset>((release ? await gh.listReleaseAssets(release.id) : []).map((a) => [a.name, a]));
  for (const asset of input.assets) {
    const there = existing.get(asset.name);
    if (there && there.size === asset.size && there.state === 'uploaded') {
      result.skipped.push(asset.name);
      log(`asset ${asset.name} (${asset.size} bytes): already uploaded`);
      continue;
    }
    const verb = there ? 'replace' : 'upload';
    if (input.dryRun) {
      log(`asset ${asset.name} (${asset.size} bytes): would ${verb}${there ? ` (GitHub has ${there.size} bytes, ${there.state})` : ''}`);
      (there ? result.replaced : result.uploaded).push(asset.name);
      continue;
    }
    if (there) await gh.deleteReleaseAsset(there.id, there.name);
    await gh.uploadReleaseAsset(release!, { name: asset.name, data: readFileSync(asset.path), contentType: contentTypeOf(asset.name) });
    (there ? result.replaced : result.uploaded).push(asset.name);
    log(`asset ${asset.name} (${asset.size} bytes): ${there ? `replaced (GitHub had ${there.size} bytes, ${there.state})` : 'uploaded'}`);
  }
  return result;
}

const TYPES: Array<[RegExp, string]> = [
  [/\.(tar\.gz|tgz)$/, 'application/gzip'],
  [/\.tar\.xz$/, 'application/x-xz'],
  [/\.zip$/, 'application/zip'],
  [/\.(txt|md)$/, 'text/plain'],
  [/\.json$/, 'application/json'],
];

function contentTypeOf(name: string): string {
  return TYPES.find(([re]) => re.test(name))?.[1] ?? 'application/octet-stream';
}
