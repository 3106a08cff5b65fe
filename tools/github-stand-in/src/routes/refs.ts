import type { Router } from '../router';
import type { Handler } from '../context';
import { repoOf } from '../context';
import { notFound, str, unprocessable } from '../http';
import { isSafeRef } from '../bare-repo';
import { refJson } from '../shapes';

const DOC = 'https://docs.github.com/rest/git/refs';
const DOC_CREATE = `${DOC}#create-a-reference`;
const DOC_GET = `${DOC}#get-a-reference`;
const DOC_UPDATE = `${DOC}#update-a-reference`;
const DOC_DELETE = `${DOC}#delete-a-reference`;
const DOC_TAG = 'https://docs.github.com/rest/git/tags#get-a-tag';

const isSha = (s: string | undefined): s is string => !!s && /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(s);

export function refRoutes(router: Router<Handler>): void {
  router.add('POST', '/repos/:owner/:repo/git/refs', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, DOC_CREATE);
    const body = await r.body();
    const ref = str(body, 'ref');
    const sha = str(body, 'sha');
    if (ref === undefined) throw unprocessable('Invalid request.\n\n"ref" wasn\'t supplied.', DOC_CREATE);
    if (sha === undefined) throw unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.', DOC_CREATE);
    if (!ref.startsWith('refs/') || ref.split('/').length < 3) {
      throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.", DOC_CREATE);
    }
    if (!isSafeRef(ref)) throw unprocessable('Reference name is invalid', DOC_CREATE);
    return repo.git.withLock(async () => {
      const type = isSha(sha) ? await repo.git.objectType(sha) : undefined;
      if (!type) throw unprocessable('Object does not exist', DOC_CREATE);
      if (await repo.git.refSha(ref)) throw unprocessable('Reference already exists', DOC_CREATE);
      if (!(await repo.git.updateRef(ref, sha, ''))) throw unprocessable('Reference already exists', DOC_CREATE);
      return {
        status: 201,
        body: refJson(ctx, repo, ref, sha, type),
        headers: { location: `${ctx.api}/repos/${repo.fullName}/git/${ref}` },
      };
    });
  });

  router.add('GET', '/repos/:owner/:repo/git/ref/*ref', async (ctx, { params }) => {
    const repo = repoOf(ctx, params, DOC_GET);
    const full = `refs/${params.ref}`;
    const sha = await repo.git.refSha(full);
    if (!sha) throw notFound(DOC_GET);
    return { status: 200, body: refJson(ctx, repo, full, sha, (await repo.git.objectType(sha)) ?? 'commit') };
  });

  router.add('GET', '/repos/:owner/:repo/git/matching-refs/*ref', async (ctx, { params }) => {
    const repo = repoOf(ctx, params, `${DOC}#list-matching-references`);
    const prefix = `refs/${params.ref}`;
    const refs = (await repo.git.listRefs()).filter((r) => r.ref.startsWith(prefix));
    return { status: 200, body: refs.map((r) => refJson(ctx, repo, r.ref, r.sha, r.type)) };
  });

  router.add('PATCH', '/repos/:owner/:repo/git/refs/*ref', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, DOC_UPDATE);
    const body = await r.body();
    const sha = str(body, 'sha');
    const full = `refs/${r.params.ref}`;
    if (sha === undefined) throw unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.', DOC_UPDATE);
    return repo.git.withLock(async () => {
      const old = await repo.git.refSha(full);
      if (!old) throw unprocessable('Reference does not exist', DOC_UPDATE);
      const type = isSha(sha) ? await repo.git.objectType(sha) : undefined;
      if (!type) throw unprocessable('Object does not exist', DOC_UPDATE);
      if (body.force !== true && !(await repo.git.isAncestor(old, sha))) {
        throw unprocessable('Update is not a fast forward', DOC_UPDATE);
      }
      if (!(await repo.git.updateRef(full, sha, old))) throw unprocessable('Reference cannot be updated', DOC_UPDATE);
      return { status: 200, body: refJson(ctx, repo, full, sha, type) };
    });
  });

  router.add('DELETE', '/repos/:owner/:repo/git/refs/*ref', async (ctx, { params }) => {
    const repo = repoOf(ctx, params, DOC_DELETE);
    const full = `refs/${params.ref}`;
    return repo.git.withLock(async () => {
      const old = await repo.git.refSha(full);
      if (!old || !(await repo.git.deleteRef(full, old))) throw unprocessable('Reference does not exist', DOC_DELETE);
      return { status: 204 };
    });
  });

  // Annotated tags: clients peel a tag ref whose object.type is "tag" through this.
  router.add('GET', '/repos/:owner/:repo/git/tags/:sha', async (ctx, { params }) => {
    const repo = repoOf(ctx, params, DOC_TAG);
    if (!isSha(params.sha) || (await repo.git.objectType(params.sha)) !== 'tag') throw notFound(DOC_TAG);
    const raw = await repo.git.git(['cat-file', 'tag', params.sha]);
    const [header, ...msg] = raw.split('\n\n');
    const field = (k: string) =>
      header
        .split('\n')
        .find((l) => l.startsWith(`${k} `))
        ?.slice(k.length + 1) ?? '';
    const tagger = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(field('tagger'));
    const api = `${ctx.api}/repos/${repo.fullName}/git`;
    const type = field('type');
    return {
      status: 200,
      body: {
        node_id: Buffer.from(`Tag:${params.sha}`).toString('base64'),
        tag: field('tag'),
        sha: params.sha,
        url: `${api}/tags/${params.sha}`,
        // git cat-file's output lost its final newline to the process runner; GitHub keeps it.
        message: msg.length ? `${msg.join('\n\n')}\n` : '',
        tagger: tagger ? { name: tagger[1], email: tagger[2], date: new Date(Number(tagger[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') } : null,
        object: { type, sha: field('object'), url: `${api}/${type === 'tag' ? 'tags' : 'commits'}/${field('object')}` },
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
    };
  });
}
