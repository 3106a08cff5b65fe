import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from './index';
import { quietLog, failure } from './testing/spec-helpers';

type Octokit = InstanceType<typeof import('@octokit/rest').Octokit>;

describe('github stand-in: releases, "Latest", and release assets through upload_url', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let octokit: Octokit;
  const o = { owner: 'acme', repo: 'engine' };

  beforeAll(async () => {
    repo = await makeBareRepo();
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare } });
    const { Octokit } = await import('@octokit/rest');
    octokit = new Octokit({ auth: 'tok', baseUrl: gh.url, log: quietLog });
  });
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
  });

  it('moves the "Latest" badge as make_latest says, and updates a release in place', async () => {
    const v1 = (await octokit.rest.repos.createRelease({ ...o, tag_name: 'v1.0.0', body: 'one' })).data;
    const v2 = (await octokit.rest.repos.createRelease({ ...o, tag_name: 'v2.0.0' })).data;
    expect((await octokit.rest.repos.getLatestRelease(o)).data.tag_name).toBe('v2.0.0');
    // A patch of the older line that must not take the badge.
    await octokit.rest.repos.createRelease({ ...o, tag_name: 'v1.0.1', make_latest: 'false' });
    await octokit.rest.repos.createRelease({ ...o, tag_name: 'v3.0.0-rc.1', prerelease: true });
    expect((await octokit.rest.repos.getLatestRelease(o)).data.tag_name).toBe('v2.0.0');
    const updated = await octokit.rest.repos.updateRelease({ ...o, release_id: v1.id, body: 'one, edited', make_latest: 'true' });
    expect(updated.data).toMatchObject({ id: v1.id, body: 'one, edited', tag_name: 'v1.0.0' });
    expect((await octokit.rest.repos.getLatestRelease(o)).data.id).toBe(v1.id);
    expect(gh.releases('acme/engine').map((r) => [r.tagName, r.latest])).toEqual([
      ['v1.0.0', true],
      ['v2.0.0', false],
      ['v1.0.1', false],
      ['v3.0.0-rc.1', false],
    ]);
    expect(await failure(octokit.rest.repos.updateRelease({ ...o, release_id: v1.id, tag_name: 'v2.0.0' }))).toMatchObject({ status: 422 });
    expect(await failure(octokit.rest.repos.updateRelease({ ...o, release_id: 999999 }))).toMatchObject({ status: 404 });
    expect(v2.upload_url).toBe(`${gh.url}/uploads/repos/acme/engine/releases/${v2.id}/assets{?name,label}`);
  });

  it('uploads to upload_url, lists, refuses a taken name, deletes', async () => {
    const rel = (await octokit.rest.repos.getReleaseByTag({ ...o, tag: 'v2.0.0' })).data;
    const data = Buffer.from('binary\0bytes');
    const up = await octokit.request({
      method: 'POST',
      url: rel.upload_url,
      name: 'engine.tar.gz',
      label: 'Linux',
      data,
      headers: { 'content-type': 'application/gzip' },
    });
    expect(up.status).toBe(201);
    expect(up.data).toMatchObject({ name: 'engine.tar.gz', label: 'Linux', size: data.length, state: 'uploaded', content_type: 'application/gzip' });
    expect(up.data.browser_download_url).toBe(`${gh.url}/acme/engine/releases/download/v2.0.0/engine.tar.gz`);
    expect(gh.assets('acme/engine')[0].data.equals(data)).toBe(true);
    const again = await failure(
      octokit.request({ method: 'POST', url: rel.upload_url, name: 'engine.tar.gz', data, headers: { 'content-type': 'application/gzip' } }),
    );
    expect(again).toMatchObject({ status: 422, data: { errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }] } });
    const listed = await octokit.rest.repos.listReleaseAssets({ ...o, release_id: rel.id });
    expect(listed.data.map((a) => a.name)).toEqual(['engine.tar.gz']);
    expect((await octokit.rest.repos.getRelease({ ...o, release_id: rel.id })).data.assets.map((a) => a.size)).toEqual([data.length]);
    expect((await octokit.rest.repos.getReleaseAsset({ ...o, asset_id: up.data.id })).data.id).toBe(up.data.id);
    expect((await octokit.rest.repos.deleteReleaseAsset({ ...o, asset_id: up.data.id })).status).toBe(204);
    expect(gh.assets('acme/engine')).toEqual([]);
    // The API host's own path is not the upload endpoint: a client must follow upload_url.
    expect(await failure(octokit.request('POST /repos/{owner}/{repo}/releases/{id}/assets', { ...o, id: rel.id, data: 'x' } as never))).toMatchObject({
      status: 404,
    });
  });
});
