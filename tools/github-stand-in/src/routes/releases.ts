import type { Router } from '../router';
import type { Handler } from '../context';
import { repoOf } from '../context';
import { notFound, paginate, str, validationFailed } from '../http';
import { releaseJson } from '../shapes';
import { nowIso, type ReleaseRecord } from '../state';

const DOC = 'https://docs.github.com/rest/releases/releases';
const DOC_CREATE = `${DOC}#create-a-release`;

export function releaseRoutes(router: Router<Handler>): void {
  router.add('POST', '/repos/:owner/:repo/releases', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, DOC_CREATE);
    const body = await r.body();
    const tag = str(body, 'tag_name');
    if (!tag) throw validationFailed(DOC_CREATE, { resource: 'Release', code: 'missing_field', field: 'tag_name' });
    const draft = body.draft === true;
    return repo.git.withLock(async () => {
      if (ctx.state.releases.some((x) => x.repo === repo.fullName && x.tagName === tag && !x.draft) && !draft) {
        throw validationFailed(DOC_CREATE, { resource: 'Release', code: 'already_exists', field: 'tag_name' });
      }
      const target = str(body, 'target_commitish') || (await repo.git.defaultBranch());
      const tagSha = await repo.git.refSha(`refs/tags/${tag}`);
      if (!tagSha) {
        // Like GitHub: publishing a release for a missing tag creates the tag at target_commitish.
        const commit = await repo.git.resolveCommit(target);
        if (!commit) throw validationFailed(DOC_CREATE, { resource: 'Release', code: 'invalid', field: 'target_commitish' });
        if (!draft) await repo.git.updateRef(`refs/tags/${tag}`, commit, '');
      }
      const now = nowIso();
      const rel: ReleaseRecord = {
        id: ctx.nextId(),
        repo: repo.fullName,
        tagName: tag,
        targetCommitish: target,
        name: str(body, 'name') ?? null,
        body: str(body, 'body') ?? null,
        draft,
        prerelease: body.prerelease === true,
        author: ctx.login,
        createdAt: now,
        publishedAt: draft ? null : now,
      };
      ctx.state.releases.push(rel);
      return { status: 201, body: releaseJson(ctx, repo, rel), headers: { location: `${ctx.api}/repos/${repo.fullName}/releases/${rel.id}` } };
    });
  });

  router.add('GET', '/repos/:owner/:repo/releases', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, `${DOC}#list-releases`);
    const all = ctx.state.releases.filter((x) => x.repo === repo.fullName).reverse();
    const { page, headers } = paginate(all, r.url);
    return { status: 200, body: page.map((x) => releaseJson(ctx, repo, x)), headers };
  });

  router.add('GET', '/repos/:owner/:repo/releases/tags/*tag', async (ctx, { params }) => {
    const doc = `${DOC}#get-a-release-by-tag-name`;
    const repo = repoOf(ctx, params, doc);
    const rel = ctx.state.releases.find((x) => x.repo === repo.fullName && x.tagName === params.tag && !x.draft);
    if (!rel) throw notFound(doc);
    return { status: 200, body: releaseJson(ctx, repo, rel) };
  });

  router.add('GET', '/repos/:owner/:repo/releases/:id', async (ctx, { params }) => {
    const doc = `${DOC}#get-a-release`;
    const repo = repoOf(ctx, params, doc);
    const rel = ctx.state.releases.find((x) => x.repo === repo.fullName && String(x.id) === params.id);
    if (!rel) throw notFound(doc);
    return { status: 200, body: releaseJson(ctx, repo, rel) };
  });
}
