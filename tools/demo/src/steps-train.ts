// Steps 4 to 7 and 9: the train itself. crate-train's executors do the work
// through `nx run release:...`; the demo plays the maintainer (merging PRs
// through the GitHub API, committing a backport) and CI (running the tag job
// with the shas of a push), then checks the origin and the API itself.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as semver from 'semver';
import type { PullRequestSummary } from '@crate-train/github';
import type { Reporter } from './report';
import { DemoFailure } from './shell';
import { SkipStep, type DemoState, type Push } from './state';
import { publishTag } from './steps-publish';

const MARKER = '[automatically-tag-and-release-this-commit]';
const short = (sha: string | undefined) => (sha ?? '(none)').slice(0, 10);

/** The root Cargo.toml's first `version = "..."` line: the workspace's version, as Wasmtime reads it. */
export function rootVersion(cargoToml: string): string {
  const m = /^version\s*=\s*"([^"]+)"/m.exec(cargoToml);
  if (!m) throw new Error('the root Cargo.toml has no version = "..." line');
  return m[1];
}

async function refsOf(state: DemoState): Promise<string> {
  return state.sh.origin('for-each-ref', '--format=%(refname) %(objectname)');
}

async function openPull(state: DemoState, head: string, base: string, after: string): Promise<PullRequestSummary> {
  const pulls = await state.env.github.listPullRequests({ state: 'open', head, base });
  const pr = pulls.find((p) => p.head.ref === head && p.base.ref === base);
  if (!pr) throw new DemoFailure(after, `no open pull request ${head} -> ${base} on demo/wasmtime after it`);
  return pr;
}

async function describePull(state: DemoState, rep: Reporter, pr: PullRequestSummary): Promise<void> {
  const message = await state.sh.origin('log', '-1', '--format=%B', pr.head.sha);
  const subject = message.split('\n')[0];
  const marker = message.includes(MARKER) ? ` + marker ${MARKER}` : '';
  rep.outcome(`PR #${pr.number} ${pr.head.ref} -> ${pr.base.ref}: "${pr.title}" (commit ${short(pr.head.sha)} "${subject}"${marker})`);
  const files = await state.sh.origin('show', '--stat=100', '--format=', pr.head.sha);
  rep.output(
    files
      .split('\n')
      .filter(Boolean)
      .map((l) => l.trim()),
    16,
  );
}

/** Merges a PR through the API, as a maintainer pressing "Merge"; returns the push CI sees. */
async function merge(state: DemoState, rep: Reporter, pr: PullRequestSummary): Promise<Push> {
  const branch = pr.base.ref;
  const before = (await state.sh.originRef(`refs/heads/${branch}`))!;
  const { sha } = await state.env.github.mergePullRequest(pr.number);
  const after = await state.sh.originRef(`refs/heads/${branch}`);
  if (after !== sha) throw new DemoFailure(`merge PR #${pr.number}`, `${branch} is at ${short(after)}, not at the merge ${short(sha)}`);
  rep.outcome(`merged PR #${pr.number} through the GitHub API (the maintainer's review): ${branch} ${short(before)} -> ${short(sha)}`);
  return { branch, before, after: sha };
}

/** The local branch brought up to date with the origin (a maintainer's `git pull`). */
async function syncBranch(state: DemoState, branch: string): Promise<void> {
  await state.sh.quietGit('fetch', '-q', 'origin');
  const local = await state.sh.quietGit('rev-parse', '--abbrev-ref', 'HEAD');
  if (local !== branch) await state.sh.git('checkout', '-q', '-B', branch, `origin/${branch}`);
  else await state.sh.git('pull', '-q', '--ff-only', 'origin', branch);
}

export async function cutStep(state: DemoState, rep: Reporter): Promise<string> {
  state.needTarget('cut');
  const { sh, env } = state;
  const mainBefore = (await sh.originRef('refs/heads/main'))!;
  const version = rootVersion(await sh.origin('show', 'main:Cargo.toml'));

  rep.note('first the plan, with no side effect (no token needed):');
  const refs = await refsOf(state);
  await sh.nx(['run', 'release:cut', '--dry-run'], { maxLines: 40 });
  if ((await refsOf(state)) !== refs || (await env.github.listPullRequests({ state: 'all' })).length) {
    throw new DemoFailure('nx run release:cut --dry-run', 'the dry run changed the origin or opened a pull request');
  }
  rep.outcome('--dry-run changed nothing on the origin and opened no pull request');

  // The plan again, then what was done: show its start and its end.
  await sh.nx(['run', 'release:cut'], { maxLines: 12 });
  const branch = `release-${version}`;
  const released = await sh.originRef(`refs/heads/${branch}`);
  if (released !== mainBefore) {
    throw new DemoFailure('nx run release:cut', `${branch} on the origin is at ${short(released)}, expected main's head ${short(mainBefore)}`);
  }
  state.version = version;
  state.releaseBranch = branch;
  rep.outcome(`origin has ${branch} at ${short(released)} (main's head when cut)`);
  const bumps = (await env.github.listPullRequests({ state: 'open', base: 'main' })).filter((p) => p.head.ref.startsWith('ci/bump-to-'));
  if (bumps.length !== 1) throw new DemoFailure('nx run release:cut', `expected one open ci/bump-to-* pull request to main, found ${bumps.length}`);
  const next = bumps[0].head.ref.slice('ci/bump-to-'.length);
  await describePull(state, rep, bumps[0]);

  state.mainPushes.push(await merge(state, rep, bumps[0]));
  await syncBranch(state, 'main');
  const now = rootVersion(readFileSync(join(env.workspace, 'Cargo.toml'), 'utf8'));
  if (now !== next) throw new DemoFailure('git pull origin main', `main's Cargo.toml has version ${now}, expected ${next}`);
  rep.outcome(`main now carries ${next}; ${branch} stays at ${version} for the release`);
  return `${branch} cut at ${short(released)}; PR #${bumps[0].number} "${bumps[0].title}" merged`;
}

/** A maintainer's backport on the release branch: a code change plus its RELEASES.md note, committed and pushed. */
async function backport(state: DemoState, rep: Reporter, note: { text: string; pr: number; file: string }): Promise<{ push: Push; version: string }> {
  const { sh, env } = state;
  const branch = state.releaseBranch!;
  await syncBranch(state, branch);
  rep.command(`$EDITOR ${note.file}   # the fix`);
  appendFileSync(join(env.workspace, note.file), `\n// Backported fix (#${note.pr}).\n`);
  await sh.nx(['g', 'crate-train:release-note', '--section=Fixed', `--text=${note.text}`, `--pr=${note.pr}`, '--no-interactive'], { maxLines: 10 });
  const diff = await sh.quietGit('diff', '-U1', '--', 'RELEASES.md');
  rep.output(
    diff.split('\n').filter((l) => /^[+-@]/.test(l) && !/^(\+\+\+|---) /.test(l)),
    14,
  );
  await sh.git('commit', '-q', '-am', `Backport: ${note.text.replace(/\.$/, '')} (#${note.pr})`);
  const before = (await sh.originRef(`refs/heads/${branch}`))!;
  await sh.git('push', '-q', 'origin', branch);
  const after = (await sh.originRef(`refs/heads/${branch}`))!;
  const notes = await sh.origin('show', `${after}:RELEASES.md`);
  const firstWords = note.text.split(' ').slice(0, 4).join(' ');
  if (!notes.includes('### Fixed') || !notes.includes(firstWords)) {
    throw new DemoFailure('nx g crate-train:release-note', `RELEASES.md on ${branch} has no "### Fixed" entry starting "${firstWords}"`);
  }
  // The section the generator chose: the last `## X` heading above the note.
  const version = [...notes.slice(0, notes.indexOf(firstWords)).matchAll(/^## (\S+)/gm)].at(-1)?.[1] ?? '?';
  rep.outcome(`${branch} ${short(before)} -> ${short(after)}: the fix and its note under ## ${version} / ### Fixed`);
  return { push: { branch, before, after }, version };
}

export async function backportStep(state: DemoState, rep: Reporter, _which: 'first'): Promise<string> {
  state.needGenerator('release-note');
  const branch = state.needState(state.releaseBranch, 'the backport', 'needs the release branch from step 4');
  const { push, version } = await backport(state, rep, {
    text: 'Fix a crash when a store is dropped during an async call.',
    pr: 5501,
    file: 'crates/wasmtime/src/lib.rs',
  });
  await state.sh.git('checkout', '-q', 'main');
  return `backport ${short(push.after)} on ${branch}, noted under ${version}`;
}

export async function releaseLatestStep(state: DemoState, rep: Reporter): Promise<string> {
  state.needTarget('release-latest');
  const branch = state.needState(state.releaseBranch, 'nx run release:release-latest', 'needs the release branch from step 4');
  const version = state.version!;
  await syncBranch(state, 'main');
  await state.sh.nx(['run', 'release:release-latest'], { maxLines: 40 });
  const cmd = 'nx run release:release-latest';
  const datePr = (await state.env.github.listPullRequests({ state: 'open', base: 'main' })).find((p) => p.head.ref === `ci/release-date-for-${version}`);
  const releasePr = await openPull(state, `ci/release-${version}`, branch, cmd);
  const merged: string[] = [];
  if (datePr) {
    await describePull(state, rep, datePr);
    state.mainPushes.push(await merge(state, rep, datePr));
    merged.push(`#${datePr.number}`);
  } else {
    rep.note('no release-date PR to main (archive-style RELEASES.md keeps only the version in development there)');
  }
  await describePull(state, rep, releasePr);
  state.releasePushes.push(await merge(state, rep, releasePr));
  merged.push(`#${releasePr.number}`);
  const released = await state.sh.origin('show', `${branch}:RELEASES.md`);
  const dated = new RegExp(`## ${version.replace(/\./g, '\\.')}\\s+Released (\\d{4}-\\d{2}-\\d{2})`).exec(released);
  if (!dated) throw new DemoFailure(cmd, `RELEASES.md on ${branch} has no "Released YYYY-MM-DD" line under ## ${version}`);
  rep.outcome(`${branch}'s RELEASES.md now says "Released ${dated[1]}" for ${version}`);
  await syncBranch(state, 'main');
  return `PRs ${merged.join(' and ')} opened and merged; ${branch} at ${short(state.releasePushes.at(-1)!.after)}`;
}

/** The tag job for one push; returns the tag made. */
async function tagPush(state: DemoState, rep: Reporter, push: Push): Promise<string> {
  await state.sh.nx(['run', 'release:tag', `--before=${push.before}`, `--after=${push.after}`], { maxLines: 12 });
  const tag = `v${rootVersion(await state.sh.origin('show', `${push.after}:Cargo.toml`))}`;
  const at = await state.sh.originRef(`refs/tags/${tag}`);
  if (at !== push.after)
    throw new DemoFailure('nx run release:tag', `tag ${tag} on the origin is at ${short(at)}, expected the pushed head ${short(push.after)}`);
  rep.outcome(`tag ${tag} at ${short(at)} (the merge of the marker commit), created through the GitHub API`);
  state.tagsMade.push(tag);
  return tag;
}

export async function tagStep(state: DemoState, rep: Reporter, _which: 'release'): Promise<string> {
  state.needTarget('tag');
  const push = state.needState(state.releasePushes.at(-1), 'nx run release:tag', 'needs the merged release PR from step 6');
  rep.note(`CI on the push to ${push.branch} (github.event.before/after):`);
  const tag = await tagPush(state, rep, push);
  const mainPush = state.mainPushes.at(-1);
  if (mainPush) {
    rep.note('the same job on the push to main, whose commits carry no marker:');
    const tags = await state.sh.origin('tag', '--list');
    await state.sh.nx(['run', 'release:tag', `--before=${mainPush.before}`, `--after=${mainPush.after}`], { maxLines: 6 });
    if ((await state.sh.origin('tag', '--list')) !== tags)
      throw new DemoFailure('nx run release:tag (push to main)', 'a tag was created for a push without the marker');
    rep.outcome('nothing tagged for the push to main');
  }
  return `tag ${tag} at ${short(push.after)}`;
}

export async function patchStep(state: DemoState, rep: Reporter): Promise<string> {
  state.needTarget('patch');
  state.needGenerator('release-note');
  const branch = state.needState(state.releaseBranch, 'nx run release:patch', 'needs the release branch from step 4');
  const version = semver.inc(state.version!, 'patch')!;
  rep.note(`another backport, whose note starts the ${version} section (the release-note generator picks the next patch on a released branch):`);
  await backport(state, rep, { text: 'Fix a miscompile of i64 rotates on x86-64.', pr: 5510, file: 'cranelift/codegen/src/lib.rs' });

  const wrong = semver.inc(version, 'patch')!;
  rep.note(`a version that is not the next patch is refused before anything happens:`);
  const refused = await state.sh.nx(['run', 'release:patch', `--version=${wrong}`, '--dry-run'], { maxLines: 8, expectFailure: true });
  if (!refused.lines.some((l) => l.includes(`--version ${wrong} is not the next patch`))) {
    throw new DemoFailure(`nx run release:patch --version=${wrong} --dry-run`, `expected a refusal naming --version ${wrong}:\n${refused.lines.join('\n')}`);
  }
  rep.outcome(`--version=${wrong} refused: the next patch of ${branch} is ${version}`);
  await state.sh.nx(['run', 'release:patch', `--version=${version}`], { maxLines: 40 });
  const pr = await openPull(state, `ci/bump-to-${version}`, branch, `nx run release:patch --version=${version}`);
  await describePull(state, rep, pr);
  const push = await merge(state, rep, pr);
  state.releasePushes.push(push);
  await state.sh.git('checkout', '-q', 'main');
  const changed = [`PR #${pr.number} "${pr.title}" merged`];

  rep.note(`CI on the push to ${branch}:`);
  try {
    state.needTarget('tag');
    const tag = await tagPush(state, rep, push);
    changed.push(`tag ${tag}`);
    rep.note(`CI on the tag ${tag}:`);
    changed.push(await publishTag(state, rep, tag));
  } catch (e) {
    if (!(e instanceof SkipStep)) throw e;
    rep.skipped(e.what, e.why);
    changed.push(`skipped: ${e.what} ${e.why}`);
  }
  return changed.join('; ');
}
