import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from '@crate-train/github-stand-in';
import { createGitHub, GitHubAccessError } from './index';

const GOOD = 'ghp_accessspecgoodtoken00000001';
const READ_ONLY = 'ghp_accessspecreadonly000000002';
const CLASSIC = 'ghp_accessspecclassicnorepo0003';
const PUBLIC_REPO = 'ghp_accessspecclassicpublic0004';
// An installation token without the ghs_ prefix (older GitHub Enterprise): told apart by GET /installation/repositories.
const INSTALLATION = 'v1.0a1b2c3d4e5f60718293a4b5c6d7e8f9012345';
const WRONG = 'ghp_accessspecwrongtoken0000006';
const ACTIONS = 'ghs_accessspecactionstoken000007';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<GitHubAccessError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(GitHubAccessError);
  return e as GitHubAccessError;
}

describe('checkAccess: token, repository and push permission, with reads only', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let other: http.Server;
  let otherUrl: string;

  beforeAll(async () => {
    repo = await makeBareRepo();
    gh = await startGitHubStandIn({
      repos: { 'acme/engine': repo.bare },
      token: GOOD,
      tokens: {
        [READ_ONLY]: { permissions: { admin: false, maintain: false, push: false, triage: true } },
        [CLASSIC]: { scopes: ['read:org', 'gist'] },
        [PUBLIC_REPO]: { scopes: ['public_repo'] },
        [INSTALLATION]: { permissions: null, installation: true },
        // Like GitHub Actions' GITHUB_TOKEN where /installation/repositories is not answered: the ghs_ prefix says what it is.
        [ACTIONS]: { permissions: null },
      },
    });
    // Not GitHub: a web server that answers every path with a page.
    other = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await gh.stop();
    await new Promise<void>((r) => other.close(() => r()));
    repo.cleanup();
  });

  const client = (token: string, o: { repository?: string; baseUrl?: string } = {}) =>
    createGitHub({ repository: o.repository ?? 'acme/engine', token, baseUrl: o.baseUrl ?? gh.url });
  const opts = { tokenSource: 'GITHUB_TOKEN', fixRepository: 'check github.repository in nx.json', fixBaseUrl: 'check github.baseUrl in nx.json' };

  it('passes a token that can push, and reports how it knows', async () => {
    const r = await (await client(GOOD)).checkAccess(opts);
    expect(r).toMatchObject({ push: 'permissions', repository: { fullName: 'acme/engine', defaultBranch: 'main', permissions: { push: true } } });
    expect(r.renamedTo).toBeUndefined();
    // A classic token with public_repo may push to a public repository.
    expect((await (await client(PUBLIC_REPO)).checkAccess(opts)).scopes).toEqual(['public_repo']);
    // An App installation token: GitHub reports no permissions; it is let through.
    expect((await (await client(INSTALLATION)).checkAccess(opts)).push).toBe('installation');
    expect((await (await client(ACTIONS)).checkAccess(opts)).push).toBe('installation');
  });

  it('names the cause and the fix of each failure, never the token, and writes nothing', async () => {
    const before = gh.state.requests.length;
    const bad = await rejection((await client(WRONG)).checkAccess(opts));
    expect(bad).toMatchObject({ problem: 'token', status: 401 });
    expect(bad.message).toBe(
      `GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials) at ${gh.url}: set GITHUB_TOKEN to a valid token for acme/engine (this one is wrong, expired or revoked)`,
    );

    const missing = await rejection((await client(GOOD, { repository: 'acme/engien' })).checkAccess(opts));
    expect(missing).toMatchObject({ problem: 'repository', status: 404 });
    expect(missing.message).toMatch(
      new RegExp(
        `^repository acme/engien not found on ${gh.url} \\(404\\): check github\\.repository in nx\\.json \\(GitHub also answers 404 for a private repository`,
      ),
    );

    const ro = await rejection((await client(READ_ONLY)).checkAccess(opts));
    expect(ro.problem).toBe('permission');
    expect(ro.message).toMatch(
      /^the token in GITHUB_TOKEN can read acme\/engine but cannot push to it \(its permissions there: triage, pull\): set GITHUB_TOKEN to a token with write access to acme\/engine/,
    );

    const classic = await rejection((await client(CLASSIC)).checkAccess(opts));
    expect(classic.problem).toBe('scope');
    expect(classic.message).toMatch(
      /^the token in GITHUB_TOKEN is a classic token without the "repo" \(or "public_repo"\) scope \(its scopes: read:org, gist\), so it cannot push to acme\/engine: set GITHUB_TOKEN to a token with write access/,
    );

    const port = await closedPort();
    const down = await rejection((await client(GOOD, { baseUrl: `http://127.0.0.1:${port}` })).checkAccess(opts));
    expect(down.problem).toBe('unreachable');
    expect(down.message).toMatch(new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\): check github\\.baseUrl in nx\\.json$`));

    const web = await rejection((await client(GOOD, { baseUrl: otherUrl })).checkAccess(opts));
    expect(web.problem).toBe('not-github');
    expect(web.message).toBe(`${otherUrl} answered, but not like GitHub's REST API (no repository JSON for acme/engine): check github.baseUrl in nx.json`);

    for (const e of [bad, missing, ro, classic, down, web]) {
      for (const t of [GOOD, READ_ONLY, CLASSIC, WRONG]) expect(`${e.message}\n${e.stack}\n${JSON.stringify(e)}`).not.toContain(t);
    }
    const made = gh.state.requests.slice(before);
    expect(made.every((r) => r.method === 'GET')).toBe(true);
  });

  it('gives up on a host that accepts the connection and never answers', async () => {
    const silent = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const e = await rejection((await client(GOOD, { baseUrl: url })).checkAccess({ ...opts, timeoutMs: 300 }));
      expect(e.problem).toBe('unreachable');
      expect(e.message).toBe(`cannot reach ${url} (no answer within 0.3 s): check github.baseUrl in nx.json`);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
