import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from '@crate-train/github-stand-in';
import { createGitHub, type GitHub } from './index';
import { makeLatestFor, publishGitHubRelease, resolveAssets } from './github-release';

const TOKEN = 'ghp_releasespectoken00000000001';

describe('makeLatestFor', () => {
  it('keeps GitHub’s "Latest" off for an older line and for pre-releases', () => {
    expect(makeLatestFor('v5.0.1', ['v4.0.0', 'v5.0.0', 'v6.0.0'])).toMatchObject({ makeLatest: 'false' });
    expect(makeLatestFor('v6.0.1', ['v5.0.1', 'v6.0.0', 'v7.0.0-rc.1'])).toMatchObject({ makeLatest: 'true' });
    expect(makeLatestFor('v7.0.0-rc.2', ['v6.0.0'])).toMatchObject({ makeLatest: 'false', why: 'v7.0.0-rc.2 is a pre-release' });
    // Numeric, not lexical: v10 is newer than v9.
    expect(makeLatestFor('v9.0.3', ['v9.0.2', 'v10.0.0', 'vnot-a-version'])).toMatchObject({ makeLatest: 'false' });
    expect(() => makeLatestFor('release-1', [])).toThrow('release-1 is not a vX.Y.Z tag');
  });
});

describe('resolveAssets', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crate-train-assets-'));
    mkdirSync(join(dir, 'dist', 'a'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'b'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'a', 'x.zip'), 'x');
    writeFileSync(join(dir, 'dist', 'b', 'x.zip'), 'yy');
    writeFileSync(join(dir, 'dist', 'notes.txt'), 'n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('matches files (not folders), relative or absolute, each once', async () => {
    const found = await resolveAssets(dir, ['dist/*', join(dir, 'dist/notes.txt'), 'dist/a/*.zip']);
    expect(found.map((a) => [a.name, a.size])).toEqual([
      ['notes.txt', 1],
      ['x.zip', 1],
    ]);
  });

  it('refuses two assets with one name and a pattern that matches nothing, naming both', async () => {
    await expect(resolveAssets(dir, ['dist/**/*.zip', 'dist/*.h'])).rejects.toThrow(
      /two assets are named x\.zip \(dist\/a\/x\.zip and dist\/b\/x\.zip\).*--assets=dist\/\*\.h matches no file/,
    );
  });
});

describe('publishGitHubRelease against the stand-in', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let github: GitHub;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    repo = await makeBareRepo();
    await repo.git(['tag', 'v1.0.0']);
    await repo.git(['push', '-q', 'origin', 'v1.0.0']);
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare }, token: TOKEN });
    github = await createGitHub({ repository: 'acme/engine', token: TOKEN, baseUrl: gh.enterpriseUrl, logger: { warn: (m) => void lines.push(m) } });
    dir = mkdtempSync(join(tmpdir(), 'crate-train-release-'));
    writeFileSync(join(dir, 'engine.tar.gz'), 'engine');
  });
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads through the release’s upload_url (another path than the API’s), retrying a failed upload once it fails with a 502', async () => {
    const assets = await resolveAssets(dir, ['*.tar.gz']);
    gh.failNext({ method: 'POST', path: /^\/uploads\/repos\/acme\/engine\/releases\/\d+\/assets$/ }, { status: 502, message: 'Bad Gateway' });
    const r = await publishGitHubRelease(github, { tag: 'v1.0.0', body: 'notes', assets, tags: ['v1.0.0'], dryRun: false, log: (l) => void lines.push(l) });
    expect(r).toEqual({ release: 'created', uploaded: ['engine.tar.gz'], replaced: [], skipped: [] });
    const uploads = gh.state.requests.filter((q) => q.path.startsWith('/uploads/'));
    expect(uploads.map((q) => q.status)).toEqual([502, 201]);
    expect(uploads[0].path).toMatch(/^\/uploads\/repos\/acme\/engine\/releases\/\d+\/assets\?name=engine\.tar\.gz&?$/);
    expect(lines).toContain(`GitHub: GitHub answered 502 on POST ${uploads[0].path.split('?')[0]}; retrying in 1 s (retry 1 of 3)`);
    expect(gh.assets('acme/engine').map((a) => [a.name, a.data.toString()])).toEqual([['engine.tar.gz', 'engine']]);
  });

  it('a re-run (also a dry run) uploads nothing and changes nothing', async () => {
    const assets = await resolveAssets(dir, ['*.tar.gz']);
    const before = gh.state.requests.filter((q) => q.method !== 'GET').length;
    for (const dryRun of [true, false]) {
      const r = await publishGitHubRelease(github, { tag: 'v1.0.0', body: 'notes', assets, tags: ['v1.0.0'], dryRun, log: () => {} });
      expect(r).toEqual({ release: 'unchanged', uploaded: [], replaced: [], skipped: ['engine.tar.gz'] });
    }
    expect(gh.state.requests.filter((q) => q.method !== 'GET').length).toBe(before);
  });
});
