import { run } from '@crate-train/proc';
import { git, GIT_ENV, initRepoWithOrigin, tempDirs } from '@crate-train/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCratesAtRef, readReleaseBranches } from './index';
import { releaseDateInReleasesMd } from './release-date';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

const RULE = '-'.repeat(80);
const manifest = (v: string) =>
  `[package]\nname = "demo"\nversion.workspace = true\n\n[workspace]\nmembers = ["crates/*"]\n\n[workspace.package]\nversion = "${v}"\n`;

async function branchWith(dir: string, name: string, files: Record<string, string>) {
  await git(dir, 'switch', '-q', '-c', name, 'main');
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', `branch ${name}`);
  await git(dir, 'push', '-q', 'origin', name);
}

describe('releaseDateInReleasesMd', () => {
  const text = `${RULE}\n\n## 5.0.1\n\nUnreleased.\n\n${RULE}\n\n## 5.0.0\n\nReleased 2023-02-20.\n\n### Added\n\n${RULE}\n\n## 4.0.0\n\nReleased 2022-12-20\n`;
  it('reads the date of the named section, with or without the trailing dot', () => {
    expect(releaseDateInReleasesMd(text, '5.0.0')).toBe('2023-02-20');
    expect(releaseDateInReleasesMd(text, '4.0.0')).toBe('2022-12-20');
  });
  it('is null for an unreleased or missing section, never borrowing a neighbour date', () => {
    expect(releaseDateInReleasesMd(text, '5.0.1')).toBeNull();
    expect(releaseDateInReleasesMd(text, '3.0.0')).toBeNull();
  });
});

describe('reading the remote release branches', () => {
  let clone: string;

  beforeAll(async () => {
    const dir = tmp.make('sec-read');
    writeFileSync(join(dir, 'Cargo.toml'), manifest('6.0.0'));
    writeFileSync(join(dir, 'RELEASES.md'), `## 6.0.0\n\nUnreleased.\n`);
    const { origin } = await initRepoWithOrigin(dir);
    await branchWith(dir, 'release-3.0.0', {
      'Cargo.toml': manifest('3.0.2'),
      'RELEASES.md': `${RULE}\n\n## 3.0.2\n\nReleased 2023-01-10.\n\n${RULE}\n\n## 3.0.0\n\nReleased 2022-11-21.\n`,
    });
    await branchWith(dir, 'release-10.0.0', {
      'Cargo.toml': manifest('10.0.0'),
      'RELEASES.md': `## 10.0.0\n\nReleased 2023-07-20.\n`,
      'crates/a/Cargo.toml': '[package]\nname = "demo-a"\nversion = "0.95.1"\n',
      'crates/b/Cargo.toml': '[package]\nname = "demo-b"\nversion.workspace = true\npublish = false\n',
      'crates/broken/Cargo.toml': '[package\nname = ',
    });
    // Dated by its tag only: RELEASES.md still says Unreleased.
    await branchWith(dir, 'release-4.0.0', { 'Cargo.toml': manifest('4.0.0'), 'RELEASES.md': `## 4.0.0\n\nUnreleased.\n` });
    await run('git', ['tag', '-a', '-m', 'Wasmtime 4.0.0', 'v4.0.0'], {
      cwd: dir,
      env: { ...GIT_ENV, GIT_COMMITTER_DATE: '2022-12-20T23:30:00-05:00' },
    });
    await git(dir, 'push', '-q', 'origin', 'v4.0.0');
    await branchWith(dir, 'release-5.0.0', { 'Cargo.toml': manifest('5.0.0'), 'RELEASES.md': `## 5.0.0\n\nUnreleased.\n` });
    await branchWith(dir, 'release-6.0.0', { 'Cargo.toml': manifest('6.0.0-rc.1') });
    await branchWith(dir, 'release-notes', { 'x.txt': 'not a release branch' });

    clone = tmp.make('sec-clone');
    await git(clone, 'clone', '-q', origin, '.');
  });

  it('lists release branches in numeric order with version and release date', async () => {
    const branches = await readReleaseBranches(clone, { remote: 'origin', branchPrefix: 'release-', releasesFile: 'RELEASES.md' });
    expect(branches).toEqual([
      { branch: 'release-3.0.0', lineVersion: '3.0.0', parts: [3, 0, 0], version: '3.0.2', releaseDate: '2022-11-21', dateSource: 'releases-md' },
      // The tag was made at 23:30 in UTC-5: 2022-12-21 in UTC.
      { branch: 'release-4.0.0', lineVersion: '4.0.0', parts: [4, 0, 0], version: '4.0.0', releaseDate: '2022-12-21', dateSource: 'tag' },
      { branch: 'release-5.0.0', lineVersion: '5.0.0', parts: [5, 0, 0], version: '5.0.0', releaseDate: null },
      { branch: 'release-6.0.0', lineVersion: '6.0.0', parts: [6, 0, 0], version: '6.0.0-rc.1', releaseDate: null },
      { branch: 'release-10.0.0', lineVersion: '10.0.0', parts: [10, 0, 0], version: '10.0.0', releaseDate: '2023-07-20', dateSource: 'releases-md' },
    ]);
  });

  it('keeps local-only tags and survives a clashing local tag', async () => {
    await git(clone, 'tag', 'my-local-tag');
    await git(clone, 'tag', '-f', 'v4.0.0', 'origin/release-3.0.0');
    const branches = await readReleaseBranches(clone, { remote: 'origin', branchPrefix: 'release-', releasesFile: 'RELEASES.md' });
    expect(branches).toHaveLength(5);
    expect(await git(clone, 'tag', '--list', 'my-local-tag')).toBe('my-local-tag');
  });

  it('fails clearly when the remote does not exist', async () => {
    await expect(readReleaseBranches(clone, { remote: 'upstream', branchPrefix: 'release-', releasesFile: 'RELEASES.md' })).rejects.toThrow(
      'Could not fetch remote "upstream"',
    );
  });

  it('reads crate versions at a ref without a checkout', async () => {
    const { crates, unreadable } = await readCratesAtRef(clone, 'origin/release-10.0.0');
    expect(crates.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'demo', version: '10.0.0', manifestPath: 'Cargo.toml', publish: true },
      { name: 'demo-a', version: '0.95.1', manifestPath: 'crates/a/Cargo.toml', publish: true },
      { name: 'demo-b', version: '10.0.0', manifestPath: 'crates/b/Cargo.toml', publish: false },
    ]);
    expect(unreadable).toEqual(['crates/broken/Cargo.toml']);
  });
});
