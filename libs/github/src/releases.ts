import type { Api } from './api';
import { isStatus } from './api';

export interface ReleaseInput {
  tag: string;
  name?: string;
  body?: string;
  /** Commit or branch for the tag when it does not exist yet. */
  targetCommitish?: string;
  prerelease?: boolean;
  draft?: boolean;
  /** GitHub's `make_latest`: "false" keeps the "Latest" badge where it is (a patch of an older line). */
  makeLatest?: 'true' | 'false' | 'legacy';
}

export interface EnsuredRelease {
  id: number;
  url: string;
  action: 'created' | 'exists';
}

/** A release as crate-train reads it. */
export interface Release {
  id: number;
  tag: string;
  name: string | null;
  body: string | null;
  prerelease: boolean;
  draft: boolean;
  url: string;
  /** GitHub's URI template for uploads (`…/assets{?name,label}`), on the uploads host. */
  uploadUrl: string;
}

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  /** `uploaded`, or `starter` for an upload that broke off. */
  state: string;
  url: string;
}

interface RawRelease {
  id: number;
  tag_name: string;
  name?: string | null;
  body?: string | null;
  prerelease: boolean;
  draft: boolean;
  html_url: string;
  upload_url: string;
}

const toRelease = (d: RawRelease): Release => ({
  id: d.id,
  tag: d.tag_name,
  name: d.name ?? null,
  body: d.body ?? null,
  prerelease: d.prerelease,
  draft: d.draft,
  url: d.html_url,
  uploadUrl: d.upload_url,
});

/** The published release of `tag`, or undefined. */
export async function getReleaseByTag(api: Api, tag: string): Promise<Release | undefined> {
  try {
    const { data } = await api.call(`reading the release of ${tag} in ${api.fullName}`, () =>
      api.octokit.rest.repos.getReleaseByTag({ owner: api.owner, repo: api.repo, tag }),
    );
    return toRelease(data as RawRelease);
  } catch (e) {
    if (isStatus(e, 404)) return undefined;
    throw e;
  }
}

/** The tag of the release GitHub marks "Latest", or undefined when none is. */
export async function latestReleaseTag(api: Api): Promise<string | undefined> {
  try {
    const { data } = await api.call(`reading the latest release of ${api.fullName}`, () =>
      api.octokit.rest.repos.getLatestRelease({ owner: api.owner, repo: api.repo }),
    );
    return data.tag_name;
  } catch (e) {
    if (isStatus(e, 404)) return undefined;
    throw e;
  }
}

/** Creates the GitHub release of `tag`, or reports the one already there. */
export async function createRelease(api: Api, input: ReleaseInput): Promise<EnsuredRelease> {
  const existing = await getReleaseByTag(api, input.tag);
  if (existing) return { id: existing.id, url: existing.url, action: 'exists' };
  const created = await createNew(api, input);
  return { id: created.release.id, url: created.release.url, action: created.raced ? 'exists' : 'created' };
}

async function createNew(api: Api, input: ReleaseInput): Promise<{ release: Release; raced: boolean }> {
  try {
    const { data } = await api.call(`creating the release of ${input.tag} in ${api.fullName}`, () =>
      api.octokit.rest.repos.createRelease({
        owner: api.owner,
        repo: api.repo,
        tag_name: input.tag,
        name: input.name ?? input.tag,
        body: input.body,
        target_commitish: input.targetCommitish,
        prerelease: input.prerelease,
        draft: input.draft,
        make_latest: input.makeLatest,
      }),
    );
    return { release: toRelease(data as RawRelease), raced: false };
  } catch (e) {
    // Another run (or a retry of a create that did succeed) made it first.
    if (isStatus(e, 422, 'already_exists')) {
      const raced = await getReleaseByTag(api, input.tag);
      if (raced) return { release: raced, raced: true };
    }
    throw e;
  }
}

export interface EnsuredReleaseState {
  release: Release;
  /** created: new; updated: its name, body or prerelease flag differed and were set; unchanged: already as wanted. */
  action: 'created' | 'updated' | 'unchanged';
  /** What differed, for an update (`body`, `name`, `prerelease`, `latest`). */
  changed: string[];
}

/**
 * The release of `input.tag` as `input` describes it: created when missing,
 * updated in place (never a second release) when its name, body or prerelease
 * flag differ, left alone otherwise. `makeLatest: 'true'` also moves GitHub's
 * "Latest" badge to it when it is elsewhere; `'false'` never moves the badge.
 */
export async function ensureRelease(api: Api, input: ReleaseInput): Promise<EnsuredReleaseState> {
  let existing = await getReleaseByTag(api, input.tag);
  if (!existing) {
    const made = await createNew(api, input);
    if (!made.raced) return { release: made.release, action: 'created', changed: [] };
    existing = made.release;
  }
  const name = input.name ?? input.tag;
  const changed: string[] = [];
  if ((existing.name ?? '') !== name) changed.push('name');
  if ((existing.body ?? '') !== (input.body ?? '')) changed.push('body');
  if (input.prerelease !== undefined && existing.prerelease !== input.prerelease) changed.push('prerelease');
  if (input.makeLatest === 'true' && !(input.prerelease ?? existing.prerelease) && (await latestReleaseTag(api)) !== input.tag) changed.push('latest');
  if (changed.length === 0) return { release: existing, action: 'unchanged', changed };
  const id = existing.id;
  const { data } = await api.call(`updating the release of ${input.tag} in ${api.fullName}`, () =>
    api.octokit.rest.repos.updateRelease({
      owner: api.owner,
      repo: api.repo,
      release_id: id,
      name,
      body: input.body,
      prerelease: input.prerelease,
      make_latest: input.makeLatest,
    }),
  );
  return { release: toRelease(data as RawRelease), action: 'updated', changed };
}

export async function listReleaseAssets(api: Api, releaseId: number): Promise<ReleaseAsset[]> {
  const assets = await api.call(`listing the assets of release ${releaseId} in ${api.fullName}`, () =>
    api.octokit.paginate(api.octokit.rest.repos.listReleaseAssets, { owner: api.owner, repo: api.repo, release_id: releaseId, per_page: 100 }),
  );
  return assets.map((a) => ({ id: a.id, name: a.name, size: a.size, state: a.state, url: a.url }));
}

export async function deleteReleaseAsset(api: Api, assetId: number, name: string): Promise<void> {
  await api.call(`deleting the release asset ${name} in ${api.fullName}`, () =>
    api.octokit.rest.repos.deleteReleaseAsset({ owner: api.owner, repo: api.repo, asset_id: assetId }),
  );
}

/**
 * Uploads one asset to the release whose `upload_url` is `uploadUrl`: GitHub's
 * URI template (`https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}`),
 * expanded by octokit with `name` and `label`, so the upload goes to the host
 * GitHub names (uploads.github.com, /api/uploads on GitHub Enterprise).
 * A server error is retried by the client; a 422 `already_exists` (a retried
 * upload that had arrived) returns the asset already there when its size matches.
 */
export async function uploadReleaseAsset(
  api: Api,
  release: Pick<Release, 'id' | 'tag' | 'uploadUrl'>,
  asset: { name: string; data: Uint8Array; contentType?: string; label?: string },
): Promise<ReleaseAsset> {
  try {
    const { data } = await api.call(`uploading ${asset.name} to the release of ${release.tag} in ${api.fullName}`, () =>
      api.octokit.request({
        method: 'POST',
        url: release.uploadUrl,
        name: asset.name,
        ...(asset.label ? { label: asset.label } : {}),
        data: asset.data,
        headers: { 'content-type': asset.contentType ?? 'application/octet-stream', 'content-length': asset.data.byteLength },
      }),
    );
    const a = data as { id: number; name: string; size: number; state: string; url: string };
    return { id: a.id, name: a.name, size: a.size, state: a.state, url: a.url };
  } catch (e) {
    if (isStatus(e, 422, 'already_exists')) {
      const there = (await listReleaseAssets(api, release.id)).find((a) => a.name === asset.name);
      if (there && there.size === asset.data.byteLength && there.state === 'uploaded') return there;
    }
    throw e;
  }
}
