import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from './index';
import { quietLog, failure } from './testing/spec-helpers';

const TOKEN = 'ghp_onlythisoneisvalid42';

describe('github stand-in: authentication, error bodies and headers', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let Octokit: typeof import('@octokit/rest').Octokit;

  beforeAll(async () => {
    repo = await makeBareRepo();
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare }, token: TOKEN });
    ({ Octokit } = await import('@octokit/rest'));
  });
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
  });

  it('answers 401 "Requires authentication" without a token and "Bad credentials" with a wrong one', async () => {
    const anon = new Octokit({ baseUrl: gh.url, log: quietLog });
    expect(await failure(anon.rest.repos.get({ owner: 'acme', repo: 'engine' }))).toEqual({
      status: 401,
      data: { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' },
    });
    const wrong = new Octokit({ auth: 'ghp_wrong', baseUrl: gh.url, log: quietLog });
    expect(await failure(wrong.rest.pulls.list({ owner: 'acme', repo: 'engine' }))).toMatchObject({
      status: 401,
      data: { message: 'Bad credentials' },
    });
    const right = new Octokit({ auth: TOKEN, baseUrl: gh.url, log: quietLog });
    expect((await right.rest.repos.get({ owner: 'acme', repo: 'engine' })).status).toBe(200);
    // The request log never holds a token.
    expect(JSON.stringify(gh.state.requests)).not.toContain(TOKEN);
    expect(gh.state.requests.slice(-3).map((r) => r.status)).toEqual([401, 401, 200]);
  });

  it('grants per token: a read-only token (permissions, 403 on writes), a classic token (X-OAuth-Scopes), an installation token (no permissions key)', async () => {
    const grants = await startGitHubStandIn({
      repos: { 'acme/engine': repo.bare },
      token: TOKEN,
      tokens: {
        ghp_readonly: { permissions: { admin: false, maintain: false, push: false, triage: false } },
        ghp_classic: { scopes: ['read:org', 'gist'] },
        ghs_installation: { permissions: null, installation: true },
      },
    });
    try {
      const as = (auth: string) => new Octokit({ auth, baseUrl: grants.url, log: quietLog });
      const full = await as(TOKEN).rest.repos.get({ owner: 'acme', repo: 'engine' });
      expect(full.data.permissions).toEqual({ admin: true, maintain: true, push: true, triage: true, pull: true });
      expect(full.headers['x-oauth-scopes']).toBeUndefined();

      const ro = as('ghp_readonly');
      expect((await ro.rest.repos.get({ owner: 'acme', repo: 'engine' })).data.permissions).toEqual({
        admin: false,
        maintain: false,
        push: false,
        triage: false,
        pull: true,
      });
      const main = (await repo.bareGit(['rev-parse', 'main'])).trim();
      expect(await failure(ro.rest.git.createRef({ owner: 'acme', repo: 'engine', ref: 'refs/tags/ro', sha: main }))).toMatchObject({
        status: 403,
        data: { message: 'Must have push access to this repository.' },
      });
      expect(await failure(ro.rest.pulls.create({ owner: 'acme', repo: 'engine', head: 'main', base: 'main', title: 'x' }))).toMatchObject({ status: 403 });
      expect(await repo.bareGit(['tag', '--list'])).toBe('');

      const classic = await as('ghp_classic').rest.repos.get({ owner: 'acme', repo: 'engine' });
      expect(classic.headers['x-oauth-scopes']).toBe('read:org, gist');

      const inst = as('ghs_installation');
      expect((await inst.rest.repos.get({ owner: 'acme', repo: 'engine' })).data).not.toHaveProperty('permissions');
      const listed = await inst.request('GET /installation/repositories', { per_page: 1 });
      expect(listed.data).toMatchObject({ total_count: 1, repositories: [{ full_name: 'acme/engine' }] });
      expect(await failure(as(TOKEN).request('GET /installation/repositories'))).toMatchObject({
        status: 403,
        data: { message: expect.stringContaining('installation access token') },
      });
      // Tokens outside `token` and `tokens` are refused.
      expect(await failure(as('ghp_other').rest.repos.get({ owner: 'acme', repo: 'engine' }))).toMatchObject({ status: 401 });
    } finally {
      await grants.stop();
    }
  });

  it('fails the next matching requests on demand (fault injection), then serves again', async () => {
    const octokit = new Octokit({ auth: TOKEN, baseUrl: gh.url, log: quietLog });
    gh.failNext({ method: 'get', path: /^\/repos\/acme\/engine$/ }, { status: 502, message: 'Bad Gateway' }, 2);
    for (let i = 0; i < 2; i++) {
      expect(await failure(octokit.rest.repos.get({ owner: 'acme', repo: 'engine' }))).toMatchObject({ status: 502, data: { message: 'Bad Gateway' } });
    }
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'engine' })).status).toBe(200);
    expect(gh.state.requests.slice(-3).map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('can run without requiring a token', async () => {
    const open = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare }, requireToken: false });
    try {
      const anon = new Octokit({ baseUrl: open.url, log: quietLog });
      expect((await anon.rest.repos.get({ owner: 'acme', repo: 'engine' })).data.full_name).toBe('acme/engine');
    } finally {
      await open.stop();
    }
  });

  it('sends GitHub’s headers and a JSON 404 for unknown repos and paths, 400 for broken JSON', async () => {
    const octokit = new Octokit({ auth: TOKEN, baseUrl: gh.url, log: quietLog });
    type Failure = { status: number; response: { headers: Record<string, string>; data: unknown } };
    const err = (await octokit.rest.repos.get({ owner: 'acme', repo: 'missing' }).then(
      () => ({ status: 200, response: { headers: {}, data: undefined } }),
      (e: Failure) => e,
    )) as Failure;
    expect(err.status).toBe(404);
    expect(err.response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(err.response.headers['x-github-request-id']).toMatch(/^[0-9A-F]{4}:/);
    expect(Number(err.response.headers['x-ratelimit-remaining'])).toBeLessThan(5000);
    expect(err.response.data).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository',
      status: '404',
    });
    expect((await failure(octokit.request('GET /no/such/endpoint'))).status).toBe(404);
    // A string `data` is sent as the raw body.
    const bad = await failure(octokit.request('POST /repos/{owner}/{repo}/pulls', { owner: 'acme', repo: 'engine', data: '{not json' } as never));
    expect(bad).toMatchObject({ status: 400, data: { message: 'Problems parsing JSON' } });
  });

  it('serves the same API under GitHub Enterprise’s /api/v3 prefix', async () => {
    const ghe = new Octokit({ auth: TOKEN, baseUrl: gh.enterpriseUrl, log: quietLog });
    const { data } = await ghe.rest.repos.get({ owner: 'acme', repo: 'engine' });
    expect(data.default_branch).toBe('main');
  });
});
