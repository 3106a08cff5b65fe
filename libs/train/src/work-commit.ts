import { runAfterBump, type BumpStep } from './after-bump';
import type { Mode, Run } from './context';
import { TrainError } from './errors';
import type { PullRequestResult } from './github-port';
import type { Sandbox } from './sandbox';

export interface FileStat {
  path: string;
  added: number;
  removed: number;
}

export interface CommitSpec {
  /** Branch the PR targets (main or release-X.Y.Z). */
  base: string;
  /** Commit the work starts from (the head of `base`). */
  baseSha: string;
  /** Branch the commit is pushed to (`ci/bump-to-6.0.0`). */
  workBranch: string;
  message: string;
  /** Commit even when no file changes (the release marker commit must exist). */
  allowEmpty?: boolean;
  /** Changes files in the sandbox checkout (a copy of baseSha); returns notes for the report. */
  edit: (dir: string) => Promise<string[] | void> | string[] | void;
  /** Set when `edit` bumps the versions: the afterBump commands run after it, and their changes join the commit. */
  bump?: Omit<BumpStep, 'branch'>;
  pr: { title: string; body: string };
}

/** A commit made (or, in a dry run, computed) for a work branch, ready to push. */
export interface PreparedCommit {
  base: string;
  baseSha: string;
  workBranch: string;
  message: string;
  sha: string;
  /** new: committed now; local/remote: an identical commit from an earlier run was reused. */
  source: 'new' | 'local' | 'remote';
  /** Where the work branch is on the remote now (undefined: not there). */
  remoteSha?: string;
  /** Where the local work branch was before this run (undefined: not there). */
  localSha?: string;
  files: FileStat[];
  notes: string[];
  pr: { head: string; base: string; title: string; body: string };
  /** The local branch points at `sha` (set by keepCommits; never in a dry run). */
  kept: boolean;
}

/** What a step that makes one release commit on a work branch did (rc, the direct model's release). */
export interface ReleaseCommitResult {
  mode: Mode;
  /** The branch released from, and its version before and after. */
  branch: string;
  current: string;
  version: string;
  /** The commit with the marker on the work branch, PR against `branch`. */
  commit: PreparedCommit;
  published?: PublishedCommit;
  lines: string[];
}

export interface PublishedCommit {
  push: 'pushed' | 'up-to-date';
  pr: PullRequestResult;
}

/** The same base, tree and message: a commit we can reuse instead of making a duplicate. */
async function sameCommit(s: Sandbox, a: string, b: string): Promise<boolean> {
  const [ia, ib] = await Promise.all([s.git.commitInfo(a), s.git.commitInfo(b)]);
  if (ia.tree !== ib.tree || ia.parents.join() !== ib.parents.join()) return false;
  return (await s.git.message(a)).trim() === (await s.git.message(b)).trim();
}

/** True when `a` is `b` or one of its ancestors (false when either is unknown). */
async function isAncestor(s: Sandbox, a: string, b: string): Promise<boolean> {
  return s.git.raw(['merge-base', '--is-ancestor', a, b]).then(
    () => true,
    () => false,
  );
}

/**
 * A work branch (on the remote, or the local one) holds something other than
 * what we would push. Replacing it is safe only when it holds crate-train's
 * own commit for the same release step that is still pending: one commit by
 * crate-train's committer with the same message (the message names the
 * release: `Release Wasmtime 5.0.0` + marker), made on the same base branch
 * (its parent is on `spec.base`; an older base is fine) and not merged into it
 * yet. Commits a maintainer added are never lost, and a merged release is
 * never replayed.
 */
async function assertOurs(run: Run, s: Sandbox, spec: CommitSpec, sha: string, where: string): Promise<void> {
  if (!(await s.git.hasObject(sha))) throw new TrainError(`Could not read ${where} (${short(sha)}) to check it before replacing it.`);
  const [subject, email, author] = (await s.git.raw(['log', '-1', '--format=%s%x00%ce%x00%an', sha])).split('\0');
  const parents = (await s.git.commitInfo(sha)).parents;
  const ours = email === run.options.committer.email && parents.length === 1 && (await s.git.message(sha)).trim() === spec.message.trim();
  if (!ours) {
    throw new TrainError(
      `${where} is at ${short(sha)} ("${subject}" by ${author}), which crate-train did not make for "${spec.message.split('\n')[0]}": it would be overwritten. ` +
        `Merge or close its pull request, or delete the branch, then run again.`,
    );
  }
  if (await isAncestor(s, sha, spec.baseSha)) {
    throw new TrainError(
      `${where} holds ${short(sha)} ("${subject}"), which is already merged into ${spec.base}: that step was done, so it is not made again. ` +
        `If it must be redone, delete ${spec.workBranch} and run again.`,
    );
  }
  if (!(await isAncestor(s, parents[0]!, spec.baseSha))) {
    throw new TrainError(
      `${where} holds ${short(sha)} ("${subject}"), made on ${short(parents[0]!)}, which is not on ${spec.base} (${short(spec.baseSha)}): ` +
        `it belongs to another branch or a rewritten history. Delete ${spec.workBranch} (and close its pull request) if it is stale, then run again.`,
    );
  }
  run.log(`${where} has an older crate-train commit ${short(sha)}; it will be replaced`);
}

async function numstat(s: Sandbox, from: string, to: string): Promise<FileStat[]> {
  const out = await s.git.raw(['diff', '--numstat', from, to]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [a, r, path] = l.split('\t');
      return { path, added: Number(a) || 0, removed: Number(r) || 0 };
    });
}

/**
 * Makes the commit of a work branch in the sandbox (keepCommits then points
 * the local work branch at it). An identical commit already on the remote or
 * the local work branch (an earlier run that stopped halfway) is reused, so
 * re-running never duplicates commits; anything else there is replaced only
 * when it is crate-train's pending commit for the same step (assertOurs).
 */
export async function prepareCommit(run: Run, s: Sandbox, spec: CommitSpec): Promise<PreparedCommit> {
  await s.checkout(spec.baseSha);
  const notes = (await spec.edit(s.dir)) ?? [];
  if (spec.bump) notes.push(...(await runAfterBump(run, s.dir, { ...spec.bump, branch: spec.base })));
  await s.git.add();
  const changed = (await s.git.dirtyPaths()).length > 0;
  if (!changed && !spec.allowEmpty) {
    throw new TrainError(`Nothing to commit for "${spec.message.split('\n')[0]}" on ${spec.base}: the files already have these changes.`);
  }
  const made = await s.git.commit(spec.message, { allowEmpty: true });

  const remoteUrl = await run.remoteUrl();
  const remoteSha = await run.git.remoteBranchSha(run.options.remote, spec.workBranch);
  const localSha = await run.git.revParse(`refs/heads/${spec.workBranch}`);
  let sha = made;
  let source: PreparedCommit['source'] = 'new';
  if (remoteSha) {
    await s.fetch(remoteUrl, [`refs/heads/${spec.workBranch}`]).catch(() => undefined);
    if ((await s.git.hasObject(remoteSha)) && (await sameCommit(s, remoteSha, made))) {
      sha = remoteSha;
      source = 'remote';
    } else {
      await assertOurs(run, s, spec, remoteSha, `${spec.workBranch} on ${run.options.remote}`);
    }
  }
  if (source === 'new' && localSha && localSha !== remoteSha) {
    if (await sameCommit(s, localSha, made)) {
      sha = localSha;
      source = 'local';
    } else if (!run.dryRun) {
      // The local branch is moved below: only from crate-train's own pending commit.
      await assertOurs(run, s, spec, localSha, `the local branch ${spec.workBranch}`);
    }
  }

  const files = await numstat(s, spec.baseSha, sha);
  return {
    base: spec.base,
    baseSha: spec.baseSha,
    workBranch: spec.workBranch,
    message: spec.message,
    sha,
    source,
    remoteSha,
    files,
    notes,
    pr: { head: spec.workBranch, base: spec.base, title: spec.pr.title, body: spec.pr.body },
    localSha,
    kept: false,
  };
}

/**
 * Points the local work branches at their prepared commits (not in a dry
 * run). Called once every commit of a step is prepared and checked, so a step
 * that stops on a check leaves no branch behind.
 */
export async function keepCommits(run: Run, s: Sandbox, commits: PreparedCommit[]): Promise<void> {
  if (run.dryRun) return;
  for (const c of commits) {
    if (c.sha !== c.localSha) {
      await s.export(c.sha);
      await run.git.setBranch(c.workBranch, c.sha);
    }
    c.kept = true;
  }
}

/**
 * Pushes the work branch (overwriting an older crate-train commit there only
 * while it is still the one we saw) and opens or updates its PR.
 */
export async function publishCommit(run: Run, c: PreparedCommit): Promise<PublishedCommit> {
  if (!run.publishes) throw new TrainError(`publishCommit called in ${run.mode} mode`);
  const gh = await run.requireGitHub(`Opening the pull request "${c.pr.title}"`);
  let push: PublishedCommit['push'] = 'up-to-date';
  if (c.remoteSha !== c.sha) {
    await run.git.push(run.options.remote, [{ src: c.sha, dst: `refs/heads/${c.workBranch}`, expect: c.remoteSha ?? '' }]);
    push = 'pushed';
    run.log(`pushed ${c.workBranch} (${short(c.sha)})`);
  } else {
    run.log(`${c.workBranch} is already at ${short(c.sha)} on ${run.options.remote}`);
  }
  const pr = await gh.ensurePullRequest(c.pr);
  run.log(`pull request #${pr.number} ${pr.action}: ${c.pr.title} (${c.workBranch} -> ${c.base}) ${pr.url}`);
  return { push, pr };
}

export function short(sha: string): string {
  return sha.slice(0, 10);
}

/** The plan lines for a prepared commit (what --dry-run prints). */
export function describeCommit(c: PreparedCommit): string[] {
  const lines = [
    `commit on ${c.workBranch} from ${c.base} @ ${short(c.baseSha)}${c.source === 'new' ? '' : ` (reusing the ${c.source} commit ${short(c.sha)})`}:`,
    ...c.message.split('\n').map((l) => `    | ${l}`),
    `  files:${c.files.length ? '' : ' (none: an empty commit carrying the message)'}`,
    ...c.files.map((f) => `    ${f.path} (+${f.added} -${f.removed})`),
    ...c.notes.map((n) => `  note: ${n}`),
    `  pull request ${c.pr.head} -> ${c.pr.base}: "${c.pr.title}"`,
    ...c.pr.body.split('\n').map((l) => `    > ${l}`),
  ];
  return lines;
}
