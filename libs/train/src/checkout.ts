// The state of the clone a step starts from: the checked-out branch and its
// remote, and the root version at a commit.
import { currentVersionOf, BumpError, nextVersion, VersionRuleError, type BumpKind } from '@crate-train/versions';
import { parseReleaseBranch, type Git } from '@crate-train/git';
import type { Run } from './context';
import { TrainError } from './errors';
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

/**
 * The release branch a step on a release branch starts from, and its head:
 * `branch` from the remote when given (the checkout does not matter, so one
 * caller can prepare several branches), else the checked-out release branch,
 * clean and equal to the remote's.
 */
export async function releaseBranchHead(run: Run, branch: string | undefined, what: string): Promise<{ branch: string; head: string }> {
  const o = run.options;
  if (branch) {
    if (!parseReleaseBranch(branch, o.branchPrefix)) {
      throw new TrainError(`"${branch}" is not a release branch: ${what} needs ${o.branchPrefix}X.Y.Z.`);
    }
    const sha = await run.git.remoteBranchSha(o.remote, branch);
    if (!sha) throw new TrainError(`${branch} does not exist on ${o.remote}: nothing to release from.`);
    return { branch, head: sha };
  }
  const pre = await preflight(run, {
    branch: (b) => parseReleaseBranch(b, o.branchPrefix) !== undefined,
    expected: `a release branch (${o.branchPrefix}X.Y.Z)`,
    what,
  });
  if (!pre.remoteSha) throw new TrainError(`${pre.branch} is not on ${o.remote}: push it first, the pull request of ${what} targets it there.`);
  return { branch: pre.branch, head: pre.head };
}

/**
 * The next version of a release branch for a bump of `kind`, checked against an explicit
 * `--version` (`wanted`); `step` and `nextName` word the refusal (e.g. "next patch release", "the next patch").
 */
export function nextOnBranch(branch: string, current: string, kind: BumpKind, wanted: string | undefined, step: string, nextName: string): string {
  let next: string;
  try {
    next = nextVersion(current, kind, `the version of ${branch}`);
  } catch (e) {
    if (e instanceof VersionRuleError) throw new TrainError(`${branch}: ${e.message}`);
    throw e;
  }
  if (wanted !== undefined && wanted !== next) {
    throw new TrainError(
      `--version ${wanted} is not the ${step} of ${branch}: it is at ${current}, so ${nextName} is ${next}. Run with --version=${next} (or without --version).`,
    );
  }
  return next;
}
