import { parseReleaseBranch } from '@crate-train/git';
import { applyPlan } from '@crate-train/versions';
import { planCheckedBump } from '@crate-train/verify';
import { Run, type TrainContext } from './context';
import { TrainError } from './errors';
import { bodyContext, releaseBranchBody, withChecks } from './pr-bodies';
import { coreVersion } from './options';
import { withSandbox } from './sandbox';
import { explain } from './explain';
import { nextOnBranch, releaseBranchHead, versionAt } from './checkout';
import { describeCommit, keepCommits, prepareCommit, publishCommit, short, type PublishedCommit, type ReleaseCommitResult } from './work-commit';

export interface RcOptions {
  /** The candidate to make; must be the branch's next one (default: that next one). */
  version?: string;
  /** Release branch from the remote instead of the checked-out one. */
  branch?: string;
}

/** The branch's version before (6.0.0-rc.1) and the new candidate (6.0.0-rc.2); the marker commit on `ci/rc-<version>`. */
export type RcResult = ReleaseCommitResult;

/**
 * `release:rc` (dev-rc model): another release candidate on a release branch,
 * `X.Y.Z-rc.N` -> `X.Y.Z-rc.(N+1)` (or `-dev` -> `-rc.1`), as Wasmtime's
 * `bump-rc`: the bump, the afterBump commands, the commit `Release <Project>
 * V` + marker on `ci/rc-V` and a PR to the branch; merging it tags and
 * publishes the candidate. RELEASES.md is not dated: the release is not out yet.
 */
export async function releaseCandidate(ctx: TrainContext & RcOptions): Promise<RcResult> {
  const run = await Run.open(ctx);
  const o = run.options;
  const what = 'a release candidate';
  const { branch, head } = await releaseBranchHead(run, ctx.branch, what);
  const body = await bodyContext(run);

  const made = await withSandbox(run.git, { committer: o.committer }, async (s) => {
    await s.fetch(await run.remoteUrl(), [head]).catch(() => undefined);
    const current = await versionAt(s.git, head, `${branch} (${short(head)})`);
    const line = parseReleaseBranch(branch, o.branchPrefix)!.lineVersion;
    if (coreVersion(current) !== line) {
      throw new TrainError(
        `${branch} carries version ${current}, not a ${line} version: the branch name and its Cargo.toml disagree. Fix one of them, then run again.`,
      );
    }
    if (current === line) {
      throw new TrainError(`${branch} is at ${current}, a release: candidates come before it. For a fix on ${branch}, run release:patch.`);
    }
    if (o.versionModel === 'classic') {
      throw new TrainError(`release:rc needs the dev-rc version model, and the versionModel plugin option is "classic": set it to "dev-rc" (or "auto").`);
    }
    const next = nextOnBranch(branch, current, 'rc', ctx.version, 'next release candidate', 'the next one');
    if (run.publishes) await run.requireGitHub(`The release candidate ${next} of ${branch}`);
    run.log(`release candidate ${o.projectName} ${current} -> ${next} on ${branch} @ ${short(head)} (${run.mode})`);
    await s.checkout(head);
    const probe = explain(`Bumping ${branch} to ${next}`, () => planCheckedBump(s.dir, { kind: 'rc', options: o }));
    for (const w of probe.warnings) run.log(`warning: ${w}`);
    const c = await prepareCommit(run, s, {
      base: branch,
      baseSha: head,
      workBranch: `${o.workBranchPrefix}rc-${next}`,
      message: `Release ${o.projectName} ${next}\n\n${o.marker}`,
      bump: { from: current, to: next },
      edit: (dir) => {
        const plan = explain(`Bumping ${branch} to ${next}`, () => planCheckedBump(dir, { kind: 'rc', options: o }));
        explain('Writing the bump', () => applyPlan(plan));
        return [`${plan.crates.length} crates ${current} -> ${next}`, ...plan.notes];
      },
      pr: {
        title: `Release ${o.projectName} ${next}`,
        body: withChecks(releaseBranchBody(body, { version: next, releaseBranch: branch, date: run.date, marker: o.marker, rc: true }), {
          warnings: probe.warnings,
        }),
      },
    });
    await keepCommits(run, s, [c]);
    return { c, current, next };
  });

  for (const l of describeCommit(made.c)) run.log(l);
  let published: PublishedCommit | undefined;
  if (run.publishes) published = await publishCommit(run, made.c);
  else if (run.mode === 'no-push') run.log(`committed ${made.c.workBranch} locally (${short(made.c.sha)}); not pushed, no pull request (--no-push)`);
  return { mode: run.mode, branch, current: made.current, version: made.next, commit: made.c, published, lines: run.lines };
}
