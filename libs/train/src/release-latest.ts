import { dateOnBranch, dateOnMain, ReleaseNotesError, resolveReleasesStyle } from '@crate-train/release-notes';
import { latestReleaseBranch, type ReleaseBranch } from '@crate-train/git';
import { applyPlan } from '@crate-train/versions';
import { planCheckedBump } from '@crate-train/verify';
import { Run, type Mode, type TrainContext } from './context';
import { TrainError } from './errors';
import { releaseBranchBody, releaseDateMainBody } from './pr-bodies';
import { versionModelFor } from './options';
import { withSandbox, type Sandbox } from './sandbox';
import { bodyContext } from './pr-bodies';
import { coreVersion } from './options';
import { explain } from './explain';
import { preflight, versionAt } from './checkout';
import { readRel, writeRel } from './notes-files';
import { describeCommit, keepCommits, prepareCommit, publishCommit, short, type PreparedCommit, type PublishedCommit } from './work-commit';

export interface ReleaseLatestResult {
  mode: Mode;
  releaseBranch: string;
  /** The version released (from the branch name). */
  version: string;
  /**
   * Set when the release was already made, and then nothing was changed: why
   * (the tag is on the remote, the release commit is merged into the branch, or
   * the branch's version is past it).
   */
  alreadyReleased?: string;
  /** The date PR to main, when main's notes need it (history style). */
  mainCommit?: PreparedCommit;
  /** Why there is no main PR, when there is none. */
  mainSkipped?: string;
  /** The marker commit for the release branch (none when already released). */
  releaseCommit?: PreparedCommit;
  published: PublishedCommit[];
  lines: string[];
}

/** The newest `release-X.Y.Z` branch on the remote (numeric order). */
export async function findLatestRelease(run: Run): Promise<ReleaseBranch & { sha: string }> {
  const branches = await run.git.remoteBranches(run.options.remote, [`${run.options.branchPrefix}*`]);
  const latest = latestReleaseBranch(branches.keys(), run.options.branchPrefix);
  if (!latest) {
    throw new TrainError(`No ${run.options.branchPrefix}X.Y.Z branch on ${run.options.remote}: cut one first (nx run release:cut).`);
  }
  return { ...latest, sha: branches.get(latest.branch)! };
}

/**
 * Release day: on main, the release date of the newest release branch's
 * version in RELEASES.md (commit `Update release date of <Project> X`, branch
 * `ci/release-date-for-X`, PR to main); on the release branch, the date and
 * the marker commit `Release <Project> X` (branch `ci/release-X`, PR to the
 * release branch). Merging the latter tags and releases X.
 */
export async function releaseLatest(ctx: TrainContext): Promise<ReleaseLatestResult> {
  const run = await Run.open(ctx);
  const o = run.options;
  const { head } = await preflight(run, {
    branch: (b) => b === o.mainBranch,
    expected: `the ${o.mainBranch} branch`,
    what: 'release-latest',
  });
  const latest = await findLatestRelease(run);
  const version = latest.lineVersion;
  const body = await bodyContext(run);

  const result = await withSandbox(run.git, { committer: o.committer }, async (s) => {
    const remoteUrl = await run.remoteUrl();
    await s.fetch(remoteUrl, [`refs/heads/${latest.branch}`]);

    // Released already? Then a second run changes nothing (no GitHub needed to say so).
    const branchVersion = await versionAt(s.git, latest.sha, `${latest.branch} (${short(latest.sha)})`);
    const devRcCandidate = versionModelFor(o, branchVersion) !== 'classic' && branchVersion !== version && coreVersion(branchVersion) === version;
    const done = await alreadyReleased(run, s, { branch: latest.branch, sha: latest.sha, version, branchVersion, devRcCandidate, main: head });
    if (done) return { done };
    if (branchVersion !== version && !devRcCandidate) {
      throw new TrainError(
        `${latest.branch} carries version ${branchVersion}, not ${version}: the branch name and its Cargo.toml disagree. ` +
          `Fix the version on ${latest.branch} (or the branch name) by hand, then run again.`,
      );
    }
    // Every check before the first side effect: GitHub (token, repository, push access) before any commit is kept or pushed.
    if (run.publishes) await run.requireGitHub('release-latest');
    run.log(`releasing ${o.projectName} ${version} from ${latest.branch} @ ${short(latest.sha)} on ${run.date} (${run.mode})`);

    // Main: only when its notes still have this version's Unreleased line.
    let mainCommit: PreparedCommit | undefined;
    let mainSkipped: string | undefined;
    const mainNotes = await s.git.show(head, o.releasesFile);
    if (mainNotes === undefined) throw new TrainError(`${o.releasesFile} not found on ${o.mainBranch}; set the releasesFile option.`);
    const devRc = versionModelFor(o, await versionAt(s.git, head, `${o.mainBranch} (${short(head)})`)) === 'dev-rc';
    let mainDated: string | undefined;
    if (devRc) {
      mainSkipped = `in the dev-rc model release day is one pull request, on ${latest.branch}`;
    } else {
      try {
        const r = dateOnMain(mainNotes, version, run.date);
        if (r.changed) mainDated = r.text;
        else mainSkipped = `${o.releasesFile} on ${o.mainBranch} already records the release of ${version}`;
      } catch (e) {
        if (!(e instanceof ReleaseNotesError)) throw e;
        if (resolveReleasesStyle(o.releasesStyle, mainNotes) !== 'archive') throw new TrainError(`${o.releasesFile} on ${o.mainBranch}: ${e.message}`);
        mainSkipped = `${o.releasesFile} on ${o.mainBranch} keeps only the notes of the version in development (archive style); ${version}'s notes live on ${latest.branch}`;
      }
    }
    if (mainDated !== undefined) {
      const text = mainDated;
      mainCommit = await prepareCommit(run, s, {
        base: o.mainBranch,
        baseSha: head,
        workBranch: `${o.workBranchPrefix}release-date-for-${version}`,
        message: `Update release date of ${o.projectName} ${version}`,
        edit: (dir) => writeRel(dir, o.releasesFile, text),
        pr: {
          title: `Update release date of ${o.projectName} ${version}`,
          body: releaseDateMainBody(body, { version, releaseBranch: latest.branch, date: run.date }),
        },
      });
    } else {
      run.log(`no pull request to ${o.mainBranch}: ${mainSkipped}`);
    }

    // The release branch: the marker commit (and, from a release candidate, the version without -rc).
    const releaseCommit = await prepareCommit(run, s, {
      base: latest.branch,
      baseSha: latest.sha,
      workBranch: `${o.workBranchPrefix}release-${version}`,
      message: `Release ${o.projectName} ${version}\n\n${o.marker}`,
      allowEmpty: true,
      // From a release candidate the marker commit drops the -rc: a bump, followed by the afterBump commands.
      bump: devRcCandidate ? { from: branchVersion, to: version } : undefined,
      edit: (dir) => {
        const notes: string[] = [];
        if (devRcCandidate) {
          const plan = explain(`Releasing ${branchVersion} as ${version}`, () => planCheckedBump(dir, { kind: 'release', options: o }));
          explain('Writing the bump', () => applyPlan(plan));
          notes.push(`${plan.crates.length} crates ${branchVersion} -> ${version}`);
        }
        const text = readRel(dir, o.releasesFile, 'releasesFile');
        const dated = explain(`${o.releasesFile} on ${latest.branch}`, () => dateOnBranch(text, version, run.date, { requireSection: o.requireNotes }));
        writeRel(dir, o.releasesFile, dated.text);
        if (dated.warning) notes.push(`warning: ${dated.warning}`);
        else if (!dated.changed) notes.push(`${o.releasesFile} on ${latest.branch} was already dated`);
        return notes;
      },
      pr: {
        title: `Release ${o.projectName} ${version}`,
        body: releaseBranchBody(body, { version, releaseBranch: latest.branch, date: run.date, marker: o.marker }),
      },
    });
    await keepCommits(run, s, mainCommit ? [mainCommit, releaseCommit] : [releaseCommit]);
    return { mainCommit, mainSkipped, releaseCommit };
  });

  if ('done' in result) {
    run.log(`${o.projectName} ${version} is already released: ${result.done}. Nothing to do: no commit, no push, no pull request.`);
    return { mode: run.mode, releaseBranch: latest.branch, version, alreadyReleased: result.done, published: [], lines: run.lines };
  }
  for (const c of [result.mainCommit, result.releaseCommit]) if (c) for (const l of describeCommit(c)) run.log(l);
  const published: PublishedCommit[] = [];
  if (run.publishes) {
    if (result.mainCommit) published.push(await publishCommit(run, result.mainCommit));
    published.push(await publishCommit(run, result.releaseCommit));
  } else if (run.mode === 'no-push') {
    for (const c of [result.mainCommit, result.releaseCommit]) {
      if (c) run.log(`committed ${c.workBranch} locally (${short(c.sha)}); not pushed, no pull request (--no-push)`);
    }
  }
  return { mode: run.mode, releaseBranch: latest.branch, version, ...result, published, lines: run.lines };
}

/**
 * Why `version` is already released from `branch`, or undefined: its tag is
 * on the remote; or the release commit (`Release <Project> <version>` with the
 * marker) is merged into the branch and the tag job has yet to tag it; or the
 * branch's version is past it (a patch release followed).
 */
async function alreadyReleased(
  run: Run,
  s: Sandbox,
  r: { branch: string; sha: string; version: string; branchVersion: string; devRcCandidate: boolean; main: string },
): Promise<string | undefined> {
  const o = run.options;
  const tag = `v${r.version}`;
  const tagged = (await run.git.remoteTags(o.remote, [tag])).get(tag);
  if (tagged) return `tag ${tag} is on ${o.remote} at ${short(tagged)}. For a patch release, run release:patch on ${r.branch}`;
  if (r.branchVersion !== r.version && !r.devRcCandidate && compareCore(r.branchVersion, r.version) > 0) {
    return `${r.branch} is at ${r.branchVersion}, past ${r.version}. For the next patch release, run release:patch on ${r.branch}`;
  }
  const subject = new RegExp(`^Release ${escapeRegExp(o.projectName)} ${escapeRegExp(r.version)}(?![\\w.+-])`);
  const log = await s.git.raw(['log', '--format=%H%x00%s%x00%B%x1e', `${r.main}..${r.sha}`]);
  for (const rec of log.split('\x1e')) {
    const [sha, subj, msg] = rec.replace(/^\n/, '').split('\x00');
    if (sha && subj && subject.test(subj) && msg?.includes(o.marker)) {
      return (
        `its release commit ${short(sha.trim())} ("${subj}") is already merged into ${r.branch}, and tag ${tag} is not on ${o.remote} yet: ` +
        `the tag job of that push creates it (if it failed, re-run it, or run release:tag --before=<${r.branch} before the merge> --after=${r.sha})`
      );
    }
  }
  return undefined;
}

/** Compares the X.Y.Z parts of two versions (pre-release parts ignored). */
function compareCore(a: string, b: string): number {
  const pa = coreVersion(a).split('.').map(Number);
  const pb = coreVersion(b).split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
