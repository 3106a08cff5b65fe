import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from '@crate-train/github-stand-in';
import { createGitHub, GitHubError } from './index';
import { MissingGitHubTokenError } from './errors';

const GOOD = 'ghp_thegoodtoken0000000000000001';
const BAD = 'ghp_leakedifyouseethis00000000002';

describe('GitHub client errors', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  const printed: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    repo = await makeBareRepo();
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare }, token: GOOD });
  });
  beforeEach(() => {
    printed.length = 0;
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))));
    }
    spies.push(jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0));
  });
  afterEach(() => {
    while (spies.length) spies.pop()!.mockRestore();
  });
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
  });

  function expectNoToken(err: unknown, logged: string[], token: string): void {
    const e = err as Error & Record<string, unknown>;
    expect(e.message).not.toContain(token);
    expect(e.stack ?? '').not.toContain(token);
    expect(JSON.stringify(Object.entries(e))).not.toContain(token);
    expect(String(e.cause ?? '')).not.toContain(token);
    expect(logged.join('\n')).not.toContain(token);
    expect(printed.join('\n')).not.toContain(token);
  }

  it('a missing token names GITHUB_TOKEN and GH_TOKEN and points at --dry-run', async () => {
    const err = await createGitHub({ repository: 'acme/engine', env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingGitHubTokenError);
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as Error).message).toMatch(/No GitHub token for acme\/engine: set GITHUB_TOKEN \(or GH_TOKEN\).*--dry-run/);
  });

  it('a rejected token: typed 401 error that says what to check and never shows the token', async () => {
    const logged: string[] = [];
    const logger = { debug: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) };
    const github = await createGitHub({ repository: 'acme/engine', token: BAD, baseUrl: gh.url, logger });
    const err = await github.ensurePullRequest({ head: 'x', base: 'main', title: 't', body: 'b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).status).toBe(401);
    expect((err as Error).message).toMatch(
      /^GitHub API: listing pull requests of acme\/engine failed with 401: Bad credentials \(GET .*\/repos\/acme\/engine\/pulls.*\) — the token was rejected: check GITHUB_TOKEN \/ GH_TOKEN$/,
    );
    expectNoToken(err, logged, BAD);
  });

  it('a token from the environment stays out of errors and logs when the server is gone', async () => {
    const down = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare } });
    const url = down.url;
    await down.stop();
    const logged: string[] = [];
    const github = await createGitHub({
      repository: 'acme/engine',
      env: { GITHUB_TOKEN: GOOD },
      baseUrl: url,
      logger: { debug: (m) => logged.push(m), warn: (m) => logged.push(m) },
    });
    const err = await github.createTag('v1.0.0', 'a'.repeat(40)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).status).toBeUndefined();
    expect((err as Error).message).toMatch(/^GitHub API: reading ref tags\/v1.0.0 of acme\/engine failed: /);
    expect((err as Error).message).toMatch(/fetch failed|ECONNREFUSED/);
    expectNoToken(err, logged, GOOD);
  });

  it('successful calls log one line each, token-free', async () => {
    const logged: string[] = [];
    const github = await createGitHub({ repository: 'acme/engine', token: GOOD, baseUrl: gh.url, logger: { debug: (m) => logged.push(m) } });
    await github.getRepository();
    expect(logged).toEqual([expect.stringMatching(/^GET \/repos\/acme\/engine - 200 with id /)]);
    expectNoToken(new Error('none'), logged, GOOD);
  });

  it('a 404 is a GitHubError with status and GitHub’s message', async () => {
    const github = await createGitHub({ repository: 'acme/missing', token: GOOD, baseUrl: gh.url });
    const err = await github.getRepository().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'GitHubError', status: 404, githubMessage: 'Not Found' });
    expect((err as GitHubError).requestId).toMatch(/^[0-9A-F]{4}:/);
  });
});
