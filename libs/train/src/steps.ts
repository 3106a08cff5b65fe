import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNotesFile, ReleaseNotesError } from '@crate-train/release-notes';
import { currentVersionOf, BumpError } from '@crate-train/versions';
import type { Git } from '@crate-train/git';
import type { Run } from './context';
import { TrainError } from './errors';
import { webRoot, type BodyContext } from './pr-bodies';
import { short } from './work-commit';

/**
 * The checks before a workflow starts from the checked-out branch: a clean
 * tree, the right branch, and a local head equal to the remote's (so nothing
 * unpushed or out of date gets released). Returns the head sha.
 */
export async function preflight(
  run: Run,
  o: { branch: (name: string) => boolean; expected: string; what: string },
): Promise<{ branch: string; head: string; remoteSha?: string }> {
  const top = await run.git.raw(['rev-parse', '--show-toplevel']).catch(() => undefined);
  if (top === undefined) throw new TrainError(`${run.root} is not a git repository: run ${o.what} in the clone of the Cargo workspace.`);
  await run.git.assertClean(o.what);
  const branch = await run.git.currentBranch();
  if (!branch || !o.branch(branch)) {
    throw new TrainError(
      `${o.what} runs on ${o.expected}, but ${branch ? `the current branch is "${branch}"` : 'HEAD is detached'}: check out ${o.expected} first.`,
    );
  }
  const head = (await run.git.revParse('HEAD'))!;
  const remoteSha = await run.git.remoteBranchSha(run.options.remote, branch);
  if (remoteSha && remoteSha !== head) {
    throw new TrainError(
      `The local ${branch} (${short(head)}) is not the same commit as ${run.options.remote}/${branch} (${short(remoteSha)}): ` +
        `pull (or push) so that ${o.what} starts from what is on ${run.options.remote}.`,
    );
  }
  return { branch, head, remoteSha };
}

/** The root version at a commit (the root Cargo.toml's first version). */
export async function versionAt(git: Git, sha: string, where: string): Promise<string> {
  const text = await git.show(sha, 'Cargo.toml');
  if (text === undefined) throw new TrainError(`${where} has no Cargo.toml at its root: crate-train needs the Cargo workspace root there.`);
  try {
    return currentVersionOf(text);
  } catch (e) {
    if (e instanceof BumpError) throw new TrainError(`${where}: ${e.problems.join('; ')}`);
    throw e;
  }
}

/** A release-notes file named by plugin option `option`; a missing file or a directory is a TrainError naming both. */
export function readRel(dir: string, rel: string, option: 'releasesFile' | 'releasesTemplate'): string {
  try {
    return readNotesFile(dir, rel, option, option === 'releasesFile' ? 'the release notes' : 'the RELEASES.md template');
  } catch (e) {
    if (e instanceof ReleaseNotesError) throw new TrainError(e.message);
    throw e;
  }
}

export function writeRel(dir: string, rel: string, text: string): void {
  writeFileSync(join(dir, rel), text);
}

export async function bodyContext(run: Run): Promise<BodyContext> {
  return {
    project: run.options.projectName,
    repository: await run.repository(),
    web: webRoot(run.options.github.baseUrl ?? run.env.GITHUB_API_URL),
    mainBranch: run.options.mainBranch,
    releasesFile: run.options.releasesFile,
  };
}

/** X.Y.Z of a version without its pre-release part (6.0.0-dev -> 6.0.0). */
export function coreVersion(v: string): string {
  return v.replace(/[-+].*$/, '');
}

/** Re-throws library errors that are the user's to fix as TrainErrors with context. */
export function explain<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BumpError) throw new TrainError(`${what}: ${e.problems.join('; ')}`);
    if (e instanceof Error && ['ReleaseNotesError', 'VersionRuleError', 'ApplyError', 'CrateListError', 'CargoManifestError'].includes(e.name)) {
      throw new TrainError(`${what}: ${e.message}`);
    }
    throw e;
  }
}
