// The GitHub token goes only to the GitHub host: a loopback "foreign host" (a plain
// HTTP server that records every request's headers) stands in for a non-GitHub
// origin, and git's own URL matching decides what gets the header.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { git, tempDirs } from '@crate-train/testing';
import { Git, githubWebUrl } from './index';
import { GitError } from './errors';
import { authEnv, authScope } from './auth';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

const TOKEN = 'ghp_foreignHostMustNeverSeeThis0123456789';
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

interface ForeignHost {
  url: string;
  requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders }>;
  stop(): Promise<void>;
}

/** A plain HTTP server on 127.0.0.1 that records each request and answers 404 (no auth challenge, so nothing prompts). */
async function foreignHost(): Promise<ForeignHost> {
  const requests: ForeignHost['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Every header value the host received, as one string (to search for any form of the token). */
const allHeaders = (h: ForeignHost) => h.requests.map((r) => JSON.stringify(r.headers)).join('\n');

async function repoWithOrigin(originUrl: string): Promise<string> {
  const dir = tmp.make('git-auth-foreign');
  await git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), 'x\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'init');
  await git(dir, 'remote', 'add', 'origin', originUrl);
  return dir;
}

describe('the GitHub token reaches only the GitHub host', () => {
  let host: ForeignHost;
  beforeEach(async () => {
    host = await foreignHost();
  });
  afterEach(() => host.stop());

  it('ls-remote, fetch and push to a non-GitHub HTTP origin carry no Authorization header (auth configured for github.com)', async () => {
    const dir = await repoWithOrigin(`${host.url}/owner/repo.git`);
    const g = new Git(dir, { auth: { token: TOKEN } });
    await expect(g.remoteBranches('origin')).rejects.toThrow();
    await expect(g.fetch('origin')).rejects.toThrow();
    await expect(g.fetchObjects('origin', ['refs/heads/main'])).rejects.toThrow();
    await expect(g.push('origin', [{ src: 'HEAD', dst: 'refs/heads/release-5.0.0' }])).rejects.toThrow();
    // git did talk to the host, for upload-pack (ls-remote, fetch) and receive-pack (push)...
    expect(host.requests.some((r) => r.url.includes('service=git-upload-pack'))).toBe(true);
    expect(host.requests.some((r) => r.url.includes('service=git-receive-pack'))).toBe(true);
    // ...and sent it no credential in any form.
    expect(host.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    expect(allHeaders(host)).not.toContain(TOKEN);
    expect(allHeaders(host)).not.toContain(BASIC);
  });

  it('the same host does receive the header when the token is configured for it (the recorder sees a leak when there is one)', async () => {
    const dir = await repoWithOrigin(`${host.url}/owner/repo.git`);
    const g = new Git(dir, { auth: { token: TOKEN, url: `${host.url}/` } });
    await expect(g.remoteBranches('origin')).rejects.toThrow();
    expect(host.requests.length).toBeGreaterThan(0);
    expect(host.requests.every((r) => r.headers.authorization === `basic ${BASIC}`)).toBe(true);
  });

  it('an Enterprise token stays on its Enterprise host: github.com-scoped auth does not leak to it either', async () => {
    const dir = await repoWithOrigin(`${host.url}/owner/repo.git`);
    const g = new Git(dir, { auth: { token: TOKEN, url: githubWebUrl('https://ghe.example.com/api/v3') } });
    await expect(g.remoteBranches('origin')).rejects.toThrow();
    expect(host.requests.length).toBeGreaterThan(0);
    expect(allHeaders(host)).not.toContain(BASIC);
  });
});

describe('URL scoping, as git itself matches it', () => {
  /** The extraHeader git would use for `url` (git config --get-urlmatch), or '' for none. */
  async function headerFor(auth: { token: string; url?: string }, url: string): Promise<string> {
    const r = await run('git', ['config', '--get-urlmatch', 'http.extraHeader', url], { env: authEnv(auth), reject: false, cwd: tmp.make('git-urlmatch') });
    return r.stdout.trim();
  }

  it('matches github.com repositories and nothing that merely looks like them', async () => {
    const auth = { token: TOKEN };
    expect(authEnv(auth).GIT_CONFIG_KEY_0).toBe('http.https://github.com/.extraHeader');
    expect(await headerFor(auth, 'https://github.com/bytecodealliance/wasmtime.git')).toBe(`Authorization: basic ${BASIC}`);
    expect(await headerFor(auth, 'https://x-access-token@github.com/bytecodealliance/wasmtime')).toBe(`Authorization: basic ${BASIC}`);
    for (const other of [
      'http://github.com/bytecodealliance/wasmtime.git', // plain HTTP
      'https://github.com.evil.example/bytecodealliance/wasmtime.git',
      'https://evil.example/github.com/wasmtime.git',
      'https://gitlab.com/bytecodealliance/wasmtime.git',
      'https://github.com:8443/bytecodealliance/wasmtime.git',
      'http://127.0.0.1:8080/owner/repo.git',
    ]) {
      expect([other, await headerFor(auth, other)]).toEqual([other, '']);
    }
  });

  it('scopes an Enterprise host by its web URL, derived from the API base URL', async () => {
    const auth = { token: TOKEN, url: githubWebUrl('https://ghe.example.com/api/v3') };
    expect(auth.url).toBe('https://ghe.example.com/');
    expect(await headerFor(auth, 'https://ghe.example.com/org/repo.git')).toBe(`Authorization: basic ${BASIC}`);
    expect(await headerFor(auth, 'https://github.com/org/repo.git')).toBe('');
  });

  it('derives the web URL from the API base, else GITHUB_SERVER_URL, else github.com', () => {
    expect(githubWebUrl()).toBe('https://github.com/');
    expect(githubWebUrl('https://api.github.com')).toBe('https://github.com/');
    expect(githubWebUrl('https://api.github.com/')).toBe('https://github.com/');
    expect(githubWebUrl('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com/');
    expect(githubWebUrl('https://ghe.example.com:8443/api/v3/')).toBe('https://ghe.example.com:8443/');
    expect(githubWebUrl('https://api.octo.ghe.com')).toBe('https://octo.ghe.com/');
    expect(githubWebUrl(undefined, 'https://ghe.example.com')).toBe('https://ghe.example.com/');
    expect(githubWebUrl('not a url', 'https://ghe.example.com')).toBe('https://ghe.example.com/');
    expect(authScope({ token: 't', url: 'https://user:pw@ghe.example.com/sub?x=1#y' })).toBe('https://ghe.example.com/sub/');
  });

  it('refuses a scope that is not an http(s) URL, naming the field', async () => {
    expect(() => authEnv({ token: TOKEN, url: 'github.com' })).toThrow(GitError);
    expect(() => authEnv({ token: TOKEN, url: 'ssh://github.com/' })).toThrow(
      /GitAuth\.url must be the http\(s\) web URL of the GitHub host the token belongs to \(got "ssh:\/\/github\.com\/"\)/,
    );
  });
});
