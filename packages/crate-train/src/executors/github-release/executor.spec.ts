import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { captureOutput, git, removeTempDirs } from '@crate-train/testing';
import runExecutor from './executor';
import { sampleRepo } from '../../testing/executor-repo';

const TOKEN = 'ghp_githubReleaseSpecToken00000001';
const REPO = 'acme/wasmtime';

let stand: StandIn;
const saved = { GITHUB_TOKEN: process.env.GITHUB_TOKEN, GH_TOKEN: process.env.GH_TOKEN, GITHUB_REPOSITORY: process.env.GITHUB_REPOSITORY };
beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
  delete process.env.GH_TOKEN;
  delete process.env.GITHUB_REPOSITORY;
  process.env.GITHUB_TOKEN = TOKEN;
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await stand.stop();
  removeTempDirs();
});

let n = 0;
/** The sample (RELEASES.md in history style, root version 5.0.0) with its origin on the stand-in, tag v5.0.0 pushed, two assets built. */
async function setup() {
  const repo = `${REPO}-${++n}`;
  const s = await sampleRepo({ github: { repository: repo, baseUrl: stand.url } });
  stand.addRepo(repo, s.origin);
  await git(s.dir, 'tag', 'v5.0.0');
  await git(s.dir, 'push', '-q', 'origin', 'HEAD:refs/heads/main', 'v5.0.0');
  mkdirSync(join(s.dir, 'dist'));
  writeFileSync(join(s.dir, 'dist', 'wasmtime-v5.0.0-x86_64-linux.tar.gz'), 'tarball bytes\n');
  writeFileSync(join(s.dir, 'dist', 'wasmtime-v5.0.0-src.tar.gz'), 'source bytes, a few more\n');
  const run = (o: Parameters<typeof runExecutor>[0] = {}) => captureOutput(() => runExecutor(o, s.context));
  const posts = () => stand.state.requests.filter((r) => r.method !== 'GET').length;
  return { ...s, repo, run, posts };
}

describe('github-release executor (the stand-in, real octokit)', () => {
  it('creates the release of the tag with its RELEASES.md section and two assets; a re-run changes nothing', async () => {
    const s = await setup();
    const first = await s.run({ assets: ['dist/*.tar.gz'] });
    expect(first.err).toBe('');
    expect(first.success).toBe(true);
    expect(first.out).toContain('notes: the "## 5.0.0" section of RELEASES.md');
    expect(first.out).toContain('make_latest true');
    const [rel] = stand.releases(s.repo);
    expect(rel).toMatchObject({ tagName: 'v5.0.0', name: 'v5.0.0', prerelease: false, draft: false, latest: true });
    expect(rel.body).toMatch(/^Unreleased\.\n\n### Added\n\n\* A `Config::strategy` method/);
    expect(rel.body).not.toContain('## 4.0.0');
    expect(stand.assets(s.repo).map((a) => [a.name, a.data.toString(), a.contentType])).toEqual([
      ['wasmtime-v5.0.0-src.tar.gz', 'source bytes, a few more\n', 'application/gzip'],
      ['wasmtime-v5.0.0-x86_64-linux.tar.gz', 'tarball bytes\n', 'application/gzip'],
    ]);
    expect(first.out).toContain('assets uploaded 2, replaced 0, already there 0');

    const writes = s.posts();
    const again = await s.run({ assets: ['dist/*.tar.gz'] });
    expect(again.success).toBe(true);
    expect(again.out).toContain('release v5.0.0: unchanged');
    expect(again.out).toContain('assets uploaded 0, replaced 0, already there 2');
    expect(s.posts()).toBe(writes);
    expect(stand.releases(s.repo)).toHaveLength(1);
    expect(first.out + again.out).not.toContain(TOKEN);
  });

  it('updates a release that exists with another body, and replaces an asset of another size; never a second release', async () => {
    const s = await setup();
    const ok = await s.run({ assets: ['dist/wasmtime-v5.0.0-src.tar.gz'] });
    expect(ok.success).toBe(true);
    stand.releases(s.repo)[0].body = 'Written by hand.';
    writeFileSync(join(s.dir, 'dist', 'wasmtime-v5.0.0-src.tar.gz'), 'rebuilt\n');
    const r = await s.run({ assets: ['dist/wasmtime-v5.0.0-src.tar.gz'] });
    expect(r.success).toBe(true);
    expect(r.out).toContain('release v5.0.0: updated (body differed)');
    expect(r.out).toContain('replaced (GitHub had 25 bytes, uploaded)');
    expect(stand.releases(s.repo)).toHaveLength(1);
    expect(stand.releases(s.repo)[0].body).toMatch(/^Unreleased\./);
    expect(stand.assets(s.repo).map((a) => a.data.toString())).toEqual(['rebuilt\n']);
  });

  it('a missing asset is a clear error before anything is created on GitHub', async () => {
    const s = await setup();
    const before = stand.state.requests.length;
    const r = await s.run({ assets: ['dist/*.tar.gz', 'dist/wasmtime.h', 'build/*.zip'] });
    expect(r.success).toBe(false);
    expect(r.err).toContain('--assets=dist/wasmtime.h matches no file under');
    expect(r.err).toContain('--assets=build/*.zip matches no file');
    expect(r.err).toContain('nothing was created on GitHub');
    expect(stand.state.requests.length).toBe(before);
    expect(stand.releases(s.repo)).toHaveLength(0);
  });

  it('a patch of an older line is not GitHub’s "Latest"; a tag with "-" is a pre-release; a tag not on GitHub is refused', async () => {
    const s = await setup();
    expect((await s.run()).success).toBe(true);
    await git(s.dir, 'tag', 'v6.0.0');
    await git(s.dir, 'tag', 'v5.0.1');
    await git(s.dir, 'tag', 'v7.0.0-rc.1');
    await git(s.dir, 'push', '-q', 'origin', 'v6.0.0', 'v5.0.1', 'v7.0.0-rc.1');
    expect((await s.run({ tag: 'v6.0.0' })).success).toBe(true);
    const patch = await s.run({ tag: 'v5.0.1' });
    expect(patch.out).toContain('make_latest false (v6.0.0 is newer: v5.0.1 does not become GitHub\'s "Latest")');
    expect(patch.err).toContain('warning: RELEASES.md has no "## 5.0.1" section');
    const rc = await s.run({ tag: 'v7.0.0-rc.1' });
    expect(rc.success).toBe(true);
    const byTag = Object.fromEntries(stand.releases(s.repo).map((r) => [r.tagName, r]));
    expect(byTag['v6.0.0'].latest).toBe(true);
    expect(byTag['v5.0.1']).toMatchObject({ latest: false, prerelease: false, body: 'No release notes for 5.0.1 in RELEASES.md at v5.0.1.' });
    expect(byTag['v7.0.0-rc.1']).toMatchObject({ latest: false, prerelease: true });

    const missing = await s.run({ tag: 'v9.9.9' });
    expect(missing.success).toBe(false);
    expect(missing.err).toContain(`tag v9.9.9 does not exist in ${s.repo}`);
    expect(stand.releases(s.repo).some((r) => r.tagName === 'v9.9.9')).toBe(false);
  });

  it('--dry-run changes nothing and, without a token, reads nothing from GitHub', async () => {
    const s = await setup();
    const before = stand.state.requests.length;
    const dry = await s.run({ dryRun: true, assets: ['dist/*.tar.gz'] });
    expect(dry.success).toBe(true);
    expect(dry.out).toContain('release v5.0.0: would create');
    expect(dry.out).toContain('wasmtime-v5.0.0-src.tar.gz (25 bytes): would upload');
    expect(stand.state.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
    delete process.env.GITHUB_TOKEN;
    try {
      const offline = await s.run({ dryRun: true, assets: ['dist/*.tar.gz'] });
      expect(offline.success).toBe(true);
      expect(offline.out).toContain('GitHub not read (no token)');
    } finally {
      process.env.GITHUB_TOKEN = TOKEN;
    }
    expect(stand.releases(s.repo)).toHaveLength(0);
    const bad = await s.run({ tag: '5.0.0' });
    expect(bad.err).toContain('--tag=5.0.0 is not a release tag');
  });
});
