// The direct release model (wasm-tools' release-process.yml): no release
// branches and no RELEASES.md. On the checked-out branch: bump (major or
// patch), commit `Release <project> X.Y.Z` with the marker (empty allowed),
// push `ci/release-X.Y.Z`, open the PR against that branch. Merging it tags
// and publishes, as in the train model.
import { applyPlan } from '@crate-train/versions';
import { planCheckedBump } from '@crate-train/verify';
import { Run, type TrainContext } from './context';
import { TrainError } from './errors';
import { explain } from './explain';
import { preflight, versionAt } from './checkout';
import { bodyContext, withChecks, type BodyContext } from './pr-bodies';
import { withSandbox } from './sandbox';
import { describeCommit, keepCommits, prepareCommit, publishCommit, short, type PublishedCommit, type ReleaseCommitResult } from './work-commit';

export interface DirectReleaseOptions {
  /** `major` (wasm-tools' `bump`) or `patch` (`bump-patch`). */
  kind: 'major' | 'patch';
  /** The expected new root version (checked against the bump). */
  version?: string;
  /**
   * Name in the commit message and PR title. Default: the project name the plugin
   * options set, else the repository's name (`wasm-tools` for bytecodealliance/wasm-tools).
   */
  projectName?: string;
}

/** The branch released, its version before and after, and the marker commit on `ci/release-<version>`. */
export type DirectReleaseResult = ReleaseCommitResult;

export function directReleaseBody(
  b: BodyContext,
  o: { version: string; current: string; branch: string; marker: string; crates: number; kind: 'major' | 'patch' },
): string {
  return [
    `${o.kind === 'patch' ? 'A patch release' : 'A release'}: ${b.project} ${o.version} from \`${o.branch}\`. This pull request bumps ${o.crates} crate${o.crates === 1 ? '' : 's'} ` +
      `(${b.project} ${o.current} -> ${o.version}), and its commit carries the marker \`${o.marker}\`.`,
    '',
    `**Merging it releases ${o.version}**: the tag \`v${o.version}\` is created at the merge, which publishes the crates.`,
    '',
    'Before merging, please check:',
    '- the diff only changes versions (crate manifests, dependency requirements, `Cargo.lock`);',
    `- CI on this pull request is green.`,
    '',
    'Opened automatically by crate-train; re-running the step updates this pull request instead of opening another.',
  ].join('\n');
}

/** `owner/wasm-tools` -> `wasm-tools`. */
export function projectNameOf(repository: string | undefined): string | undefined {
  return repository?.split('/').pop() || undefined;
}

/** `release:release`: the whole of wasm-tools' manual release workflow, in one step. */
export async function directRelease(ctx: TrainContext & DirectReleaseOptions): Promise<DirectReleaseResult> {
  const run = await Run.open(ctx);
  const o = run.options;
  const pre = await preflight(run, { branch: () => true, expected: 'a branch', what: 'a release' });
  if (run.publishes && !pre.remoteSha) {
    throw new TrainError(`${pre.branch} is not on ${o.remote}: push it first, the release pull request targets it there.`);
  }
  if (run.publishes) await run.requireGitHub(`The release of ${pre.branch}`);
  const repository = await run.repository();
  const project = ctx.projectName ?? projectNameOf(repository) ?? o.projectName;
  const body = { ...(await bodyContext(run)), project };

  const made = await withSandbox(run.git, { committer: o.committer }, async (s) => {
    const current = await versionAt(s.git, pre.head, `${pre.branch} (${short(pre.head)})`);
    await s.checkout(pre.head);
    const probe = explain(`Bumping ${pre.branch}`, () => planCheckedBump(s.dir, { kind: ctx.kind, version: ctx.version, options: o }));
    const next = probe.next;
    run.log(`release ${project} ${current} -> ${next} (${ctx.kind}) on ${pre.branch} @ ${short(pre.head)} (${run.mode})`);
    for (const w of probe.warnings) run.log(`warning: ${w}`);
    const c = await prepareCommit(run, s, {
      base: pre.branch,
      baseSha: pre.head,
      workBranch: `${o.workBranchPrefix}release-${next}`,
      message: `Release ${project} ${next}\n\n${o.marker}`,
      // wasm-tools commits with --allow-empty: the marker commit must exist even when nothing moved.
      allowEmpty: true,
      bump: { from: current, to: next },
      edit: (dir) => {
        const plan = explain(`Bumping ${pre.branch}`, () => planCheckedBump(dir, { kind: ctx.kind, version: next, options: o }));
        explain('Writing the bump', () => applyPlan(plan));
        return [`${plan.crates.length} crates bumped (${current} -> ${next})`, ...plan.notes];
      },
      pr: {
        title: `Release ${project} ${next}`,
        body: withChecks(
          directReleaseBody(body, { version: next, current, branch: pre.branch, marker: o.marker, crates: probe.crates.length, kind: ctx.kind }),
          {
            warnings: probe.warnings,
          },
        ),
      },
    });
    await keepCommits(run, s, [c]);
    return { c, current, next };
  });
  if (made.c.source !== 'new' && made.c.remoteSha === made.c.sha) run.log(`${made.c.workBranch} already holds this release commit: nothing new to push`);
  for (const l of describeCommit(made.c)) run.log(l);
  let published: PublishedCommit | undefined;
  if (run.mode === 'no-push') run.log(`committed ${made.c.workBranch} locally (${short(made.c.sha)}); not pushed, no pull request (--no-push)`);
  else if (run.publishes) published = await publishCommit(run, made.c);
  return {
    mode: run.mode,
    branch: pre.branch,
    current: made.current,
    version: made.next,
    commit: made.c,
    ...(published ? { published } : {}),
    lines: run.lines,
  };
}
