import type { Api } from './api';
import { isStatus } from './api';
import { GitHubError, TagConflictError } from './errors';

export interface GitRef {
  /** Full name, e.g. `refs/tags/v1.0.0`. */
  ref: string;
  /** What the ref points at (a tag object for annotated tags). */
  sha: string;
  type: string;
}

const FULL_SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/** `tags/v1`, `refs/tags/v1` or `heads/main` -> the ref, or undefined when GitHub says 404. */
export async function getRef(api: Api, ref: string): Promise<GitRef | undefined> {
  const short = ref.replace(/^refs\//, '');
  try {
    const { data } = await api.call(`reading ref ${short} of ${api.fullName}`, () =>
      api.octokit.rest.git.getRef({ owner: api.owner, repo: api.repo, ref: short }),
    );
    return { ref: data.ref, sha: data.object.sha, type: data.object.type };
  } catch (e) {
    if (isStatus(e, 404)) return undefined;
    throw e;
  }
}

/** The commit a tag names (annotated tags peeled), or undefined if the tag does not exist. */
export async function resolveTag(api: Api, tag: string): Promise<string | undefined> {
  const ref = await getRef(api, `tags/${tag}`);
  if (!ref) return undefined;
  let { sha, type } = ref;
  for (let depth = 0; type === 'tag' && depth < 5; depth++) {
    const { data } = await api.call(`reading annotated tag ${tag} of ${api.fullName}`, () =>
      api.octokit.rest.git.getTag({ owner: api.owner, repo: api.repo, tag_sha: sha }),
    );
    ({ sha, type } = data.object);
  }
  return sha;
}

/**
 * Creates tag `tag` at commit `sha` through the API (so the tag's own CI runs).
 * Already there at that commit: `exists`. At another commit: TagConflictError.
 */
export async function createTag(api: Api, tag: string, sha: string): Promise<{ action: 'created' | 'exists'; tag: string; sha: string }> {
  if (!FULL_SHA.test(sha)) throw new GitHubError(`Cannot tag ${tag}: "${sha}" is not a full commit sha.`);
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await resolveTag(api, tag);
    if (existing === sha) return { action: 'exists', tag, sha };
    if (existing) throw new TagConflictError(tag, existing, sha, api.fullName);
    try {
      await api.call(`creating tag ${tag} at ${sha} in ${api.fullName}`, () =>
        api.octokit.rest.git.createRef({ owner: api.owner, repo: api.repo, ref: `refs/tags/${tag}`, sha }),
      );
      return { action: 'created', tag, sha };
    } catch (e) {
      // Someone created it between our read and our write: read again and judge.
      if (isStatus(e, 422, 'Reference already exists')) continue;
      throw e;
    }
  }
  throw new GitHubError(`Tag ${tag} in ${api.fullName}: GitHub says it exists but it cannot be read.`);
}

/** Branches whose name starts with `prefix` (one request, through matching-refs), sorted by name. */
export async function listBranches(api: Api, prefix = ''): Promise<{ name: string; sha: string }[]> {
  const { octokit, owner, repo } = api;
  const refs = await api.call(`listing branches${prefix ? ` starting with ${prefix}` : ''} of ${api.fullName}`, () =>
    octokit.paginate(octokit.rest.git.listMatchingRefs, { owner, repo, ref: `heads/${prefix}`, per_page: 100 }),
  );
  return refs
    .filter((r) => r.ref.startsWith(`refs/heads/${prefix}`))
    .map((r) => ({ name: r.ref.slice('refs/heads/'.length), sha: r.object.sha }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Tag names that start with `prefix` (one request, through matching-refs), sorted by name. */
export async function listTags(api: Api, prefix = ''): Promise<string[]> {
  const { octokit, owner, repo } = api;
  const refs = await api.call(`listing tags${prefix ? ` starting with ${prefix}` : ''} of ${api.fullName}`, () =>
    octokit.paginate(octokit.rest.git.listMatchingRefs, { owner, repo, ref: `tags/${prefix}`, per_page: 100 }),
  );
  return refs
    .filter((r) => r.ref.startsWith(`refs/tags/${prefix}`))
    .map((r) => r.ref.slice('refs/tags/'.length))
    .sort();
}
