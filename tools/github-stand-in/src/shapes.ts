// JSON shapes of GitHub's REST API (field names from @octokit/openapi-types:
// simple-user, full-repository, pull-request, git-ref, short-branch, commit,
// release, repository-advisory). Only what a client can observe is filled in.
import type { Ctx } from './context';
import type { CommitInfo } from './bare-repo';
import type { AdvisoryRecord, PullRecord, ReleaseAssetRecord, ReleaseRecord, RepoRecord } from './state';

const nodeId = (kind: string, id: number | string) => Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');

export function userJson(ctx: Ctx, login: string, type: 'User' | 'Organization' = 'User') {
  const id = login === ctx.login ? ctx.userId : stableId(login);
  const url = `${ctx.api}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId('User', id),
    avatar_url: `${ctx.html}/avatars/${login}`,
    gravatar_id: '',
    url,
    html_url: `${ctx.html}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  };
}

export function repoJson(ctx: Ctx, repo: RepoRecord, defaultBranch: string): Record<string, unknown> {
  // GitHub's full repository is its simple repository plus more fields.
  const simple = simpleRepoJson(ctx, repo);
  const url = simple.url;
  const out: Record<string, unknown> = {
    ...simple,
    branches_url: `${url}/branches{/branch}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    // The bare repository itself: git can clone and push to it directly.
    clone_url: repo.path,
    git_url: repo.path,
    ssh_url: repo.path,
    svn_url: `${ctx.html}/${repo.fullName}`,
    default_branch: defaultBranch,
    visibility: repo.private ? 'private' : 'public',
    archived: false,
    disabled: false,
    is_template: false,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    open_issues_count: ctx.state.pulls.filter((p) => p.repo === repo.fullName && p.state === 'open').length,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: repo.createdAt,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
  };
  return out;
}

export interface PullGitView {
  headSha: string;
  baseSha: string;
  mergeable: boolean | null;
  mergeableState: string;
  commits: number;
  defaultBranch: string;
}

export function pullJson(ctx: Ctx, repo: RepoRecord, pr: PullRecord, git: PullGitView): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}/pulls/${pr.number}`;
  const html = `${ctx.html}/${repo.fullName}/pull/${pr.number}`;
  const issueUrl = `${ctx.api}/repos/${repo.fullName}/issues/${pr.number}`;
  const repoObj = repoJson(ctx, repo, git.defaultBranch);
  const owner = userJson(ctx, repo.owner, repo.owner === ctx.login ? 'User' : 'Organization');
  return {
    url,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${ctx.api}/repos/${repo.fullName}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${ctx.api}/repos/${repo.fullName}/statuses/${git.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(ctx, pr.user),
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${repo.owner}:${pr.head}`, ref: pr.head, sha: git.headSha, user: owner, repo: repoObj },
    base: { label: `${repo.owner}:${pr.base}`, ref: pr.base, sha: git.baseSha, user: owner, repo: repoObj },
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${ctx.api}/repos/${repo.fullName}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${ctx.api}/repos/${repo.fullName}/statuses/${git.headSha}` },
    },
    author_association: 'OWNER',
    auto_merge: null,
    draft: pr.draft,
    merged: pr.mergedAt !== null,
    mergeable: git.mergeable,
    rebaseable: git.mergeable,
    mergeable_state: git.mergeableState,
    merged_by: pr.mergedBy ? userJson(ctx, pr.mergedBy) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: git.commits,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

export function refJson(ctx: Ctx, repo: RepoRecord, ref: string, sha: string, type: string) {
  const api = `${ctx.api}/repos/${repo.fullName}`;
  return {
    ref,
    node_id: nodeId('Ref', `${repo.id}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { sha, type, url: `${api}/git/${type === 'tag' ? 'tags' : type === 'tree' ? 'trees' : 'commits'}/${sha}` },
  };
}

export function commitJson(ctx: Ctx, repo: RepoRecord, c: CommitInfo) {
  const api = `${ctx.api}/repos/${repo.fullName}`;
  return {
    sha: c.sha,
    node_id: nodeId('Commit', c.sha),
    url: `${api}/commits/${c.sha}`,
    html_url: `${ctx.html}/${repo.fullName}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: c.author,
      committer: c.committer,
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: null,
    committer: null,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${ctx.html}/${repo.fullName}/commit/${p}` })),
  };
}

export function shortBranchJson(ctx: Ctx, repo: RepoRecord, name: string, sha: string) {
  return {
    name,
    commit: { sha, url: `${ctx.api}/repos/${repo.fullName}/commits/${sha}` },
    protected: false,
  };
}

export function releaseJson(ctx: Ctx, repo: RepoRecord, r: ReleaseRecord) {
  const api = `${ctx.api}/repos/${repo.fullName}`;
  return {
    url: `${api}/releases/${r.id}`,
    html_url: `${ctx.html}/${repo.fullName}/releases/tag/${encodeURIComponent(r.tagName)}`,
    assets_url: `${api}/releases/${r.id}/assets`,
    upload_url: `${ctx.api}/uploads/repos/${repo.fullName}/releases/${r.id}/assets{?name,label}`,
    tarball_url: `${api}/tarball/${r.tagName}`,
    zipball_url: `${api}/zipball/${r.tagName}`,
    id: r.id,
    node_id: nodeId('Release', r.id),
    tag_name: r.tagName,
    target_commitish: r.targetCommitish,
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    author: userJson(ctx, r.author),
    assets: ctx.state.assets.filter((a) => a.releaseId === r.id).map((a) => assetJson(ctx, repo, a)),
  };
}

export function assetJson(ctx: Ctx, repo: RepoRecord, a: ReleaseAssetRecord) {
  const rel = ctx.state.releases.find((r) => r.id === a.releaseId);
  return {
    url: `${ctx.api}/repos/${repo.fullName}/releases/assets/${a.id}`,
    browser_download_url: `${ctx.html}/${repo.fullName}/releases/download/${encodeURIComponent(rel?.tagName ?? '')}/${encodeURIComponent(a.name)}`,
    id: a.id,
    node_id: nodeId('ReleaseAsset', a.id),
    name: a.name,
    label: a.label,
    state: a.state,
    content_type: a.contentType,
    size: a.data.length,
    download_count: 0,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    uploader: userJson(ctx, a.uploader),
  };
}

export function simpleRepoJson(ctx: Ctx, repo: RepoRecord) {
  const url = `${ctx.api}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: userJson(ctx, repo.owner, repo.owner === ctx.login ? 'User' : 'Organization'),
    private: repo.private,
    html_url: `${ctx.html}/${repo.fullName}`,
    description: null,
    fork: Boolean(repo.parent),
    url,
  };
}

export function advisoryJson(ctx: Ctx, repo: RepoRecord, a: AdvisoryRecord) {
  const fork = a.privateFork ? ctx.state.repos.get(a.privateFork.toLowerCase()) : undefined;
  return {
    ghsa_id: a.ghsaId,
    cve_id: a.cveId,
    url: `${ctx.api}/repos/${repo.fullName}/security-advisories/${a.ghsaId}`,
    html_url: `${ctx.html}/${repo.fullName}/security/advisories/${a.ghsaId}`,
    summary: a.summary,
    description: a.description,
    severity: a.severity,
    author: userJson(ctx, a.author),
    publisher: a.state === 'published' ? userJson(ctx, a.author) : null,
    identifiers: [{ value: a.ghsaId, type: 'GHSA' }, ...(a.cveId ? [{ value: a.cveId, type: 'CVE' }] : [])],
    state: a.state,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    published_at: a.publishedAt,
    closed_at: a.closedAt,
    withdrawn_at: null,
    submission: null,
    vulnerabilities: a.vulnerabilities,
    cvss: { vector_string: a.cvssVector, score: null },
    cwes: a.cweIds.map((id) => ({ cwe_id: id, name: id })),
    cwe_ids: a.cweIds,
    credits: [],
    credits_detailed: [],
    collaborating_users: [],
    collaborating_teams: [],
    private_fork: fork ? simpleRepoJson(ctx, fork) : null,
  };
}

function stableId(s: string): number {
  let h = 7;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return 1000 + (h % 9_000_000);
}
