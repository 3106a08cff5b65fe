import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dateOnBranch, dateOnMain } from '@crate-train/release-notes';
import { parseReleaseBranch } from '@crate-train/git';
import { currentVersion } from '@crate-train/versions';
import { Run, type Mode, type TrainContext } from './context';
import { TrainError } from './errors';
import { findLatestRelease } from './release-latest';
import { explain } from './explain';
import { readRel } from './notes-files';

export interface ChangelogDateOptions {
  /** The version whose section gets the date. Default: on main the newest release branch's version; on a release branch the root version. */
  version?: string;
  /** Which rule to apply. Default: 'main' on the main branch, 'branch' on a release branch. */
  on?: 'main' | 'branch';
}

export interface ChangelogDateResult {
  mode: Mode;
  file: string;
  version: string;
  on: 'main' | 'branch';
  changed: boolean;
  lines: string[];
}

/**
 * The changelog-date step alone: writes the release date into RELEASES.md in
 * the working tree (no commit). On main the version's `Unreleased` line (the
 * file's second one) becomes `Released DATE`; on a release branch every line
 * starting with `Unreleased` gets `Released DATE` in place of that word.
 */
export async function changelogDate(ctx: TrainContext & ChangelogDateOptions): Promise<ChangelogDateResult> {
  const run = await Run.open(ctx);
  const o = run.options;
  const branch = await run.git.currentBranch();
  const on = ctx.on ?? (branch && parseReleaseBranch(branch, o.branchPrefix) ? 'branch' : branch === o.mainBranch ? 'main' : undefined);
  if (!on) {
    throw new TrainError(
      `changelog-date runs on ${o.mainBranch} or a ${o.branchPrefix}X.Y.Z branch (current: ${branch ?? 'detached HEAD'}); pass --on=main or --on=branch to choose the rule.`,
    );
  }
  let version = ctx.version;
  if (!version) {
    version = on === 'main' ? (await findLatestRelease(run)).lineVersion : explain('Reading the root version', () => currentVersion(run.root));
  }
  const file = join(run.root, o.releasesFile);
  const before = readRel(run.root, o.releasesFile, 'releasesFile');
  const v = version;
  const r: { text: string; changed: boolean; warning?: string } = explain(o.releasesFile, () =>
    on === 'main' ? dateOnMain(before, v, run.date) : dateOnBranch(before, v, run.date, { requireSection: o.requireNotes }),
  );
  if (r.warning) run.log(`warning: ${r.warning}`);
  if (!r.changed) run.log(`${o.releasesFile} already records the release of ${version}: unchanged`);
  else if (run.dryRun) run.log(`would write "Released ${run.date}" for ${version} into ${o.releasesFile} (${on} rule)`);
  else {
    writeFileSync(file, r.text);
    run.log(`wrote "Released ${run.date}" for ${version} into ${o.releasesFile} (${on} rule)`);
  }
  return { mode: run.mode, file: o.releasesFile, version, on, changed: r.changed, lines: run.lines };
}
