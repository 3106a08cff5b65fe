import type { Ctx } from './context';
import type { Reply } from './http';
import { ApiError, str, unprocessable } from './http';
import type { Identity } from './bare-repo';
import { nowIso, type PullRecord, type RepoRecord } from './state';

const DOC_MERGE = 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request';
const GITHUB: Identity = { name: 'GitHub', email: 'noreply@github.com' };

/**
 * PUT /pulls/{n}/merge: a real merge in the bare repository (merge commit,
 * squash or rebase), moving the base branch with a compare-and-swap.
 */
export async function mergePull(ctx: Ctx, repo: RepoRecord, pr: PullRecord, body: Record<string, unknown>, refresh: () => Promise<void>): Promise<Reply> {
  const method = str(body, 'merge_method') ?? 'merge';
  if (!['merge', 'squash', 'rebase'].includes(method)) {
    throw unprocessable(`Invalid request.\n\n"${method}" is not a member of enum.`, DOC_MERGE);
  }
  return repo.git.withLock(async () => {
    await refresh();
    if (pr.state !== 'open') throw new ApiError(405, 'Pull Request is not mergeable', DOC_MERGE);
    if (pr.draft) throw new ApiError(405, 'Pull Request is still a draft', DOC_MERGE);
    const expected = str(body, 'sha');
    if (expected && expected !== pr.headSha) {
      throw new ApiError(409, 'Head branch was modified. Review and try the merge again.', DOC_MERGE);
    }
    const author: Identity = { name: ctx.login, email: `${ctx.userId}+${ctx.login}@users.noreply.github.com` };
    const base = pr.baseSha;
    const head = pr.headSha;
    let sha: string | undefined;
    if (method === 'rebase') {
      const commits = await repo.git.commitsBetween(base, head);
      sha = await repo.git.rebaseOnto(base, commits, GITHUB);
      if (!sha) throw new ApiError(405, "This branch can't be rebased", DOC_MERGE);
    } else {
      const { tree, conflict } = await repo.git.mergeTree(base, head);
      if (conflict || !tree) throw new ApiError(405, 'Pull Request is not mergeable', DOC_MERGE);
      const message = method === 'merge' ? await mergeMessage(repo, pr, body) : await squashMessage(repo, pr, body);
      sha = await repo.git.commitTree(tree, method === 'merge' ? [base, head] : [base], message, author, GITHUB);
    }
    if (!(await repo.git.updateRef(`refs/heads/${pr.base}`, sha, base))) {
      throw new ApiError(409, 'Base branch was modified. Review and try the merge again.', DOC_MERGE);
    }
    const now = nowIso();
    Object.assign(pr, {
      state: 'closed',
      closedAt: now,
      mergedAt: now,
      updatedAt: now,
      mergeCommitSha: sha,
      mergedBy: ctx.login,
    });
    return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } };
  });
}

async function mergeMessage(repo: RepoRecord, pr: PullRecord, body: Record<string, unknown>): Promise<string> {
  const title = str(body, 'commit_title') ?? `Merge pull request #${pr.number} from ${repo.owner}/${pr.head}`;
  const text = str(body, 'commit_message') ?? pr.title;
  return text ? `${title}\n\n${text}` : title;
}

async function squashMessage(repo: RepoRecord, pr: PullRecord, body: Record<string, unknown>): Promise<string> {
  const title = str(body, 'commit_title') ?? `${pr.title} (#${pr.number})`;
  let text = str(body, 'commit_message');
  if (text === undefined) {
    const lines: string[] = [];
    for (const c of await repo.git.commitsBetween(pr.baseSha, pr.headSha)) {
      const info = await repo.git.commit(c);
      if (info) lines.push(`* ${info.message}`);
    }
    text = lines.join('\n\n');
  }
  return text ? `${title}\n\n${text}` : title;
}
