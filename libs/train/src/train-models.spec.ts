import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copySample, git, initRepoWithOrigin, removeTempDirs, commitAll } from '@crate-train/testing';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { createGitHub } from '@crate-train/github';
import { applyPlan, planBump } from '@crate-train/versions';
import { readRel } from './notes-files';
import { cut, releaseLatest, preparePatch, publishPatch, tagRelease, type TrainContext } from './index';

// The other settings of the train: archive-style RELEASES.md, the dev/rc
// version model, and the patch flow split into prepare/publish over several
// branches (what a security release does).

const TOKEN = 'ghp_modelsSpecToken000000000000';
const RULE = '-'.repeat(80);
let stand: StandIn;
beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
});
afterAll(async () => {
  await stand.stop();
  removeTempDirs();
});

let n = 0;
async function setup(prepare: (dir: string) => void | Promise<void>, options: TrainContext['options'] = {}) {
  const dir = copySample();
  await prepare(dir);
  const { origin } = await initRepoWithOrigin(dir);
  const repo = `acme/models-${++n}`;
  stand.addRepo(repo, origin);
  const ctx = <T extends object = object>(extra: Partial<TrainContext> & T = {} as T): TrainContext & T => ({
    root: dir,
    date: '2025-05-20',
    env: { GITHUB_TOKEN: TOKEN },
    options: { ...options, github: { repository: repo, baseUrl: stand.url, tagVia: 'api' } },
    ...extra,
  });
  const gh = await createGitHub({ repository: repo, token: TOKEN, baseUrl: stand.url });
  const show = (ref: string, path: string) => git(origin, 'show', `${ref}:${path}`);
  return { dir, origin, repo, ctx, gh, show };
}

describe('archive-style RELEASES.md', () => {
  it('the cut resets main to the template and links the branch notes; release-latest dates only the branch', async () => {
    const s = await setup(
      (dir) => {
        writeFileSync(join(dir, 'ci/RELEASES-template.md'), `## VERSION\n\nUnreleased.\n\n### Added\n\n### Changed\n\n${RULE}\n`);
        writeFileSync(
          join(dir, 'RELEASES.md'),
          `## 5.0.0\n\nUnreleased.\n\n### Added\n\n* Winch.\n\n### Changed\n\n${RULE}\n\nRelease notes for previous releases of Wasmtime can be found on the respective\nrelease branches of the Wasmtime repository.\n\n<!-- ARCHIVE_START -->\n* [4.0.x](https://github.com/acme/models-1/blob/release-4.0.0/RELEASES.md)\n`,
        );
      },
      { releasesStyle: 'archive' },
    );
    const c = await cut(s.ctx());
    const bump = c.commits[0].sha;
    expect(await s.show(bump, 'RELEASES.md')).toBe(
      `## 6.0.0\n\nUnreleased.\n\n### Added\n\n### Changed\n\n${RULE}\n\nRelease notes for previous releases of Wasmtime can be found on the respective\nrelease branches of the Wasmtime repository.\n\n<!-- ARCHIVE_START -->\n` +
        `* [5.0.x](https://github.com/${s.repo}/blob/release-5.0.0/RELEASES.md)\n* [4.0.x](https://github.com/acme/models-1/blob/release-4.0.0/RELEASES.md)`,
    );
    await s.gh.mergePullRequest(stand.pulls(s.repo)[0].number);
    await git(s.dir, 'pull', '-q', '--ff-only', 'origin', 'main');

    const rl = await releaseLatest(s.ctx());
    expect(rl.mainCommit).toBeUndefined();
    expect(rl.mainSkipped).toContain('archive style');
    expect(await s.show(rl.releaseCommit!.sha, 'RELEASES.md')).toMatch(/^## 5\.0\.0\n\nReleased 2025-05-20\.\n\n### Added\n\n\* Winch\./);
    expect(stand.pulls(s.repo).map((p) => [p.head, p.base])).toEqual([
      ['ci/bump-to-6.0.0', 'main'],
      ['ci/release-5.0.0', 'release-5.0.0'],
    ]);
  });
});

describe('dev/rc version model', () => {
  it('cut: main 6.0.0-dev -> 7.0.0-dev ("Bump Wasmtime to 7.0.0") and an rc.1 PR on ci/rc-6.0.0-rc.1; release-latest releases 6.0.0 in one PR on the branch', async () => {
    const s = await setup(
      async (dir) => {
        applyPlan(planBump(dir, { kind: 'dev', options: { crateList: 'scripts/publish.rs' } }));
        const notes = readFileSync(join(dir, 'RELEASES.md'), 'utf8');
        writeFileSync(join(dir, 'RELEASES.md'), readFileSync(join(dir, 'ci/RELEASES-template.md'), 'utf8').replace('VERSION', '6.0.0') + notes);
      },
      { versionModel: 'dev-rc' },
    );
    expect(readFileSync(join(s.dir, 'Cargo.toml'), 'utf8')).toContain('version = "6.0.0-dev"');

    const c = await cut(s.ctx());
    expect(c.releaseBranch.branch).toBe('release-6.0.0');
    expect(c.next).toBe('7.0.0-dev');
    const [bump, rc] = c.commits;
    expect(bump.message).toBe('Bump Wasmtime to 7.0.0');
    expect(bump.workBranch).toBe('ci/bump-to-7.0.0');
    expect(await s.show(bump.sha, 'Cargo.toml')).toContain('version = "7.0.0-dev"');
    expect(await s.show(bump.sha, 'RELEASES.md')).toMatch(new RegExp(`^${RULE}\\n\\n## 7\\.0\\.0\\n\\nUnreleased\\.`));
    expect(rc.message).toBe('Release Wasmtime 6.0.0-rc.1\n\n[automatically-tag-and-release-this-commit]');
    expect(rc.base).toBe('release-6.0.0');
    expect(await s.show(rc.sha, 'Cargo.toml')).toContain('version = "6.0.0-rc.1"');
    expect(stand.pulls(s.repo).map((p) => [p.head, p.base, p.title])).toEqual([
      ['ci/bump-to-7.0.0', 'main', 'Bump Wasmtime to 7.0.0'],
      ['ci/rc-6.0.0-rc.1', 'release-6.0.0', 'Release Wasmtime 6.0.0-rc.1'],
    ]);
    const before = await git(s.origin, 'rev-parse', 'release-6.0.0');
    for (const p of stand.pulls(s.repo)) await s.gh.mergePullRequest(p.number);
    const after = await git(s.origin, 'rev-parse', 'release-6.0.0');
    expect(await tagRelease(s.ctx({ before, after }))).toMatchObject({ action: 'created', tag: 'v6.0.0-rc.1' });
    await git(s.dir, 'pull', '-q', '--ff-only', 'origin', 'main');

    const rl = await releaseLatest(s.ctx());
    expect(rl.version).toBe('6.0.0');
    expect(await s.show(rl.releaseCommit!.sha, 'Cargo.toml')).toContain('[workspace.package]\nversion = "6.0.0"');
    expect(await s.show(rl.releaseCommit!.sha, 'RELEASES.md')).toMatch(new RegExp(`^${RULE}\\n\\n## 6\\.0\\.0\\n\\nReleased 2025-05-20\\.`));
    expect(rl.releaseCommit!.workBranch).toBe('ci/release-6.0.0');
    // Wasmtime's 2026 workflow: release day is one PR, on the release branch; main's notes are not dated.
    expect(rl.mainCommit).toBeUndefined();
    expect(rl.mainSkipped).toMatch(/dev-rc model/);
  });
});

describe('preparePatch / publishPatch over several branches', () => {
  it('prepares every branch (no checkout needed, nothing pushed), then publishes each', async () => {
    const s = await setup(() => undefined);
    // Two release branches with notes for their next patch.
    for (const [branch, version] of [
      ['release-5.0.0', '5.0.0'],
      ['release-4.0.0', '4.0.0'],
    ] as const) {
      await git(s.dir, 'checkout', '-q', '-b', branch, 'main');
      const next = version.replace(/0$/, '1');
      const notes = readFileSync(join(s.dir, 'RELEASES.md'), 'utf8');
      writeFileSync(join(s.dir, 'RELEASES.md'), `${RULE}\n\n## ${next}\n\nUnreleased.\n\n### Fixed\n\n* Fix.\n\n` + notes);
      await commitAll(s.dir, `Notes for ${next}`);
      await git(s.dir, 'push', '-q', 'origin', branch);
    }
    await git(s.dir, 'checkout', '-q', 'main');
    // release-4.0.0 still says 5.0.0 in this sample, so its next patch is 5.0.1: a wrong --version is caught while preparing.
    await expect(preparePatch(s.ctx({ branch: 'release-4.0.0', version: '4.0.1' }))).rejects.toThrow(
      /--version 4\.0\.1 is not the next patch release of release-4\.0\.0: it is at 5\.0\.0/,
    );

    const a = await preparePatch(s.ctx({ branch: 'release-5.0.0', version: '5.0.1' }));
    expect(a.commit.workBranch).toBe('ci/bump-to-5.0.1');
    expect(a.commit.kept).toBe(true);
    expect(await git(s.dir, 'rev-parse', 'ci/bump-to-5.0.1')).toBe(a.commit.sha);
    expect(await git(s.origin, 'branch', '--list', 'ci/*')).toBe('');
    expect(stand.pulls(s.repo)).toHaveLength(0);
    expect(await git(s.dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');

    const published = await publishPatch(s.ctx(), a);
    expect(published.published?.pr.action).toBe('created');
    expect(await git(s.origin, 'rev-parse', 'ci/bump-to-5.0.1')).toBe(a.commit.sha);
    expect(stand.pulls(s.repo).map((p) => [p.head, p.base, p.title])).toEqual([['ci/bump-to-5.0.1', 'release-5.0.0', 'Release Wasmtime 5.0.1']]);

    // Not a release branch / not on the remote.
    await expect(preparePatch(s.ctx({ branch: 'main' }))).rejects.toThrow(/"main" is not a release branch/);
    await expect(preparePatch(s.ctx({ branch: 'release-9.0.0' }))).rejects.toThrow(/release-9\.0\.0 does not exist on origin/);
  });
});

describe('an existing remote work branch', () => {
  it('an older crate-train commit there is replaced (PR updated); a maintainer commit there is never overwritten', async () => {
    const s = await setup(() => undefined);
    await cut(s.ctx());
    await s.gh.mergePullRequest(stand.pulls(s.repo)[0].number);
    await git(s.dir, 'pull', '-q', '--ff-only', 'origin', 'main');

    const first = await releaseLatest(s.ctx({ date: '2023-02-20' }));
    const second = await releaseLatest(s.ctx({ date: '2023-02-21' }));
    expect(second.releaseCommit!.sha).not.toBe(first.releaseCommit!.sha);
    expect(second.lines.join('\n')).toContain('ci/release-5.0.0 on origin has an older crate-train commit');
    expect(await git(s.origin, 'rev-parse', 'ci/release-5.0.0')).toBe(second.releaseCommit!.sha);
    expect(await s.show('ci/release-5.0.0', 'RELEASES.md')).toContain('Released 2023-02-21.');
    const open = stand.pulls(s.repo).filter((p) => p.state === 'open');
    expect(open.map((p) => p.head)).toEqual(['ci/release-date-for-5.0.0', 'ci/release-5.0.0']);
    expect(open[1].body).toContain('2023-02-21');

    // A maintainer fixes the notes on the PR branch: a re-run must not throw that away.
    const wt = copySample();
    await git(wt, 'init', '-q');
    await git(wt, 'fetch', '-q', s.origin, 'ci/release-5.0.0');
    await git(wt, 'checkout', '-q', '-f', 'FETCH_HEAD');
    await git(wt, 'commit', '-q', '--allow-empty', '-m', 'Fix a typo in the notes');
    const theirs = await git(wt, 'rev-parse', 'HEAD');
    await git(wt, 'push', '-q', s.origin, 'HEAD:refs/heads/ci/release-5.0.0');
    await expect(releaseLatest(s.ctx({ date: '2023-02-22' }))).rejects.toThrow(
      /ci\/release-5\.0\.0 on origin is at [0-9a-f]{10} \("Fix a typo in the notes" by Crate Train Tests\), which crate-train did not make/,
    );
    expect(await git(s.origin, 'rev-parse', 'ci/release-5.0.0')).toBe(theirs);
  });
});

describe('release notes files that are not files', () => {
  it('a RELEASES.md that is a directory is reported as such, naming the option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notes-dir-'));
    try {
      mkdirSync(join(dir, 'RELEASES.md'));
      expect(() => readRel(dir, 'RELEASES.md', 'releasesFile')).toThrow(
        /^RELEASES\.md is a directory, not a file \(the release notes, option releasesFile\) — set `releasesFile` in the crate-train plugin options in nx\.json/,
      );
      expect(() => readRel(dir, 'ci/RELEASES-template.md', 'releasesTemplate')).toThrow(
        /^ci\/RELEASES-template\.md not found \(the RELEASES\.md template, option releasesTemplate\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
