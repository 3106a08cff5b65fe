import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from './index';
import { quietLog } from './testing/spec-helpers';

type Octokit = InstanceType<typeof import('@octokit/rest').Octokit>;
const TOKEN = 'ghp_standintesttoken0001';

describe('github stand-in: pull requests through @octokit/rest', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let octokit: Octokit;
  const o = { owner: 'acme', repo: 'engine' };

  beforeAll(async () => {
    repo = await makeBareRepo();
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare }, token: TOKEN });
    const { Octokit } = await import('@octokit/rest');
    octokit = new Octokit({ auth: TOKEN, baseUrl: gh.url, log: quietLog });
  });
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
  });

  const status = (p: Promise<{ status: number }>) =>
    p.then(
      (r) => r.status,
      (e: { status: number }) => e.status,
    );
  const errorBody = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: { response?: { data: unknown } }) => e.response?.data,
    );

  it('reads the repository with its default branch from the bare repo', async () => {
    const { data } = await octokit.rest.repos.get(o);
    expect(data.full_name).toBe('acme/engine');
    expect(data.default_branch).toBe('main');
    expect(data.private).toBe(false);
    expect(data.html_url).toBe(`${gh.url}/acme/engine`);
  });

  it('creates a PR with GitHub’s fields and refuses a duplicate with GitHub’s exact 422 body', async () => {
    const headSha = await repo.commitAndPush('ci/bump-to-2.0.0', { VERSION: '2.0.0\n' }, 'Bump Wasmtime to 2.0.0', 'main');
    const mainSha = (await repo.bareGit(['rev-parse', 'main'])).trim();
    const { data: pr, status: st } = await octokit.rest.pulls.create({
      ...o,
      head: 'ci/bump-to-2.0.0',
      base: 'main',
      title: 'Bump to 2.0.0',
      body: 'The bump.',
    });
    expect(st).toBe(201);
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      title: 'Bump to 2.0.0',
      body: 'The bump.',
      merged: false,
      merge_commit_sha: null,
      draft: false,
      html_url: `${gh.url}/acme/engine/pull/1`,
      url: `${gh.url}/repos/acme/engine/pulls/1`,
      head: { ref: 'ci/bump-to-2.0.0', sha: headSha, label: 'acme:ci/bump-to-2.0.0' },
      base: { ref: 'main', sha: mainSha, label: 'acme:main' },
      user: { login: 'crate-train-bot' },
    });
    expect(pr.head.repo.full_name).toBe('acme/engine');

    const dup = octokit.rest.pulls.create({ ...o, head: 'acme:ci/bump-to-2.0.0', base: 'main', title: 'again' });
    expect(await status(dup)).toBe(422);
    expect(await errorBody(octokit.rest.pulls.create({ ...o, head: 'ci/bump-to-2.0.0', base: 'main', title: 'again' }))).toEqual({
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:ci/bump-to-2.0.0.' }],
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      status: '422',
    });
    expect(gh.pulls('acme/engine')).toHaveLength(1);
  });

  it('answers 422 for a head branch that does not exist, and for a PR with no commits', async () => {
    const missing = await errorBody(octokit.rest.pulls.create({ ...o, head: 'no-such-branch', base: 'main', title: 'x' }));
    expect(missing).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });
    const empty = await errorBody(octokit.rest.pulls.create({ ...o, head: 'main', base: 'main', title: 'x' }));
    expect(empty).toMatchObject({ errors: [{ code: 'custom', message: 'No commits between main and main' }] });
    expect(await status(octokit.rest.pulls.create({ owner: 'acme', repo: 'nope', head: 'a', base: 'main', title: 'x' }))).toBe(404);
  });

  it('lists with the head filter (owner:branch only, like GitHub), base and state, and paginates with Link', async () => {
    for (let i = 0; i < 5; i++) {
      await repo.commitAndPush(`feature-${i}`, { [`f${i}.txt`]: `${i}\n` }, `feature ${i}`, 'main');
      await octokit.rest.pulls.create({ ...o, head: `feature-${i}`, base: 'main', title: `Feature ${i}` });
    }
    const byHead = await octokit.rest.pulls.list({ ...o, head: 'acme:feature-3', state: 'open' });
    expect(byHead.data.map((p) => p.title)).toEqual(['Feature 3']);
    // A bare branch name is ignored by GitHub: every open PR comes back.
    const bare = await octokit.rest.pulls.list({ ...o, head: 'feature-3' });
    expect(bare.data).toHaveLength(6);
    expect((await octokit.rest.pulls.list({ ...o, head: 'someone-else:feature-3' })).data).toEqual([]);
    expect((await octokit.rest.pulls.list({ ...o, base: 'release-1.0.0' })).data).toEqual([]);

    const page1 = await octokit.rest.pulls.list({ ...o, per_page: 2, page: 1 });
    expect(page1.data.map((p) => p.number)).toEqual([6, 5]);
    expect(page1.headers.link).toContain('rel="next"');
    expect(page1.headers.link).toContain('page=3');
    const all = await octokit.paginate(octokit.rest.pulls.list, { ...o, per_page: 2 });
    expect(all.map((p) => p.number)).toEqual([6, 5, 4, 3, 2, 1]);
    const asc = await octokit.rest.pulls.list({ ...o, direction: 'asc', per_page: 100 });
    expect(asc.data.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('updates title and body, closes and reopens; reopening next to an open twin is a 422', async () => {
    const { data } = await octokit.rest.pulls.update({ ...o, pull_number: 2, title: 'Feature zero', body: 'New body' });
    expect(data).toMatchObject({ title: 'Feature zero', body: 'New body', state: 'open' });
    const closed = await octokit.rest.pulls.update({ ...o, pull_number: 2, state: 'closed' });
    expect(closed.data.state).toBe('closed');
    expect(closed.data.closed_at).not.toBeNull();
    expect((await octokit.rest.pulls.list({ ...o, head: 'acme:feature-0' })).data).toEqual([]);
    expect((await octokit.rest.pulls.list({ ...o, head: 'acme:feature-0', state: 'closed' })).data).toHaveLength(1);
    // A new PR for the same head is allowed while the old one is closed...
    const again = await octokit.rest.pulls.create({ ...o, head: 'feature-0', base: 'main', title: 'Feature 0 again' });
    // ...and then the old one cannot be reopened.
    expect(await status(octokit.rest.pulls.update({ ...o, pull_number: 2, state: 'open' }))).toBe(422);
    await octokit.rest.pulls.update({ ...o, pull_number: again.data.number, state: 'closed' });
    expect((await octokit.rest.pulls.update({ ...o, pull_number: 2, state: 'open' })).data.state).toBe('open');
    expect(await status(octokit.rest.pulls.get({ ...o, pull_number: 999 }))).toBe(404);
  });

  it('merges for real: a merge commit in the bare repo with GitHub’s message, then 405 on a second merge', async () => {
    const { data: before } = await octokit.rest.pulls.get({ ...o, pull_number: 1 });
    expect(before.mergeable).toBe(true);
    expect(before.mergeable_state).toBe('clean');
    expect(await status(octokit.rest.pulls.merge({ ...o, pull_number: 1, sha: '0'.repeat(40) }))).toBe(409);
    const mainBefore = (await repo.bareGit(['rev-parse', 'main'])).trim();
    const { data: merged } = await octokit.rest.pulls.merge({ ...o, pull_number: 1, sha: before.head.sha });
    expect(merged).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });
    expect((await repo.bareGit(['rev-parse', 'main'])).trim()).toBe(merged.sha);
    expect((await repo.bareGit(['rev-list', '--parents', '-n1', 'main'])).trim().split(' ')).toEqual([merged.sha, mainBefore, before.head.sha]);
    expect((await repo.bareGit(['log', '-1', '--format=%B', 'main'])).trim()).toBe('Merge pull request #1 from acme/ci/bump-to-2.0.0\n\nBump to 2.0.0');
    expect((await repo.bareGit(['log', '-1', '--format=%cn <%ce>', 'main'])).trim()).toBe('GitHub <noreply@github.com>');
    expect((await repo.bareGit(['show', 'main:VERSION'])).trim()).toBe('2.0.0');
    const { data: after } = await octokit.rest.pulls.get({ ...o, pull_number: 1 });
    expect(after).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: merged.sha, merged_by: { login: 'crate-train-bot' } });
    expect(await status(octokit.rest.pulls.checkIfMerged({ ...o, pull_number: 1 }))).toBe(204);
    expect(await status(octokit.rest.pulls.merge({ ...o, pull_number: 1 }))).toBe(405);
  });

  it('squashes and rebases for real', async () => {
    await repo.commitAndPush('squash-me', { 'a.txt': 'a\n' }, 'first', 'main');
    await repo.commitAndPush('squash-me', { 'b.txt': 'b\n' }, 'second');
    const sq = await octokit.rest.pulls.create({ ...o, head: 'squash-me', base: 'main', title: 'Squash me' });
    const { data: m1 } = await octokit.rest.pulls.merge({ ...o, pull_number: sq.data.number, merge_method: 'squash' });
    expect((await repo.bareGit(['log', '-1', '--format=%s%n%P', 'main'])).split('\n')[0]).toBe(`Squash me (#${sq.data.number})`);
    expect((await repo.bareGit(['rev-list', '--parents', '-n1', m1.sha])).trim().split(' ')).toHaveLength(2);
    expect((await repo.bareGit(['show', 'main:b.txt'])).trim()).toBe('b');

    await repo.commitAndPush('rebase-me', { 'c.txt': 'c\n' }, 'third', 'main');
    await repo.commitAndPush('rebase-me', { 'd.txt': 'd\n' }, 'fourth');
    const rb = await octokit.rest.pulls.create({ ...o, head: 'rebase-me', base: 'main', title: 'Rebase me' });
    const mainBefore = (await repo.bareGit(['rev-parse', 'main'])).trim();
    const { data: m2 } = await octokit.rest.pulls.merge({ ...o, pull_number: rb.data.number, merge_method: 'rebase' });
    expect((await repo.bareGit(['log', '--format=%s', `${mainBefore}..main`])).split('\n')).toEqual(['fourth', 'third']);
    expect((await repo.bareGit(['rev-parse', 'main'])).trim()).toBe(m2.sha);
  });

  it('refuses to merge a conflicting PR with 405 and reports it as not mergeable', async () => {
    await repo.commitAndPush('conflict-a', { 'same.txt': 'A\n' }, 'A', 'main');
    await repo.commitAndPush('conflict-b', { 'same.txt': 'B\n' }, 'B', 'main');
    const a = await octokit.rest.pulls.create({ ...o, head: 'conflict-a', base: 'main', title: 'A' });
    const b = await octokit.rest.pulls.create({ ...o, head: 'conflict-b', base: 'main', title: 'B' });
    await octokit.rest.pulls.merge({ ...o, pull_number: a.data.number });
    const { data } = await octokit.rest.pulls.get({ ...o, pull_number: b.data.number });
    expect(data.mergeable).toBe(false);
    expect(data.mergeable_state).toBe('dirty');
    expect(await status(octokit.rest.pulls.merge({ ...o, pull_number: b.data.number }))).toBe(405);
  });
});
