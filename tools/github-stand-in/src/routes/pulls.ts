import type { Router } from '../router';
import type { Ctx, Handler } from '../context';
import { repoOf } from '../context';
import { notFound, paginate, str, unprocessable, validationFailed } from '../http';
import { pullJson, type PullGitView } from '../shapes';
import { nowIso, type PullRecord, type RepoRecord } from '../state';
import { mergePull } from '../merge';

const DOC = 'https://docs.github.com/rest/pulls/pulls';
const DOC_CREATE = `${DOC}#create-a-pull-request`;
const DOC_GET = `${DOC}#get-a-pull-request`;
const DOC_UPDATE = `${DOC}#update-a-pull-request`;
const DOC_MERGE = `${DOC}#merge-a-pull-request`;

export function pullRoutes(router: Router<Handler>): void {
  router.add('POST', '/repos/:owner/:repo/pulls', createPull);
  router.add('GET', '/repos/:owner/:repo/pulls', listPulls);
  router.add('GET', '/repos/:owner/:repo/pulls/:number', async (ctx, { params }) => {
    const { repo, pr } = pullOf(ctx, params, DOC_GET);
    return { status: 200, body: await render(ctx, repo, pr, true) };
  });
  router.add('PATCH', '/repos/:owner/:repo/pulls/:number', updatePull);
  router.add('GET', '/repos/:owner/:repo/pulls/:number/merge', async (ctx, { params }) => {
    const { pr } = pullOf(ctx, params, DOC_MERGE);
    if (pr.mergedAt) return { status: 204 };
    throw notFound(`${DOC}#check-if-a-pull-request-has-been-merged`);
  });
  router.add('PUT', '/repos/:owner/:repo/pulls/:number/merge', async (ctx, r) => {
    const { repo, pr } = pullOf(ctx, r.params, DOC_MERGE);
    const body = await r.body();
    return mergePull(ctx, repo, pr, body, () => refresh(repo, pr));
  });
}

function pullOf(ctx: Ctx, params: Record<string, string>, doc: string): { repo: RepoRecord; pr: PullRecord } {
  const repo = repoOf(ctx, params, doc);
  const n = Number(params.number);
  const pr = ctx.state.pulls.find((p) => p.repo === repo.fullName && p.number === n);
  if (!pr) throw notFound(doc);
  return { repo, pr };
}

/** `owner:branch` or `branch`; a foreign owner is a cross-repository PR, which the stand-in does not host. */
function parseHead(repo: RepoRecord, head: string): string | undefined {
  const i = head.indexOf(':');
  if (i < 0) return head;
  return head.slice(0, i).toLowerCase() === repo.owner.toLowerCase() ? head.slice(i + 1) : undefined;
}

const alreadyExists = (repo: RepoRecord, head: string) =>
  validationFailed(DOC_CREATE, {
    resource: 'PullRequest',
    code: 'custom',
    message: `A pull request already exists for ${repo.owner}:${head}.`,
  });

const openTwin = (ctx: Ctx, repo: RepoRecord, head: string, base: string, except?: PullRecord) =>
  ctx.state.pulls.find((p) => p !== except && p.repo === repo.fullName && p.state === 'open' && p.head === head && p.base === base);

const createPull: Handler = async (ctx, r) => {
  const repo = repoOf(ctx, r.params, DOC_CREATE);
  const body = await r.body();
  const title = str(body, 'title');
  const headIn = str(body, 'head');
  const base = str(body, 'base');
  if (!headIn) throw validationFailed(DOC_CREATE, { resource: 'PullRequest', code: 'missing_field', field: 'head' });
  if (!base) throw validationFailed(DOC_CREATE, { resource: 'PullRequest', code: 'missing_field', field: 'base' });
  if (!title) throw validationFailed(DOC_CREATE, { resource: 'PullRequest', code: 'missing_field', field: 'title' });
  const head = parseHead(repo, headIn);
  const headSha = head ? await repo.git.branchSha(head) : undefined;
  if (!head || !headSha) throw validationFailed(DOC_CREATE, { resource: 'PullRequest', field: 'head', code: 'invalid' });
  const baseSha = await repo.git.branchSha(base);
  if (!baseSha) throw validationFailed(DOC_CREATE, { resource: 'PullRequest', field: 'base', code: 'invalid' });
  // Checked after every await, right before the insert: two racing creates cannot both pass.
  if (openTwin(ctx, repo, head, base)) throw alreadyExists(repo, head);
  if ((await repo.git.commitsBetween(baseSha, headSha)).length === 0) {
    throw validationFailed(DOC_CREATE, { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` });
  }
  if (openTwin(ctx, repo, head, base)) throw alreadyExists(repo, head);
  const now = nowIso();
  const number = 1 + Math.max(0, ...ctx.state.pulls.filter((p) => p.repo === repo.fullName).map((p) => p.number));
  const pr: PullRecord = {
    id: ctx.nextId(),
    repo: repo.fullName,
    number,
    title,
    body: str(body, 'body') ?? null,
    state: 'open',
    draft: body.draft === true,
    head,
    base,
    user: ctx.login,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
    mergeCommitSha: null,
    mergedBy: null,
    headSha,
    baseSha,
  };
  ctx.state.pulls.push(pr);
  return {
    status: 201,
    body: await render(ctx, repo, pr, false),
    headers: { location: `${ctx.api}/repos/${repo.fullName}/pulls/${number}` },
  };
};

const listPulls: Handler = async (ctx, r) => {
  const repo = repoOf(ctx, r.params, `${DOC}#list-pull-requests`);
  const q = r.url.searchParams;
  const state = q.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) {
    throw unprocessable(`Invalid request.\n\n"${state}" is not a member of enum.`, `${DOC}#list-pull-requests`);
  }
  // One for-each-ref and one HEAD read for the whole list, not a few git runs per PR.
  const heads = await branchHeads(repo);
  const defaultBranch = await repo.git.defaultBranch();
  for (const pr of ctx.state.pulls) if (pr.repo === repo.fullName) await refresh(repo, pr, heads);
  let pulls = ctx.state.pulls.filter((p) => p.repo === repo.fullName && (state === 'all' || p.state === state));
  // GitHub only honours `head` in the `user:ref-name` form; a bare branch name is
  // silently ignored (and returns every PR), so clients must send the owner.
  const head = q.get('head');
  if (head && head.includes(':')) {
    const [owner, ...rest] = head.split(':');
    const branch = rest.join(':');
    pulls = owner.toLowerCase() === repo.owner.toLowerCase() ? pulls.filter((p) => !branch || p.head === branch) : [];
  }
  const base = q.get('base');
  if (base) pulls = pulls.filter((p) => p.base === base);
  const sort = q.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
  const dir = q.get('direction') === 'asc' ? 1 : -1;
  pulls = [...pulls].sort((a, b) => dir * (a[sort].localeCompare(b[sort]) || a.number - b.number));
  const { page, headers } = paginate(pulls, r.url);
  const body = [];
  for (const pr of page) body.push(await render(ctx, repo, pr, false, { heads, defaultBranch }));
  return { status: 200, body, headers };
};

const updatePull: Handler = async (ctx, r) => {
  const { repo, pr } = pullOf(ctx, r.params, DOC_UPDATE);
  const body = await r.body();
  await refresh(repo, pr);
  const state = str(body, 'state');
  if (state !== undefined && state !== 'open' && state !== 'closed') {
    throw unprocessable(`Invalid request.\n\n"${state}" is not a member of enum.`, DOC_UPDATE);
  }
  const base = str(body, 'base');
  if (base !== undefined && base !== pr.base && !(await repo.git.branchSha(base))) {
    throw validationFailed(DOC_UPDATE, { resource: 'PullRequest', field: 'base', code: 'invalid' });
  }
  if (state === 'open' && pr.state === 'closed') {
    if (pr.mergedAt)
      throw validationFailed(DOC_UPDATE, {
        resource: 'PullRequest',
        code: 'custom',
        message: 'state cannot be changed. The pull request cannot be reopened because it has been merged.',
      });
    if (!(await repo.git.branchSha(pr.head))) {
      throw validationFailed(DOC_UPDATE, {
        resource: 'PullRequest',
        code: 'custom',
        message: `state cannot be changed. The ${pr.head} branch has been deleted.`,
      });
    }
  }
  const willBeOpen = state ? state === 'open' : pr.state === 'open';
  if (willBeOpen && openTwin(ctx, repo, pr.head, base ?? pr.base, pr)) throw alreadyExists(repo, pr.head);
  const title = str(body, 'title');
  if (title !== undefined) pr.title = title;
  if ('body' in body) pr.body = typeof body.body === 'string' ? body.body : null;
  if (base !== undefined) pr.base = base;
  if (state === 'closed' && pr.state === 'open') {
    await refresh(repo, pr);
    pr.state = 'closed';
    pr.closedAt = nowIso();
  } else if (state === 'open' && pr.state === 'closed') {
    pr.state = 'open';
    pr.closedAt = null;
  }
  pr.updatedAt = nowIso();
  return { status: 200, body: await render(ctx, repo, pr, true) };
};

/** Re-reads an open PR's shas from git; an open PR whose head branch vanished is closed, as GitHub does. */
export async function refresh(repo: RepoRecord, pr: PullRecord, heads?: Map<string, string>): Promise<void> {
  if (pr.state !== 'open') return;
  const head = heads ? heads.get(pr.head) : await repo.git.branchSha(pr.head);
  const base = heads ? heads.get(pr.base) : await repo.git.branchSha(pr.base);
  if (base) pr.baseSha = base;
  if (head) pr.headSha = head;
  else {
    pr.state = 'closed';
    pr.closedAt = nowIso();
  }
}

async function branchHeads(repo: RepoRecord): Promise<Map<string, string>> {
  const heads = new Map<string, string>();
  for (const r of await repo.git.listRefs()) {
    if (r.ref.startsWith('refs/heads/')) heads.set(r.ref.slice('refs/heads/'.length), r.sha);
  }
  return heads;
}

async function render(ctx: Ctx, repo: RepoRecord, pr: PullRecord, withMergeability: boolean, known?: { heads: Map<string, string>; defaultBranch: string }) {
  await refresh(repo, pr, known?.heads);
  const view: PullGitView = {
    headSha: pr.headSha,
    baseSha: pr.baseSha,
    mergeable: null,
    mergeableState: 'unknown',
    commits: 0,
    defaultBranch: known?.defaultBranch ?? (await repo.git.defaultBranch()),
  };
  if (withMergeability) {
    view.commits = (await repo.git.commitsBetween(pr.baseSha, pr.headSha).catch(() => [])).length;
    if (pr.state === 'open') {
      const { conflict } = await repo.git.mergeTree(pr.baseSha, pr.headSha);
      view.mergeable = !conflict;
      view.mergeableState = conflict ? 'dirty' : pr.draft ? 'draft' : 'clean';
    }
  }
  return pullJson(ctx, repo, pr, view);
}
