import * as net from 'node:net';
import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from '@crate-train/github-stand-in';
import { createGitHub, GitHubError, type GitHub } from './index';
import { describeRequest, isLoopback } from './limits';

const TOKEN = 'ghp_limitstesttoken0000000000001';

// Real @octokit/rest with the retry and throttling plugins against the stand-in,
// which answers like GitHub over its limits. Waits are GitHub's own (retry-after: 1,
// a reset one second away, a 1 s pause after a 502): short, and really waited.
describe('GitHub client under GitHub’s limits (rate limits, server errors)', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let github: GitHub;
  let main: string;
  const printed: string[] = [];

  beforeAll(async () => {
    repo = await makeBareRepo();
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare }, token: TOKEN });
    github = await createGitHub({
      repository: 'acme/engine',
      token: TOKEN,
      baseUrl: gh.url,
      logger: { warn: (m) => void printed.push(m), debug: () => {} },
    });
    main = (await repo.bareGit(['rev-parse', 'main'])).trim();
  });
  beforeEach(() => void (printed.length = 0));
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
  });

  const statuses = (from: number, method: string, path: RegExp) =>
    gh.state.requests
      .slice(from)
      .filter((r) => r.method === method && path.test(r.path))
      .map((r) => r.status);

  it('a pull request: a secondary rate limit (403, retry-after) is waited out and printed, and the PR is opened once', async () => {
    await repo.commitAndPush('ci/bump-to-2.0.0', { VERSION: '2.0.0\n' }, 'Bump Wasmtime to 2.0.0', 'main');
    gh.rateLimitNext({ method: 'POST', path: '/repos/acme/engine/pulls' }, { kind: 'secondary', retryAfter: 1 }, 2);
    const from = gh.state.requests.length;
    const pr = await github.ensurePullRequest({ head: 'ci/bump-to-2.0.0', base: 'main', title: 'Bump Wasmtime to 2.0.0', body: 'b' });
    expect(pr.action).toBe('created');
    expect(statuses(from, 'POST', /\/pulls$/)).toEqual([403, 403, 201]);
    expect(gh.pulls('acme/engine')).toHaveLength(1);
    expect(printed).toEqual([
      expect.stringMatching(
        /^GitHub: GitHub's secondary rate limit \(too many requests in a short time\) on POST \/repos\/acme\/engine\/pulls; waiting 1 s \(until \d\d:\d\d:\d\d UTC\), then retrying \(retry 1 of 3\)$/,
      ),
      expect.stringMatching(/secondary rate limit .* on POST \/repos\/acme\/engine\/pulls; waiting 1 s .*\(retry 2 of 3\)$/),
    ]);
  });

  it('a tag: the primary rate limit (429, x-ratelimit-remaining: 0, x-ratelimit-reset) is waited out until the reset', async () => {
    gh.rateLimitNext({ method: 'POST', path: '/repos/acme/engine/git/refs' }, { kind: 'primary', retryAfter: 1 });
    const from = gh.state.requests.length;
    expect(await github.createTag('v1.0.0', main)).toEqual({ action: 'created', tag: 'v1.0.0', sha: main });
    expect(statuses(from, 'POST', /\/git\/refs$/)).toEqual([429, 201]);
    expect((await repo.bareGit(['rev-parse', 'v1.0.0'])).trim()).toBe(main);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(
      /^GitHub: GitHub's rate limit \(the token's hourly request quota is used up\) on POST \/repos\/acme\/engine\/git\/refs; waiting [1-3] s \(until \d\d:\d\d:\d\d UTC\), then retrying \(retry 1 of 3\)$/,
    );
  });

  it('a read: a 502 is retried after a pause, printed with the request', async () => {
    gh.failNext({ method: 'GET', path: '/repos/acme/engine' }, { status: 502, message: 'Bad Gateway' });
    const from = gh.state.requests.length;
    expect((await github.getRepository()).fullName).toBe('acme/engine');
    expect(statuses(from, 'GET', /^\/repos\/acme\/engine$/)).toEqual([502, 200]);
    expect(printed).toEqual(['GitHub: GitHub answered 502 on GET /repos/acme/engine; retrying in 1 s (retry 1 of 3)']);
  });

  it('a limit that lifts later than maxWaitSeconds fails at once, saying when to run again; nothing is done', async () => {
    const impatient = await createGitHub({
      repository: 'acme/engine',
      token: TOKEN,
      baseUrl: gh.url,
      logger: { warn: (m) => void printed.push(m) },
      limits: { maxWaitSeconds: 5 },
    });
    gh.rateLimitNext({ method: 'POST' }, { kind: 'primary', retryAfter: 600 });
    const from = gh.state.requests.length;
    const err = await impatient.createTag('v1.0.1', main).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).status).toBe(429);
    expect((err as Error).message).toMatch(/failed with 429: API rate limit exceeded .* run again later/);
    expect(statuses(from, 'POST', /./)).toEqual([429]);
    expect(printed).toEqual([expect.stringMatching(/it lifts at \d\d:\d\d:\d\d UTC, in 60\d s, longer than the 5 s crate-train waits: run again after/)]);
    expect(await repo.bareGit(['tag', '--list', 'v1.0.1'])).toBe('');
  });

  it('stops waiting after `retries` and reports GitHub’s answer', async () => {
    const once = await createGitHub({
      repository: 'acme/engine',
      token: TOKEN,
      baseUrl: gh.url,
      logger: { warn: (m) => void printed.push(m) },
      limits: { retries: 1 },
    });
    gh.rateLimitNext({ method: 'GET', path: '/repos/acme/engine' }, { kind: 'secondary', retryAfter: 1 }, 2);
    const err = await once.getRepository().catch((e: unknown) => e);
    expect((err as GitHubError).status).toBe(403);
    expect((err as Error).message).toContain('You have exceeded a secondary rate limit');
    expect(printed).toEqual([expect.stringContaining('(retry 1 of 1)'), expect.stringContaining('not waiting again after 1 retry')]);
  });

  it('does not retry a connection that was refused (a wrong baseUrl fails at once)', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const nowhere = await createGitHub({
      repository: 'acme/engine',
      token: TOKEN,
      baseUrl: `http://127.0.0.1:${port}`,
      logger: { warn: (m) => void printed.push(m) },
    });
    const err = await nowhere.getRepository().catch((e: unknown) => e);
    expect((err as GitHubError).network).toMatch(/ECONNREFUSED/);
    expect(printed).toEqual([]);
  });

  it('never prints the token', () => {
    expect(JSON.stringify(gh.state.requests)).not.toContain(TOKEN);
  });
});

describe('limits helpers', () => {
  it('describeRequest fills the route parameters and drops the query template', () => {
    expect(describeRequest({ method: 'post', url: '/repos/{owner}/{repo}/pulls', owner: 'acme', repo: 'engine' }, 'https://api.github.com')).toBe(
      'POST /repos/acme/engine/pulls',
    );
    expect(
      describeRequest({ method: 'POST', url: 'http://127.0.0.1:9/uploads/repos/a/b/releases/1/assets{?name,label}', name: 'x.tar.gz' }, 'http://127.0.0.1:9'),
    ).toBe('POST /uploads/repos/a/b/releases/1/assets');
  });

  it('isLoopback: only this machine is unpaced', () => {
    expect(['http://127.0.0.1:4000', 'http://localhost:1', 'http://[::1]:8080/api/v3'].map(isLoopback)).toEqual([true, true, true]);
    expect(['https://api.github.com', 'https://ghe.example.com/api/v3', 'not a url'].map(isLoopback)).toEqual([false, false, false]);
  });
});
