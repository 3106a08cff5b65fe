import { ZERO_SHA, type MarkerCommit } from '@crate-train/git';
import { Run, type Mode, type TrainContext } from './context';
import { TrainError } from './errors';
import { withSandbox } from './sandbox';
import { versionAt } from './checkout';
import { short } from './work-commit';

export interface TagOptions {
  /** The remote branch's sha before the push (all zeros for a new branch). */
  before: string;
  /** The pushed head. */
  after: string;
}

export interface TagResult {
  mode: Mode;
  /** none: no marker in the range; planned: dry run / --no-push; created / exists: the tag is on the remote. */
  action: 'none' | 'planned' | 'created' | 'exists';
  tag?: string;
  sha: string;
  via?: 'api' | 'git';
  markers: MarkerCommit[];
  lines: string[];
}

const SHA = /^[0-9a-f]{40}$/;

/**
 * CI on a push to a release branch: scan `git log BEFORE...AFTER` for the
 * marker; when a commit carries it, tag `v<root version at AFTER>` at AFTER,
 * through the GitHub API (so the tag's own CI runs) or `git push`. The tag
 * already at AFTER is fine; anywhere else is refused.
 */
export async function tagRelease(ctx: TrainContext & TagOptions): Promise<TagResult> {
  const run = await Run.open(ctx);
  const o = run.options;
  for (const [name, v] of [
    ['--before', ctx.before],
    ['--after', ctx.after],
  ] as const) {
    if (!SHA.test(v ?? '')) throw new TrainError(`${name} must be a full 40-character commit sha (got "${v ?? ''}").`);
  }
  if (ctx.after === ZERO_SHA) {
    return {
      mode: run.mode,
      action: 'none',
      sha: ctx.after,
      markers: [],
      lines: [...run.lines, 'the branch was deleted (AFTER is all zeros): nothing to tag'],
    };
  }

  const scanned = await withSandbox(run.git, { committer: o.committer }, async (s) => {
    const want = [ctx.after, ...(/^0+$/.test(ctx.before) ? [] : [ctx.before])];
    const missing: string[] = [];
    for (const sha of want) if (!(await s.git.hasObject(sha))) missing.push(sha);
    if (missing.length) {
      await s.fetch(await run.remoteUrl(), missing).catch(() => {
        throw new TrainError(
          `Commit${missing.length > 1 ? 's' : ''} ${missing.map(short).join(', ')} ${missing.length > 1 ? 'are' : 'is'} neither in ${run.root} nor on ${o.remote}: ` +
            'pass the shas of the push (github.event.before and github.event.after).',
        );
      });
    }
    // A force-push rewrote the branch: BEFORE...AFTER would include commits that are no longer on it.
    if (!/^0+$/.test(ctx.before) && !(await s.git.isAncestor(ctx.before, ctx.after))) return { markers: [], version: undefined, forced: true };
    const markers = await s.git.findMarker(ctx.before, ctx.after, o.marker);
    const version = markers.length ? await versionAt(s.git, ctx.after, `the pushed head ${short(ctx.after)}`) : undefined;
    return { markers, version, forced: false };
  });

  const range = `${short(ctx.before)}...${short(ctx.after)}`;
  if (scanned.forced) {
    run.log(
      `${short(ctx.before)} (before the push) is not an ancestor of ${short(ctx.after)} (the pushed head): the branch was force-pushed, so the range ${range} ` +
        `does not say which commits this push added. Nothing is tagged; if a release commit is in the new history, tag it by hand (or push it again normally).`,
    );
    return { mode: run.mode, action: 'none', sha: ctx.after, markers: [], lines: run.lines };
  }
  if (!scanned.markers.length) {
    run.log(`no commit in ${range} carries the marker ${o.marker}: nothing to tag`);
    return { mode: run.mode, action: 'none', sha: ctx.after, markers: [], lines: run.lines };
  }
  const tag = `v${scanned.version}`;
  for (const m of scanned.markers) run.log(`marker found in ${short(m.sha)} "${m.subject}"`);

  const existing = (await run.git.remoteTags(o.remote, [tag])).get(tag);
  if (existing && existing !== ctx.after) {
    throw new TrainError(
      `Tag ${tag} already exists on ${o.remote} at ${short(existing)}, not at the pushed head ${short(ctx.after)}: refusing to move a release tag.`,
    );
  }
  const via = o.github.tagVia;
  const base = { mode: run.mode, tag, sha: ctx.after, via, markers: scanned.markers };
  if (existing) {
    run.log(`tag ${tag} already points at ${short(ctx.after)}`);
    return { ...base, action: 'exists', lines: run.lines };
  }
  if (!run.publishes) {
    run.log(`would create tag ${tag} at ${short(ctx.after)} via ${via === 'api' ? 'the GitHub API' : 'git push'} (${run.mode})`);
    return { ...base, action: 'planned', lines: run.lines };
  }
  if (via === 'api') {
    const gh = await run.requireGitHub(`Creating the tag ${tag}`);
    let r: { action: 'created' | 'exists' };
    try {
      r = await gh.createTag(tag, ctx.after);
    } catch (e) {
      throw new TrainError(`Creating tag ${tag} at ${short(ctx.after)} through the GitHub API failed: ${run.git.redact((e as Error).message)}`);
    }
    run.log(`tag ${tag} ${r.action === 'created' ? 'created' : 'already'} at ${short(ctx.after)} (GitHub API)`);
    return { ...base, action: r.action, lines: run.lines };
  }
  await run.git.push(o.remote, [{ src: ctx.after, dst: `refs/tags/${tag}`, expect: '' }]);
  run.log(`tag ${tag} pushed at ${short(ctx.after)} (git push)`);
  return { ...base, action: 'created', lines: run.lines };
}
