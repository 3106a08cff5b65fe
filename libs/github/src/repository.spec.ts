import { apiBaseUrlForHost, githubHosts, githubRepositoryOfRemote, parseGitHubRepository, resolveGitHubRepository } from './repository';
import { githubRepositoryFor, githubTokenFromEnv, ownerRepo, GitHubError } from './index';

describe('parseGitHubRepository', () => {
  it.each([
    ['https://github.com/bytecodealliance/wasmtime.git', 'github.com'],
    ['https://github.com/bytecodealliance/wasmtime', 'github.com'],
    ['https://github.com/bytecodealliance/wasmtime/', 'github.com'],
    ['https://x-access-token:ghs_abc@github.com/bytecodealliance/wasmtime.git', 'github.com'],
    ['git@github.com:bytecodealliance/wasmtime.git', 'github.com'],
    ['git@github.com:bytecodealliance/wasmtime', 'github.com'],
    ['ssh://git@github.com/bytecodealliance/wasmtime.git', 'github.com'],
    ['ssh://git@ghe.example.com:2222/bytecodealliance/wasmtime.git', 'ghe.example.com'],
    ['git://github.com/bytecodealliance/wasmtime.git', 'github.com'],
    ['https://ghe.example.com/bytecodealliance/wasmtime.git', 'ghe.example.com'],
    ['bytecodealliance/wasmtime', undefined],
  ])('reads %s', (url, host) => {
    expect(parseGitHubRepository(url)).toEqual({ owner: 'bytecodealliance', repo: 'wasmtime', fullName: 'bytecodealliance/wasmtime', host });
  });

  it('keeps dots and dashes in names', () => {
    expect(parseGitHubRepository('git@github.com:my-org/my.repo-rs.git').fullName).toBe('my-org/my.repo-rs');
  });

  it.each(['', 'wasmtime', '/srv/git/origin.git', 'https://github.com/onlyowner', 'git@github.com:', 'a b/c'])(
    'refuses %j with a message saying what to set',
    (url) => {
      expect(() => parseGitHubRepository(url)).toThrow(GitHubError);
      expect(() => parseGitHubRepository(url)).toThrow(/Set the repository option \(owner\/name\)/);
    },
  );

  it('never repeats credentials from a URL it cannot read', () => {
    const secret = 'ghp_secretinremoteurl99';
    const err = (() => {
      try {
        parseGitHubRepository(`https://user:${secret}@github.com/onlyowner`);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toContain('***@github.com');
    expect(err?.message).not.toContain(secret);
  });

  it('prefers the repository option over the remote URL', () => {
    expect(resolveGitHubRepository({ repository: 'a/b', remoteUrl: 'git@github.com:c/d.git' }).fullName).toBe('a/b');
    expect(resolveGitHubRepository({ remoteUrl: 'git@github.com:c/d.git' }).fullName).toBe('c/d');
    expect(() => resolveGitHubRepository({})).toThrow(/set the repository option/);
  });
});

describe('githubTokenFromEnv', () => {
  it('takes GITHUB_TOKEN, then GH_TOKEN, ignoring blank values', () => {
    expect(githubTokenFromEnv({ GITHUB_TOKEN: 'a', GH_TOKEN: 'b' })).toBe('a');
    expect(githubTokenFromEnv({ GITHUB_TOKEN: '  ', GH_TOKEN: 'b' })).toBe('b');
    expect(githubTokenFromEnv({ GH_TOKEN: 'b' })).toBe('b');
    expect(githubTokenFromEnv({})).toBeUndefined();
  });
});

describe('apiBaseUrlForHost', () => {
  it('maps github.com to api.github.com and other hosts to GitHub Enterprise’s /api/v3', () => {
    expect(apiBaseUrlForHost('github.com')).toBe('https://api.github.com');
    expect(apiBaseUrlForHost(undefined)).toBe('https://api.github.com');
    expect(apiBaseUrlForHost('ghe.example.com')).toBe('https://ghe.example.com/api/v3');
  });
});

describe('githubRepositoryOfRemote (links in RELEASES.md and PR bodies)', () => {
  it.each([
    ['https://github.com/bytecodealliance/wasmtime', 'bytecodealliance/wasmtime'],
    ['https://github.com/bytecodealliance/wasmtime.git', 'bytecodealliance/wasmtime'],
    ['git@github.com:bytecodealliance/wasmtime.git', 'bytecodealliance/wasmtime'],
    ['git@github.com:bytecodealliance/wasmtime', 'bytecodealliance/wasmtime'],
    ['ssh://git@github.com/bytecodealliance/wasmtime.git', 'bytecodealliance/wasmtime'],
  ])('%s -> %s', (url, repo) => {
    expect(githubRepositoryOfRemote(url)).toBe(repo);
  });

  it.each(['../origin.git', '/tmp/x/origin.git', 'file:///tmp/origin.git', 'origin/repo', 'https://gitlab.com/a/b.git', 'C:/repos/origin.git'])(
    'never a repository from %s',
    (url) => {
      expect(githubRepositoryOfRemote(url)).toBeUndefined();
    },
  );

  it('accepts a GitHub Enterprise host it is told about', () => {
    expect(githubRepositoryOfRemote('https://ghe.example.com/org/repo.git')).toBeUndefined();
    expect(githubRepositoryOfRemote('https://ghe.example.com/org/repo.git', githubHosts('https://ghe.example.com/api/v3'))).toBe('org/repo');
  });

  it('ownerRepo takes GITHUB_REPOSITORY as OWNER/REPO only', () => {
    expect(ownerRepo(' bytecodealliance/wasmtime ')).toBe('bytecodealliance/wasmtime');
    expect(ownerRepo('../origin')).toBeUndefined();
    expect(ownerRepo('a/b/c')).toBeUndefined();
    expect(ownerRepo('')).toBeUndefined();
  });
});

describe('githubRepositoryFor (one rule for the train, the generators and security releases)', () => {
  const remote = (url?: string) => async () => url;
  it('the setting, else GITHUB_REPOSITORY, else a GitHub remote URL; never a local path', async () => {
    expect(await githubRepositoryFor({ configured: 'a/b', env: { GITHUB_REPOSITORY: 'c/d' }, remoteUrl: remote('git@github.com:e/f.git') })).toBe('a/b');
    expect(await githubRepositoryFor({ env: { GITHUB_REPOSITORY: 'c/d' }, remoteUrl: remote('git@github.com:e/f.git') })).toBe('c/d');
    expect(await githubRepositoryFor({ env: {}, remoteUrl: remote('git@github.com:e/f.git') })).toBe('e/f');
    expect(await githubRepositoryFor({ env: {}, remoteUrl: remote('../origin.git') })).toBeUndefined();
    expect(await githubRepositoryFor({ env: {}, remoteUrl: remote(undefined) })).toBeUndefined();
  });
  it('an Enterprise remote is known through the API URL, and the remote is read only when needed', async () => {
    expect(await githubRepositoryFor({ env: {}, apiUrl: 'https://ghe.example.com/api/v3', remoteUrl: remote('https://ghe.example.com/o/r.git') })).toBe('o/r');
    let asked = false;
    await githubRepositoryFor({ configured: 'a/b', env: {}, remoteUrl: async () => ((asked = true), undefined) });
    expect(asked).toBe(false);
  });
});
