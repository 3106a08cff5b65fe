import type { Router } from '../router';
import type { Handler } from '../context';
import { repoOf } from '../context';
import { ApiError, paginate, unprocessable } from '../http';
import { commitJson, repoJson, shortBranchJson, simpleRepoJson, userJson } from '../shapes';

const DOC_BRANCH = 'https://docs.github.com/rest/branches/branches#get-a-branch';
const DOC_COMMIT = 'https://docs.github.com/rest/commits/commits#get-a-commit';
const DOC_INSTALLATION = 'https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation';

export function repoRoutes(router: Router<Handler>): void {
  router.add('GET', '/user', async (ctx) => ({ status: 200, body: userJson(ctx, ctx.login) }));

  router.add('GET', '/repos/:owner/:repo', async (ctx, { params, auth }) => {
    const repo = repoOf(ctx, params, 'https://docs.github.com/rest/repos/repos#get-a-repository');
    const body = repoJson(ctx, repo, await repo.git.defaultBranch());
    // The authenticated user's permissions; GitHub leaves the key out for App installation tokens.
    if (auth?.permissions === null) delete body.permissions;
    else if (auth) body.permissions = auth.permissions;
    return { status: 200, body };
  });

  // Answers only App installation tokens: how a client tells one apart.
  router.add('GET', '/installation/repositories', async (ctx, { auth, url }) => {
    if (!auth?.installation) {
      throw new ApiError(403, 'You must authenticate with an installation access token in order to list repositories for an installation.', DOC_INSTALLATION);
    }
    const all = [...ctx.state.repos.values()].map((r) => simpleRepoJson(ctx, r));
    const { page, headers } = paginate(all, url);
    return { status: 200, body: { total_count: all.length, repository_selection: 'selected', repositories: page }, headers };
  });

  router.add('GET', '/repos/:owner/:repo/branches', async (ctx, { params, url }) => {
    const repo = repoOf(ctx, params);
    const branches = (await repo.git.listRefs())
      .filter((r) => r.ref.startsWith('refs/heads/'))
      .map((r) => shortBranchJson(ctx, repo, r.ref.slice('refs/heads/'.length), r.sha));
    const { page, headers } = paginate(branches, url);
    return { status: 200, body: page, headers };
  });

  router.add('GET', '/repos/:owner/:repo/branches/*branch', async (ctx, { params }) => {
    const repo = repoOf(ctx, params);
    const sha = await repo.git.branchSha(params.branch);
    if (!sha) throw new ApiError(404, 'Branch not found', DOC_BRANCH);
    const commit = await repo.git.commit(sha);
    const self = `${ctx.api}/repos/${repo.fullName}/branches/${params.branch}`;
    return {
      status: 200,
      body: {
        name: params.branch,
        commit: commitJson(ctx, repo, commit!),
        _links: { self, html: `${ctx.html}/${repo.fullName}/tree/${params.branch}` },
        protected: false,
        protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
        protection_url: `${self}/protection`,
      },
    };
  });

  router.add('GET', '/repos/:owner/:repo/commits/*ref', async (ctx, { params }) => {
    const repo = repoOf(ctx, params);
    const commit = await repo.git.commit(params.ref);
    if (!commit) throw unprocessable(`No commit found for SHA: ${params.ref}`, DOC_COMMIT);
    return { status: 200, body: commitJson(ctx, repo, commit) };
  });
}
