import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from './index';
import { quietLog, failure } from './testing/spec-helpers';

type Octokit = InstanceType<typeof import('@octokit/rest').Octokit>;

describe('github stand-in: refs, branches, commits, releases through @octokit/rest', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let octokit: Octokit;
  let main: string;
  const o = { owner: 'acme', repo: 'engine' };

  beforeAll(async () => {
    repo = await makeBareRepo();
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare } });
    const { Octokit } = await import('@octokit/rest');
    octokit = new Octokit({ auth: 'any-token-works', baseUrl: gh.url, log: quietLog });
    main = (await repo.bareGit(['rev-parse', 'main'])).trim();
  });
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
  });

  it('creates a tag ref in the bare repo, reads it back, 404s a missing one and 422s a duplicate', async () => {
    const { data, status } = await octokit.rest.git.createRef({ ...o, ref: 'refs/tags/v1.0.0', sha: main });
    expect(status).toBe(201);
    expect(data).toMatchObject({ ref: 'refs/tags/v1.0.0', object: { sha: main, type: 'commit' }, url: `${gh.url}/repos/acme/engine/git/refs/tags/v1.0.0` });
    expect((await repo.bareGit(['rev-parse', 'refs/tags/v1.0.0'])).trim()).toBe(main);

    const got = await octokit.rest.git.getRef({ ...o, ref: 'tags/v1.0.0' });
    expect(got.data.object.sha).toBe(main);
    expect(await failure(octokit.rest.git.getRef({ ...o, ref: 'tags/v9.9.9' }))).toEqual({
      status: 404,
      data: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference', status: '404' },
    });
    expect(await failure(octokit.rest.git.createRef({ ...o, ref: 'refs/tags/v1.0.0', sha: main }))).toMatchObject({
      status: 422,
      data: { message: 'Reference already exists' },
    });
    expect(await failure(octokit.rest.git.createRef({ ...o, ref: 'refs/tags/v2', sha: 'f'.repeat(40) }))).toMatchObject({
      status: 422,
      data: { message: 'Object does not exist' },
    });
    expect((await failure(octokit.rest.git.createRef({ ...o, ref: 'v3', sha: main }))).status).toBe(422);
  });

  it('lists matching refs, moves a ref only fast-forward unless forced, and deletes it', async () => {
    const next = await repo.commitAndPush('main', { 'x.txt': 'x\n' }, 'next on main', 'main');
    await octokit.rest.git.createRef({ ...o, ref: 'refs/heads/release-1.0.0', sha: main });
    await octokit.rest.git.createRef({ ...o, ref: 'refs/heads/release-10.0.0', sha: next });
    const matching = await octokit.rest.git.listMatchingRefs({ ...o, ref: 'heads/release-' });
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/heads/release-1.0.0', 'refs/heads/release-10.0.0']);
    expect((await octokit.rest.git.listMatchingRefs({ ...o, ref: 'tags/nothing' })).data).toEqual([]);

    const ff = await octokit.rest.git.updateRef({ ...o, ref: 'heads/release-1.0.0', sha: next });
    expect(ff.data.object.sha).toBe(next);
    expect(await failure(octokit.rest.git.updateRef({ ...o, ref: 'heads/release-1.0.0', sha: main }))).toMatchObject({
      status: 422,
      data: { message: 'Update is not a fast forward' },
    });
    await octokit.rest.git.updateRef({ ...o, ref: 'heads/release-1.0.0', sha: main, force: true });
    expect((await repo.bareGit(['rev-parse', 'release-1.0.0'])).trim()).toBe(main);

    expect((await octokit.rest.git.deleteRef({ ...o, ref: 'heads/release-10.0.0' })).status).toBe(204);
    expect((await repo.bareGit(['branch', '--list', 'release-10.0.0'])).trim()).toBe('');
    expect((await failure(octokit.rest.git.deleteRef({ ...o, ref: 'heads/release-10.0.0' }))).status).toBe(422);
  });

  it('lists branches with pagination and reads one branch and a commit', async () => {
    for (let i = 0; i < 4; i++) await octokit.rest.git.createRef({ ...o, ref: `refs/heads/topic-${i}`, sha: main });
    const first = await octokit.rest.repos.listBranches({ ...o, per_page: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toMatch(/rel="next"/);
    const all = await octokit.paginate(octokit.rest.repos.listBranches, { ...o, per_page: 2 });
    expect(all.map((b) => b.name).sort()).toEqual(['main', 'release-1.0.0', 'topic-0', 'topic-1', 'topic-2', 'topic-3']);

    const b = await octokit.rest.repos.getBranch({ ...o, branch: 'release-1.0.0' });
    expect(b.data.commit.sha).toBe(main);
    expect((await failure(octokit.rest.repos.getBranch({ ...o, branch: 'nope' }))).status).toBe(404);

    const c = await octokit.rest.repos.getCommit({ ...o, ref: 'main' });
    expect(c.data.commit.message).toBe('next on main');
    expect(c.data.parents.map((p) => p.sha)).toEqual([main]);
    expect((await failure(octokit.rest.repos.getCommit({ ...o, ref: 'no-such-ref' }))).status).toBe(422);
  });

  it('peels annotated tags through git/tags', async () => {
    await repo.git(['tag', '-a', '-m', 'Release 0.9.0', 'v0.9.0', main]);
    await repo.git(['push', '--quiet', 'origin', 'v0.9.0']);
    const ref = await octokit.rest.git.getRef({ ...o, ref: 'tags/v0.9.0' });
    expect(ref.data.object.type).toBe('tag');
    const tag = await octokit.rest.git.getTag({ ...o, tag_sha: ref.data.object.sha });
    expect(tag.data).toMatchObject({ tag: 'v0.9.0', object: { type: 'commit', sha: main }, message: 'Release 0.9.0\n' });
  });

  it('creates a release (and its missing tag), finds it by tag, and 422s a second one', async () => {
    const head = (await repo.bareGit(['rev-parse', 'main'])).trim();
    const { data, status } = await octokit.rest.repos.createRelease({ ...o, tag_name: 'v1.1.0', name: '1.1.0', body: 'notes', target_commitish: 'main' });
    expect(status).toBe(201);
    expect(data).toMatchObject({ tag_name: 'v1.1.0', name: '1.1.0', body: 'notes', draft: false, prerelease: false });
    expect((await repo.bareGit(['rev-parse', 'v1.1.0'])).trim()).toBe(head);
    const byTag = await octokit.rest.repos.getReleaseByTag({ ...o, tag: 'v1.1.0' });
    expect(byTag.data.id).toBe(data.id);
    expect((await failure(octokit.rest.repos.getReleaseByTag({ ...o, tag: 'v7.0.0' }))).status).toBe(404);
    expect(await failure(octokit.rest.repos.createRelease({ ...o, tag_name: 'v1.1.0' }))).toMatchObject({
      status: 422,
      data: { message: 'Validation Failed', errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] },
    });
    expect(gh.releases('acme/engine').map((r) => r.tagName)).toEqual(['v1.1.0']);
  });
});
