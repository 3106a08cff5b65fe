import type { IncomingMessage } from 'node:http';
import type { Router } from '../router';
import type { Ctx, Handler } from '../context';
import { repoOf } from '../context';
import { ApiError, notFound, paginate, str, validationFailed } from '../http';
import { assetJson, releaseJson } from '../shapes';
import { nowIso, type ReleaseAssetRecord, type ReleaseRecord, type RepoRecord } from '../state';

const DOC = 'https://docs.github.com/rest/releases/releases';
const DOC_CREATE = `${DOC}#create-a-release`;
const DOC_UPDATE = `${DOC}#update-a-release`;
const DOC_ASSETS = 'https://docs.github.com/rest/releases/assets';
const DOC_UPLOAD = `${DOC_ASSETS}#upload-a-release-asset`;

/** `make_latest`: "true", "false" or "legacy" (GitHub's values; a boolean is accepted as well). */
function makeLatest(body: Record<string, unknown>): 'true' | 'false' | 'legacy' | undefined {
  const v = body.make_latest;
  if (v === undefined) return undefined;
  const s = String(v);
  if (s === 'true' || s === 'false' || s === 'legacy') return s;
  throw validationFailed(DOC_UPDATE, { resource: 'Release', code: 'invalid', field: 'make_latest' });
}

/** Moves GitHub's "Latest" badge to `rel` (only a published, non-prerelease release can carry it). */
function applyLatest(ctx: Ctx, rel: ReleaseRecord, wanted: 'true' | 'false' | 'legacy' | undefined, creating: boolean): void {
  const eligible = !rel.draft && !rel.prerelease;
  if (!eligible) {
    rel.latest = false;
    return;
  }
  // GitHub: make_latest defaults to true; "legacy" picks by creation date and semver, here the newest one created.
  const take = wanted === 'true' || wanted === 'legacy' || (wanted === undefined && creating);
  if (!take) return;
  for (const other of ctx.state.releases) if (other.repo === rel.repo) other.latest = false;
  rel.latest = true;
}

function releaseOf(ctx: Ctx, repo: RepoRecord, id: string, doc: string): ReleaseRecord {
  const rel = ctx.state.releases.find((x) => x.repo === repo.fullName && String(x.id) === id);
  if (!rel) throw notFound(doc);
  return rel;
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function releaseRoutes(router: Router<Handler>): void {
  router.add('POST', '/repos/:owner/:repo/releases', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, DOC_CREATE);
    const body = await r.body();
    const tag = str(body, 'tag_name');
    if (!tag) throw validationFailed(DOC_CREATE, { resource: 'Release', code: 'missing_field', field: 'tag_name' });
    const draft = body.draft === true;
    const latest = makeLatest(body);
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
        latest: false,
      };
      ctx.state.releases.push(rel);
      applyLatest(ctx, rel, latest, true);
      return { status: 201, body: releaseJson(ctx, repo, rel), headers: { location: `${ctx.api}/repos/${repo.fullName}/releases/${rel.id}` } };
    });
  });

  router.add('GET', '/repos/:owner/:repo/releases', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, `${DOC}#list-releases`);
    const all = ctx.state.releases.filter((x) => x.repo === repo.fullName).reverse();
    const { page, headers } = paginate(all, r.url);
    return { status: 200, body: page.map((x) => releaseJson(ctx, repo, x)), headers };
  });

  router.add('GET', '/repos/:owner/:repo/releases/latest', async (ctx, { params }) => {
    const doc = `${DOC}#get-the-latest-release`;
    const repo = repoOf(ctx, params, doc);
    const rel = ctx.state.releases.find((x) => x.repo === repo.fullName && x.latest);
    if (!rel) throw notFound(doc);
    return { status: 200, body: releaseJson(ctx, repo, rel) };
  });

  router.add('GET', '/repos/:owner/:repo/releases/tags/*tag', async (ctx, { params }) => {
    const doc = `${DOC}#get-a-release-by-tag-name`;
    const repo = repoOf(ctx, params, doc);
    const rel = ctx.state.releases.find((x) => x.repo === repo.fullName && x.tagName === params.tag && !x.draft);
    if (!rel) throw notFound(doc);
    return { status: 200, body: releaseJson(ctx, repo, rel) };
  });

  router.add('GET', '/repos/:owner/:repo/releases/assets/:assetId', async (ctx, { params }) => {
    const doc = `${DOC_ASSETS}#get-a-release-asset`;
    const repo = repoOf(ctx, params, doc);
    const asset = ctx.state.assets.find((a) => a.repo === repo.fullName && String(a.id) === params.assetId);
    if (!asset) throw notFound(doc);
    return { status: 200, body: assetJson(ctx, repo, asset) };
  });

  router.add('DELETE', '/repos/:owner/:repo/releases/assets/:assetId', async (ctx, { params }) => {
    const doc = `${DOC_ASSETS}#delete-a-release-asset`;
    const repo = repoOf(ctx, params, doc);
    const i = ctx.state.assets.findIndex((a) => a.repo === repo.fullName && String(a.id) === params.assetId);
    if (i < 0) throw notFound(doc);
    ctx.state.assets.splice(i, 1);
    return { status: 204 };
  });

  router.add('GET', '/repos/:owner/:repo/releases/:id', async (ctx, { params }) => {
    const doc = `${DOC}#get-a-release`;
    const repo = repoOf(ctx, params, doc);
    return { status: 200, body: releaseJson(ctx, repo, releaseOf(ctx, repo, params.id, doc)) };
  });

  router.add('PATCH', '/repos/:owner/:repo/releases/:id', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, DOC_UPDATE);
    const rel = releaseOf(ctx, repo, r.params.id, DOC_UPDATE);
    const body = await r.body();
    const latest = makeLatest(body);
    const tag = str(body, 'tag_name');
    if (tag !== undefined && tag !== rel.tagName) {
      if (ctx.state.releases.some((x) => x.repo === repo.fullName && x.tagName === tag && x !== rel && !x.draft)) {
        throw validationFailed(DOC_UPDATE, { resource: 'Release', code: 'already_exists', field: 'tag_name' });
      }
      rel.tagName = tag;
    }
    if ('name' in body) rel.name = str(body, 'name') ?? null;
    if ('body' in body) rel.body = str(body, 'body') ?? null;
    if (str(body, 'target_commitish')) rel.targetCommitish = str(body, 'target_commitish')!;
    if (typeof body.prerelease === 'boolean') rel.prerelease = body.prerelease;
    if (typeof body.draft === 'boolean' && body.draft !== rel.draft) {
      rel.draft = body.draft;
      rel.publishedAt = rel.draft ? null : nowIso();
    }
    applyLatest(ctx, rel, latest, false);
    return { status: 200, body: releaseJson(ctx, repo, rel) };
  });

  router.add('GET', '/repos/:owner/:repo/releases/:id/assets', async (ctx, r) => {
    const doc = `${DOC_ASSETS}#list-release-assets`;
    const repo = repoOf(ctx, r.params, doc);
    const rel = releaseOf(ctx, repo, r.params.id, doc);
    const all = ctx.state.assets.filter((a) => a.releaseId === rel.id);
    const { page, headers } = paginate(all, r.url);
    return { status: 200, body: page.map((a) => assetJson(ctx, repo, a)), headers };
  });

  // The host of a release's `upload_url` (uploads.github.com, or /api/uploads on GitHub
  // Enterprise): here the stand-in's own base URL under /uploads. Raw body; ?name=&label=.
  router.add('POST', '/uploads/repos/:owner/:repo/releases/:id/assets', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, DOC_UPLOAD);
    const rel = releaseOf(ctx, repo, r.params.id, DOC_UPLOAD);
    const name = r.url.searchParams.get('name');
    const data = await readBytes(r.req);
    if (!name) throw new ApiError(422, 'Bad Content-Length or name', DOC_UPLOAD);
    const contentType = r.req.headers['content-type'];
    if (!contentType) throw new ApiError(422, 'Missing Content-Type', DOC_UPLOAD);
    const declared = Number(r.req.headers['content-length'] ?? data.length);
    if (declared !== data.length) throw new ApiError(400, 'Bad Content-Length', DOC_UPLOAD);
    if (ctx.state.assets.some((a) => a.releaseId === rel.id && a.name === name)) {
      throw validationFailed(DOC_UPLOAD, { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' });
    }
    const now = nowIso();
    const asset: ReleaseAssetRecord = {
      id: ctx.nextId(),
      repo: repo.fullName,
      releaseId: rel.id,
      name,
      label: r.url.searchParams.get('label'),
      contentType,
      state: 'uploaded',
      data,
      uploader: ctx.login,
      createdAt: now,
      updatedAt: now,
    };
    ctx.state.assets.push(asset);
    return { status: 201, body: assetJson(ctx, repo, asset) };
  });
}
