import { Run, type TrainContext } from './context';
import { TrainError } from './errors';
import { preflight, versionAt, coreVersion } from './steps';
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
    throw new TrainError(`A local branch ${branch} exists at ${short(localSha)}, not at the head of ${run.options.mainBranch} (${short(head)}): delete or rename it first.`);
  }
  return { branch, version, sha: head, state: remoteSha ? 'exists' : 'new' };
}

/** Pushes (or, with --no-push, creates locally) the release branch of a plan. */
export async function executeBranchCut(run: Run, plan: BranchCutPlan): Promise<BranchCutResult['action']> {
  if (run.dryRun) {
    run.log(plan.state === 'exists' ? `${plan.branch} already exists at ${short(plan.sha)}: nothing to push` : `would push ${run.options.mainBranch} (${short(plan.sha)}) to ${run.options.remote}/${plan.branch}`);
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
