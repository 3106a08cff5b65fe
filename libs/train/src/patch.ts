import { dateOnBranch } from '@crate-train/release-notes';
import { applyPlan } from '@crate-train/versions';
import { planCheckedBump } from '@crate-train/verify';
import { Run, type Mode, type TrainContext } from './context';
import { patchBody, withChecks } from './pr-bodies';
import { withSandbox } from './sandbox';
import { bodyContext } from './pr-bodies';
import { explain } from './explain';
import { nextOnBranch, releaseBranchHead, versionAt } from './checkout';
import { readRel, writeRel } from './notes-files';
import { describeCommit, keepCommits, prepareCommit, publishCommit, short, type PreparedCommit, type PublishedCommit } from './work-commit';

export interface PatchOptions {
  /** The patch version to release; must be the next patch of the branch (default: that next patch). */
  version?: string;
  /**
   * Release branch to patch. Default: the checked-out branch (which must be a
   * release branch, clean and equal to the remote's). Given explicitly, the
   * remote branch's head is used and the checkout does not matter, so one
   * caller can prepare several branches.
   */
  branch?: string;
}

/** Everything a patch release did locally, and what publishing it will push. */
export interface PreparedPatch {
  mode: Mode;
  branch: string;
  /** The branch's version before (e.g. 5.0.0) and the patch version (5.0.1). */
  current: string;
  version: string;
  /** The marker commit for `ci/bump-to-<version>`, PR against `branch`. */
  commit: PreparedCommit;
  lines: string[];
}

export interface PatchResult extends PreparedPatch {
  published?: PublishedCommit;
}

/**
 * Validates and makes the patch-release commit, without pushing: on
 * `release-A.B.C`, the next patch version (checked against --version), the
 * patch bump, the release date on the branch's RELEASES.md (every
 * `Unreleased` line, as Wasmtime's `sed`; a missing section for the version
 * is a checklist item in the PR unless `requireNotes`), and the commit
 * `Release <Project> V` + marker on the local branch `ci/bump-to-V`.
 */
export async function preparePatch(ctx: TrainContext & PatchOptions): Promise<PreparedPatch> {
  const run = await Run.open(ctx);
  const o = run.options;
  const { branch, head: base } = await releaseBranchHead(run, ctx.branch, 'a patch release');
  if (run.publishes) await run.requireGitHub(`The patch release of ${branch}`);
  const body = await bodyContext(run);

  const commit = await withSandbox(run.git, { committer: o.committer }, async (s) => {
    await s.fetch(await run.remoteUrl(), [base]).catch(() => undefined);
    const current = await versionAt(s.git, base, `${branch} (${short(base)})`);
    const next = nextOnBranch(branch, current, 'patch', ctx.version, 'next patch release', 'the next patch');
    run.log(`patch release ${o.projectName} ${current} -> ${next} on ${branch} @ ${short(base)}, dated ${run.date} (${run.mode})`);
    await s.checkout(base);
    const probe = explain(`Bumping ${branch}`, () => planCheckedBump(s.dir, { kind: 'patch', version: next, options: o }));
    const notesProbe = explain(`${o.releasesFile} on ${branch}`, () =>
      dateOnBranch(readRel(s.dir, o.releasesFile, 'releasesFile'), next, run.date, { requireSection: o.requireNotes }),
    );
    for (const w of probe.warnings) run.log(`warning: ${w}`);
    if (notesProbe.warning) run.log(`warning: ${notesProbe.warning}`);
    const c = await prepareCommit(run, s, {
      base: branch,
      baseSha: base,
      workBranch: `${o.workBranchPrefix}bump-to-${next}`,
      message: `Release ${o.projectName} ${next}\n\n${o.marker}`,
      bump: { from: current, to: next },
      edit: (dir) => {
        const plan = explain(`Bumping ${branch}`, () => planCheckedBump(dir, { kind: 'patch', version: next, options: o }));
        const text = readRel(dir, o.releasesFile, 'releasesFile');
        // Dated before anything is written, so a missing section leaves no half-done tree behind.
        const dated = explain(`${o.releasesFile} on ${branch}`, () => dateOnBranch(text, next, run.date, { requireSection: o.requireNotes }));
        explain('Writing the bump', () => applyPlan(plan));
        writeRel(dir, o.releasesFile, dated.text);
        return [`${plan.crates.length} crates ${current} -> ${next}`, ...plan.notes];
      },
      pr: {
        title: `Release ${o.projectName} ${next}`,
        body: withChecks(patchBody(body, { version: next, current, releaseBranch: branch, date: run.date, marker: o.marker, crates: probe.crates.length }), {
          todo: notesProbe.warning ? [notesProbe.warning] : [],
          warnings: probe.warnings,
        }),
      },
    });
    await keepCommits(run, s, [c]);
    return { c, current, next };
  });
  for (const l of describeCommit(commit.c)) run.log(l);
  if (run.mode === 'no-push') run.log(`committed ${commit.c.workBranch} locally (${short(commit.c.sha)}); not pushed, no pull request (--no-push)`);
  return { mode: run.mode, branch, current: commit.current, version: commit.next, commit: commit.c, lines: run.lines };
}

/** Pushes a prepared patch's work branch and opens (or updates) its PR; nothing in dry-run/--no-push mode. */
export async function publishPatch(ctx: TrainContext, prepared: PreparedPatch): Promise<PatchResult> {
  const run = await Run.open(ctx);
  if (!run.publishes || prepared.mode !== 'full') return { ...prepared };
  const published = await publishCommit(run, prepared.commit);
  return { ...prepared, published, lines: [...prepared.lines, ...run.lines] };
}

/** `release:patch`: preparePatch, then publishPatch. */
export async function patch(ctx: TrainContext & PatchOptions): Promise<PatchResult> {
  const prepared = await preparePatch(ctx);
  return publishPatch(ctx, prepared);
}
