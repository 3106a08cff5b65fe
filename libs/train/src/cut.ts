import { addNewSection, resolveReleasesStyle } from '@crate-train/release-notes';
import { applyPlan } from '@crate-train/versions';
import { planCheckedBump } from '@crate-train/verify';
import { executeBranchCut, planBranchCut, type BranchCutPlan, type BranchCutResult } from './branch-cut';
import { Run, type Mode, type TrainContext } from './context';
import { cutBody, releaseBranchBody, withChecks } from './pr-bodies';
import { versionModelFor } from './options';
import { withSandbox } from './sandbox';
import { bodyContext } from './pr-bodies';
import { coreVersion } from './options';
import { explain } from './explain';
import { readRel, writeRel } from './notes-files';
import { describeCommit, keepCommits, prepareCommit, publishCommit, type PreparedCommit, type PublishedCommit } from './work-commit';

export interface CutResult {
  mode: Mode;
  /** The version main had: the release branch's version. */
  current: string;
  /** The version main moves to. */
  next: string;
  releaseBranch: BranchCutPlan & { action: BranchCutResult['action'] };
  /** The bump commit for main, then (dev-rc) the release-candidate commit for the branch. */
  commits: PreparedCommit[];
  published: PublishedCommit[];
  lines: string[];
}

/**
 * The monthly cut: push main's head to `release-X.Y.Z`, bump main (major; or
 * the next -dev in the dev-rc model), start the new RELEASES.md section,
 * commit `Bump <Project> to NEW`, push `ci/bump-to-NEW`, open the PR to main.
 * In the dev-rc model the branch also gets a `X.Y.Z-rc.1` marker commit PR.
 * Everything is computed and committed before the first push.
 */
export async function cut(ctx: TrainContext): Promise<CutResult> {
  const run = await Run.open(ctx);
  const o = run.options;
  const cutPlan = await planBranchCut(run);
  if (run.publishes) await run.requireGitHub('The cut');
  const current = cutPlan.version;
  const devRc = versionModelFor(o, current) === 'dev-rc';
  const branchVersion = coreVersion(current);
  const body = await bodyContext(run);
  const repository = body.repository;
  run.log(`${o.projectName} ${current} on ${o.mainBranch} @ ${cutPlan.sha.slice(0, 10)}: cutting ${cutPlan.branch} (${run.mode})`);

  const commits = await withSandbox(run.git, { committer: o.committer }, async (s) => {
    // Plan the bumps first (no file written yet): their versions name the work branches.
    await s.checkout(cutPlan.sha);
    const mainKind = devRc ? 'dev' : 'major';
    const probe = explain(`Bumping ${o.mainBranch}`, () => planCheckedBump(s.dir, { kind: mainKind, options: o }));
    const next = probe.next;
    const rc = devRc
      ? explain(`Starting the release candidate on ${cutPlan.branch}`, () => planCheckedBump(s.dir, { kind: 'rc', options: o })).next
      : undefined;
    for (const w of probe.warnings) run.log(`warning: ${w}`);
    const newSection = coreVersion(next);
    // Wasmtime's 2026 workflow names main's bump after the release it leads to (50.0.0, not 50.0.0-dev).
    const mainName = newSection;
    const out: PreparedCommit[] = [];
    out.push(
      await prepareCommit(run, s, {
        base: o.mainBranch,
        baseSha: cutPlan.sha,
        workBranch: `${o.workBranchPrefix}bump-to-${mainName}`,
        message: `Bump ${o.projectName} to ${mainName}`,
        bump: { from: current, to: next },
        edit: (dir) => {
          const plan = explain(`Bumping ${o.mainBranch}`, () => planCheckedBump(dir, { kind: mainKind, options: o }));
          explain('Writing the bump', () => applyPlan(plan));
          const template = readRel(dir, o.releasesTemplate, 'releasesTemplate');
          const releases = readRel(dir, o.releasesFile, 'releasesFile');
          const text = explain(`Adding the ${newSection} section to ${o.releasesFile}`, () =>
            addNewSection(releases, {
              style: resolveReleasesStyle(o.releasesStyle, releases),
              template,
              newVersion: newSection,
              currentVersion: branchVersion,
              repository,
              branchPrefix: o.branchPrefix,
            }),
          );
          writeRel(dir, o.releasesFile, text);
          return [`${plan.crates.length} crates ${current} -> ${next}`, ...plan.notes];
        },
        pr: {
          title: `Bump ${o.projectName} to ${mainName}`,
          body: withChecks(cutBody(body, { current: branchVersion, next: mainName, releaseBranch: cutPlan.branch, crates: probe.crates.length, rc }), {
            warnings: probe.warnings,
          }),
        },
      }),
    );

    if (rc) {
      // The release branch starts its candidates: X.Y.Z-dev -> X.Y.Z-rc.1, tagged and published when merged.
      out.push(
        await prepareCommit(run, s, {
          base: cutPlan.branch,
          baseSha: cutPlan.sha,
          workBranch: `${o.workBranchPrefix}rc-${rc}`,
          message: `Release ${o.projectName} ${rc}\n\n${o.marker}`,
          bump: { from: current, to: rc },
          edit: (dir) => {
            const plan = explain(`Bumping ${cutPlan.branch} to ${rc}`, () => planCheckedBump(dir, { kind: 'rc', options: o }));
            explain('Writing the bump', () => applyPlan(plan));
            return [`${plan.crates.length} crates ${current} -> ${rc}`];
          },
          pr: {
            title: `Release ${o.projectName} ${rc}`,
            body: releaseBranchBody(body, { version: rc, releaseBranch: cutPlan.branch, date: run.date, marker: o.marker, rc: true }),
          },
        }),
      );
    }
    await keepCommits(run, s, out);
    return { out, next };
  });

  for (const c of commits.out) for (const l of describeCommit(c)) run.log(l);
  const action = await executeBranchCut(run, cutPlan);
  const published: PublishedCommit[] = [];
  if (run.publishes) {
    for (const c of commits.out) published.push(await publishCommit(run, c));
  } else if (run.mode === 'no-push') {
    for (const c of commits.out) run.log(`committed ${c.workBranch} locally (${c.sha.slice(0, 10)}); not pushed, no pull request (--no-push)`);
  }
  return { mode: run.mode, current, next: commits.next, releaseBranch: { ...cutPlan, action }, commits: commits.out, published, lines: run.lines };
}
