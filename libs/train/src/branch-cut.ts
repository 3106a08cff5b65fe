import { Run, type TrainContext } from './context';
import { TrainError } from './errors';
import { preflight, versionAt } from './checkout';
import { coreVersion } from './options';
import { short } from './work-commit';
import { versionModelFor } from './options';

export interface BranchCutPlan {
  /** `release-X.Y.Z`. */
  branch: string;
  /** The version main has (X.Y.Z; X.Y.Z-dev in the dev-rc model). */
  version: string;
  /** The head of main that becomes the release branch. */
  sha: string;
  /** exists: the remote already has the branch at this sha (a re-run). */
  state: 'new' | 'exists';
}

export interface BranchCutResult extends BranchCutPlan {
  action: 'planned' | 'created-locally' | 'pushed' | 'exists';
  lines: string[];
}

/** Checks and plans the cut: on main, clean, up to date; the release branch absent or already at main's head. */
export async function planBranchCut(run: Run): Promise<BranchCutPlan> {
  const { head } = await preflight(run, {
    branch: (b) => b === run.options.mainBranch,
    expected: `the ${run.options.mainBranch} branch`,
    what: 'the branch cut',
  });
  const version = await versionAt(run.git, head, `${run.options.mainBranch} (${short(head)})`);
  const branch = run.options.branchPrefix + (versionModelFor(run.options, version) === 'dev-rc' ? coreVersion(version) : version);
  const remoteSha = await run.git.remoteBranchSha(run.options.remote, branch);
  if (remoteSha && remoteSha !== head) {
    throw new TrainError(
      `${branch} already exists on ${run.options.remote} at ${short(remoteSha)}, not at the head of ${run.options.mainBranch} (${short(head)}): ` +
        `refusing to move a release branch. If ${version} was already cut, bump ${run.options.mainBranch} first; if the branch is wrong, fix it by hand.`,
    );
  }
  const localSha = await run.git.revParse(`refs/heads/${branch}`);
  if (localSha && localSha !== head) {
    throw new TrainError(
      `A local branch ${branch} exists at ${short(localSha)}, not at the head of ${run.options.mainBranch} (${short(head)}): delete or rename it first.`,
    );
  }
  if (!remoteSha) await assertSomethingToCut(run, head, version, branch);
  return { branch, version, sha: head, state: remoteSha ? 'exists' : 'new' };
}

/**
 * A cut right after the previous one was merged would release the same code
 * again: refuse when every commit on main since its bump to `version` (the
 * previous cut's `Bump <Project> to X` commit) is crate-train's own. Re-running
 * the cut "to be sure" after merging its PR must not start the next release.
 */
async function assertSomethingToCut(run: Run, head: string, version: string, branch: string): Promise<void> {
  const o = run.options;
  const subject = `Bump ${o.projectName} to ${coreVersion(version)}`;
  const found = await run.git.raw(['log', '--format=%H%x00%s', '--fixed-strings', `--grep=${subject}`, head]).catch(() => '');
  const bump = found
    .split('\n')
    .map((l) => l.split('\0'))
    .find(([, s]) => s === subject || s?.startsWith(`${subject} (#`))?.[0];
  if (!bump) return;
  const since = await run.git.raw(['log', '--no-merges', '--format=%ce', `${bump}..${head}`]);
  const others = since.split('\n').filter((e) => e && e !== o.committer.email);
  if (others.length) return;
  throw new TrainError(
    `Nothing landed on ${o.mainBranch} since it was bumped to ${version} (${short(bump)} "${subject}")${since.trim() ? " except crate-train's own commits" : ''}: ` +
      `cutting ${branch} now would release the code of the previous release again. The cut of this cycle is done; run it when changes have landed on ${o.mainBranch}.`,
  );
}

/** Pushes (or, with --no-push, creates locally) the release branch of a plan. */
export async function executeBranchCut(run: Run, plan: BranchCutPlan): Promise<BranchCutResult['action']> {
  if (run.dryRun) {
    run.log(
      plan.state === 'exists'
        ? `${plan.branch} already exists at ${short(plan.sha)}: nothing to push`
        : `would push ${run.options.mainBranch} (${short(plan.sha)}) to ${run.options.remote}/${plan.branch}`,
    );
    return plan.state === 'exists' ? 'exists' : 'planned';
  }
  if (!run.publishes) {
    await run.git.setBranch(plan.branch, plan.sha);
    run.log(`created the local branch ${plan.branch} at ${short(plan.sha)} (not pushed: --no-push)`);
    return 'created-locally';
  }
  if (plan.state === 'exists') {
    run.log(`${plan.branch} already exists on ${run.options.remote} at ${short(plan.sha)}`);
    return 'exists';
  }
  // The lease ('' = must not exist) keeps a concurrent cut from being overwritten.
  await run.git.push(run.options.remote, [{ src: plan.sha, dst: `refs/heads/${plan.branch}`, expect: '' }]);
  run.log(`pushed ${run.options.mainBranch} (${short(plan.sha)}) to ${run.options.remote}/${plan.branch}`);
  return 'pushed';
}

/** The branch-cut step alone: push the head of main to `release-X.Y.Z`. */
export async function branchCut(ctx: TrainContext): Promise<BranchCutResult> {
  const run = await Run.open(ctx);
  const plan = await planBranchCut(run);
  const action = await executeBranchCut(run, plan);
  return { ...plan, action, lines: run.lines };
}
