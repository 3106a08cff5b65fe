import { run } from '@crate-train/proc';
import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from '@crate-train/github-stand-in';
import { createGitHub, GitHubError, type GitHub } from './index';
import { TagConflictError } from './errors';

const TOKEN = 'ghp_clienttesttoken000000001';

describe('createGitHub against the stand-in (real @octokit/rest, real git)', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let github: GitHub;
  let main: string;

  beforeAll(async () => {
    repo = await makeBareRepo();
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare }, token: TOKEN });
    github = await createGitHub({ repository: 'acme/engine', token: TOKEN, baseUrl: gh.url });
    main = (await repo.bareGit(['rev-parse', 'main'])).trim();
  });
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
  });

  it('reads the repository, through a GitHub Enterprise style base URL too', async () => {
    expect(await github.getRepository()).toMatchObject({ fullName: 'acme/engine', defaultBranch: 'main', private: false, cloneUrl: repo.bare });
    const ghe = await createGitHub({ repository: 'acme/engine', baseUrl: `${gh.enterpriseUrl}/`, env: { GH_TOKEN: TOKEN } });
    expect(ghe.baseUrl).toBe(gh.enterpriseUrl);
    expect((await ghe.getRepository()).defaultBranch).toBe('main');
  });

  describe('ensurePullRequest', () => {
    const input = { head: 'ci/bump-to-2.0.0', base: 'main', title: 'Bump Wasmtime to 2.0.0', body: 'The major bump.' };

    it('creates, then leaves alone, then updates the one open PR of the head branch', async () => {
      await repo.commitAndPush(input.head, { VERSION: '2.0.0\n' }, 'Bump Wasmtime to 2.0.0', 'main');
      const first = await github.ensurePullRequest(input);
      expect(first).toEqual({ number: 1, url: `${gh.url}/acme/engine/pull/1`, action: 'created' });
      expect(await github.ensurePullRequest(input)).toEqual({ ...first, action: 'unchanged' });
      const updated = await github.ensurePullRequest({ ...input, body: 'The major bump, rebased.' });
      expect(updated).toEqual({ ...first, action: 'updated' });
      expect(gh.pulls('acme/engine')).toHaveLength(1);
      expect(gh.pulls('acme/engine')[0]).toMatchObject({ title: input.title, body: 'The major bump, rebased.', state: 'open' });
    });

    it('three concurrent runs make exactly one PR', async () => {
      await repo.commitAndPush('ci/release-date-for-1.0.0', { DATE: '2025-01-20\n' }, 'date', 'main');
      const race = { head: 'ci/release-date-for-1.0.0', base: 'main', title: 'Date', body: 'b' };
      const results = await Promise.all([github.ensurePullRequest(race), github.ensurePullRequest(race), github.ensurePullRequest(race)]);
      expect(results.map((r) => r.action).sort()).toEqual(['created', 'unchanged', 'unchanged']);
      expect(new Set(results.map((r) => r.number)).size).toBe(1);
      expect(gh.pulls('acme/engine').filter((p) => p.head === race.head)).toHaveLength(1);
    });

    it('adopts the PR another run created between its list and its create (GitHub’s 422 path, forced)', async () => {
      await repo.commitAndPush('ci/release-1.0.0', { MARK: 'x\n' }, 'Release 1.0.0', 'main');
      const pr = { head: 'ci/release-1.0.0', base: 'main', title: 'Release 1.0.0', body: 'marker' };
      const other = await createGitHub({ repository: 'acme/engine', token: TOKEN, baseUrl: gh.url });
      let interposed = false;
      github.octokit.hook.before('request', async (options) => {
        if (!interposed && options.method === 'POST' && String(options.url).endsWith('/pulls')) {
          interposed = true;
          await other.octokit.rest.pulls.create({ owner: 'acme', repo: 'engine', ...pr, title: 'Created by the other run' });
        }
      });
      const before422 = gh.state.requests.filter((r) => r.method === 'POST' && r.status === 422).length;
      const result = await github.ensurePullRequest(pr);
      expect(interposed).toBe(true);
      expect(gh.state.requests.filter((r) => r.method === 'POST' && r.status === 422).length).toBe(before422 + 1);
      expect(result.action).toBe('updated');
      const mine = gh.pulls('acme/engine').filter((p) => p.head === pr.head);
      expect(mine).toHaveLength(1);
      expect(mine[0].title).toBe('Release 1.0.0');
    });

    it('opens a new PR when the earlier one of that branch was closed, and lists by head', async () => {
      const [open] = await github.listPullRequests({ head: input.head });
      await github.octokit.rest.pulls.update({ owner: 'acme', repo: 'engine', pull_number: open.number, state: 'closed' });
      const again = await github.ensurePullRequest(input);
      expect(again.action).toBe('created');
      expect(again.number).not.toBe(open.number);
      expect((await github.listPullRequests({ head: input.head, state: 'all' })).map((p) => p.number).sort()).toEqual([open.number, again.number].sort());
    });

    it('says to push the branch first when the head branch is missing', async () => {
      const err = await github.ensurePullRequest({ ...input, head: 'ci/never-pushed' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitHubError);
      expect((err as GitHubError).status).toBe(422);
      expect((err as Error).message).toMatch(/head branch ci\/never-pushed does not exist in acme\/engine: push it first/);
    });

    it('merges a PR for real', async () => {
      const [pr] = await github.listPullRequests({ head: input.head });
      const merged = await github.mergePullRequest(pr.number, { sha: pr.head.sha });
      expect(merged.merged).toBe(true);
      expect((await repo.bareGit(['rev-parse', 'main'])).trim()).toBe(merged.sha);
      expect((await github.getPullRequest(pr.number)).merged).toBe(true);
      main = merged.sha;
    });
  });

  describe('tags, refs, branches, releases', () => {
    it('creates a tag once, reports it as existing at the same sha, and refuses another sha', async () => {
      expect(await github.createTag('v2.0.0', main)).toEqual({ action: 'created', tag: 'v2.0.0', sha: main });
      expect((await repo.bareGit(['rev-parse', 'refs/tags/v2.0.0'])).trim()).toBe(main);
      expect((await github.createTag('v2.0.0', main)).action).toBe('exists');
      const parent = (await repo.bareGit(['rev-parse', 'main^'])).trim();
      const err = await github.createTag('v2.0.0', parent).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TagConflictError);
      expect(err).toMatchObject({ tag: 'v2.0.0', existingSha: main, wantedSha: parent });
      expect((err as Error).message).toMatch(/already exists in acme\/engine at [0-9a-f]{40}, not at [0-9a-f]{40}; refusing/);
      expect((await repo.bareGit(['rev-parse', 'refs/tags/v2.0.0'])).trim()).toBe(main);
      await expect(github.createTag('v2.0.1', 'abc123')).rejects.toThrow(/not a full commit sha/);
    });

    it('sees through annotated tags', async () => {
      await repo.git(['fetch', '--quiet', 'origin']);
      await repo.git(['tag', '-a', '-m', 'annotated', 'v1.9.0', main]);
      await repo.git(['push', '--quiet', 'origin', 'v1.9.0']);
      expect((await github.getRef('tags/v1.9.0'))?.type).toBe('tag');
      expect(await github.resolveTag('v1.9.0')).toBe(main);
      expect((await github.createTag('v1.9.0', main)).action).toBe('exists');
      expect(await github.getRef('refs/tags/v0.0.0-missing')).toBeUndefined();
    });

    it('lists branches by prefix', async () => {
      for (const v of ['1.0.0', '2.0.0', '10.0.0']) await repo.git(['push', '--quiet', 'origin', `${main}:refs/heads/release-${v}`]);
      const branches = await github.listBranches('release-');
      expect(branches.map((b) => b.name)).toEqual(['release-1.0.0', 'release-10.0.0', 'release-2.0.0']);
      expect(branches.every((b) => b.sha === main)).toBe(true);
      expect((await github.listBranches()).map((b) => b.name)).toContain('main');
      expect(await github.listBranches('nothing-')).toEqual([]);
    });

    it('creates a release once', async () => {
      const first = await github.createRelease({ tag: 'v2.0.0', body: 'notes' });
      expect(first.action).toBe('created');
      expect(await github.createRelease({ tag: 'v2.0.0', body: 'notes' })).toEqual({ ...first, action: 'exists' });
      expect(gh.releases('acme/engine')).toHaveLength(1);
    });
  });

  describe('security advisories', () => {
    const input = {
      summary: 'Miscompile in the engine',
      description: 'Impact, patches, workarounds.',
      severity: 'high' as const,
      crates: [{ crate: 'engine-core', vulnerableVersionRange: '>= 1.0.0, < 1.0.1', patchedVersions: '1.0.1' }],
    };

    it('creates one draft advisory per summary and its private fork, where git pushes land', async () => {
      const adv = await github.createSecurityAdvisory(input);
      expect(adv).toMatchObject({ state: 'draft', summary: input.summary, severity: 'high', action: 'created', privateFork: null });
      expect(adv.ghsaId).toMatch(/^GHSA-/);
      expect(gh.advisories('acme/engine')[0].vulnerabilities).toEqual([
        {
          package: { ecosystem: 'rust', name: 'engine-core' },
          vulnerable_version_range: '>= 1.0.0, < 1.0.1',
          patched_versions: '1.0.1',
          vulnerable_functions: null,
        },
      ]);
      expect(await github.createSecurityAdvisory(input)).toMatchObject({ ghsaId: adv.ghsaId, action: 'exists' });
      expect(gh.advisories('acme/engine')).toHaveLength(1);

      const fork = await github.createAdvisoryFork(adv.ghsaId);
      expect(fork).toMatchObject({ fullName: `acme/engine-${adv.ghsaId.toLowerCase()}`, private: true, defaultBranch: 'main' });
      expect((await github.createAdvisoryFork(adv.ghsaId)).fullName).toBe(fork.fullName);
      await repo.git(['push', '--quiet', fork.cloneUrl, `${main}:refs/heads/fix-release-1.0.0`]);
      const pushed = await run('git', ['-C', fork.cloneUrl, 'rev-parse', 'fix-release-1.0.0']);
      expect(pushed.stdout.trim()).toBe(main);
      expect((await github.getSecurityAdvisory(adv.ghsaId)).privateFork).toBe(fork.fullName);
    });
  });
});
