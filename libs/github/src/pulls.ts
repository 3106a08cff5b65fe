import type { Api } from './api';
import { isStatus } from './api';
import { GitHubError } from './errors';

export interface PullRequestInput {
  /** Head branch in this repository (no `owner:` prefix). */
  head: string;
  base: string;
  title: string;
  body: string;
  draft?: boolean;
}

export interface EnsuredPullRequest {
  number: number;
  /** The PR's web page. */
  url: string;
  action: 'created' | 'updated' | 'unchanged';
}

export interface PullRequestSummary {
  number: number;
  url: string;
  state: 'open' | 'closed';
  merged: boolean;
  title: string;
  body: string;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  mergeCommitSha: string | null;
}

interface RawPull {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body?: string | null;
  merged?: boolean;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
}

function summarize(p: RawPull): PullRequestSummary {
  return {
    number: p.number,
    url: p.html_url,
    state: p.state === 'open' ? 'open' : 'closed',
    merged: p.merged ?? Boolean(p.merged_at),
    title: p.title,
    body: p.body ?? '',
    head: { ref: p.head.ref, sha: p.head.sha },
    base: { ref: p.base.ref, sha: p.base.sha },
    mergeCommitSha: p.merge_commit_sha ?? null,
  };
}

export async function listPullRequests(
  api: Api,
  filter: { state?: 'open' | 'closed' | 'all'; head?: string; base?: string } = {},
): Promise<PullRequestSummary[]> {
  const { octokit, owner, repo } = api;
  const pulls = await api.call(`listing pull requests of ${api.fullName}`, () =>
    octokit.paginate(octokit.rest.pulls.list, {
      owner,
      repo,
      state: filter.state ?? 'open',
      // GitHub ignores a bare branch name here; only `owner:branch` filters.
      head: filter.head ? `${owner}:${filter.head}` : undefined,
      base: filter.base,
      per_page: 100,
    }),
  );
  // Filter again locally: a server that ignored the filter must not make us adopt someone else's PR.
  return (pulls as RawPull[]).filter((p) => (!filter.head || p.head.ref === filter.head) && (!filter.base || p.base.ref === filter.base)).map(summarize);
}

export async function getPullRequest(api: Api, number: number): Promise<PullRequestSummary> {
  const { data } = await api.call(`reading pull request #${number} of ${api.fullName}`, () =>
    api.octokit.rest.pulls.get({ owner: api.owner, repo: api.repo, pull_number: number }),
  );
  return summarize(data as RawPull);
}

/**
 * Opens the PR `head` -> `base`, or brings the open one of the same head branch
 * up to date (title, body). Never makes a duplicate: a create that loses a race
 * (GitHub's 422 "A pull request already exists") re-reads and updates instead.
 */
export async function ensurePullRequest(api: Api, input: PullRequestInput): Promise<EnsuredPullRequest> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [open] = await listPullRequests(api, { state: 'open', head: input.head, base: input.base });
    if (open) return updateIfChanged(api, open, input);
    try {
      const { data } = await api.call(`opening the pull request ${input.head} -> ${input.base} in ${api.fullName}`, () =>
        api.octokit.rest.pulls.create({
          owner: api.owner,
          repo: api.repo,
          head: input.head,
          base: input.base,
          title: input.title,
          body: input.body,
          draft: input.draft,
        }),
      );
      return { number: data.number, url: data.html_url, action: 'created' };
    } catch (e) {
      if (isStatus(e, 422, 'A pull request already exists')) continue;
      if (e instanceof GitHubError && e.status === 422 && e.details.some((d) => /head invalid|base invalid/.test(d))) {
        const which = e.details.some((d) => d.includes('head')) ? `head branch ${input.head}` : `base branch ${input.base}`;
        throw new GitHubError(
          `${e.message}. The ${which} does not exist in ${api.fullName}: push it first.`,
          e.status,
          e.githubMessage,
          e.details,
          e.requestId,
        );
      }
      throw e;
    }
  }
  throw new GitHubError(
    `Could not open or find the pull request ${input.head} -> ${input.base} in ${api.fullName}: GitHub kept answering "already exists" but listing shows none.`,
  );
}

async function updateIfChanged(api: Api, open: PullRequestSummary, input: PullRequestInput): Promise<EnsuredPullRequest> {
  if (open.title === input.title && open.body === input.body) {
    return { number: open.number, url: open.url, action: 'unchanged' };
  }
  await api.call(`updating pull request #${open.number} of ${api.fullName}`, () =>
    api.octokit.rest.pulls.update({ owner: api.owner, repo: api.repo, pull_number: open.number, title: input.title, body: input.body }),
  );
  return { number: open.number, url: open.url, action: 'updated' };
}

export async function mergePullRequest(
  api: Api,
  number: number,
  opts: { method?: 'merge' | 'squash' | 'rebase'; sha?: string } = {},
): Promise<{ sha: string; merged: boolean }> {
  const { data } = await api.call(`merging pull request #${number} of ${api.fullName}`, () =>
    api.octokit.rest.pulls.merge({ owner: api.owner, repo: api.repo, pull_number: number, merge_method: opts.method ?? 'merge', sha: opts.sha }),
  );
  return { sha: data.sha, merged: data.merged };
}
