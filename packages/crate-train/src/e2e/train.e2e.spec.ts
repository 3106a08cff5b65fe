// The monthly train end to end through the nx CLI and the BUILT plugin, on a
// copy of the sample workspace with a bare origin and the GitHub stand-in:
// cut -> merge -> backport -> release-latest -> merge both -> tag v5.0.0 ->
// release note + patch 5.0.1 -> merge -> tag v5.0.1. Then the error cases and
// re-runs after a failure in the middle.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { createGitHub, type GitHub } from '@crate-train/github';
import { git, makeTempDir, removeTempDirs, runNx, setupSampleRepo } from '@crate-train/testing';

const TOKEN = 'ghp_e2eTrainToken0123456789abcdef';
const MARKER = '[automatically-tag-and-release-this-commit]';
const RULE = '-'.repeat(80);
const COMMITTER = { name: 'Wasmtime Publish', email: 'wasmtime-publish@users.noreply.github.com' };

let stand: StandIn;
beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
});
afterAll(async () => {
  await stand?.stop();
  removeTempDirs();
});

interface Sample {
  dir: string;
  origin: string;
  repo: string;
  gh: GitHub;
  env: Record<string, string>;
  nx(args: string[], env?: Record<string, string>): Promise<{ code: number; out: string }>;
  remote(ref: string): Promise<string | undefined>;
  show(ref: string, path: string): Promise<string>;
}

let counter = 0;
async function sample(): Promise<Sample> {
  const repo = `bytecodealliance/wasmtime-${++counter}`;
  const { dir, origin } = await setupSampleRepo({ pluginOptions: { github: { repository: repo }, committer: COMMITTER } });
  stand.addRepo(repo, origin);
  const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: stand.url };
  const gh = await createGitHub({ repository: repo, token: TOKEN, baseUrl: stand.url });
  return {
    dir,
    origin,
    repo,
    gh,
    env,
    async nx(args, e = env) {
      const r = await runNx(dir, args, { env: e, reject: false });
      const out = r.stdout + '\n' + r.stderr;
      expect(out).not.toContain(TOKEN);
      return { code: r.exitCode, out };
    },
    remote: async (ref) => (await git(origin, 'rev-parse', '--verify', '--quiet', ref).catch(() => '')) || undefined,
    show: (ref, path) => git(origin, 'show', `${ref}:${path}`),
  };
}

const ok = (r: { code: number; out: string }) => {
  if (r.code !== 0) throw new Error(`nx failed (${r.code}):\n${r.out}`);
  return r.out;
};

describe('the monthly train through nx run release:*', () => {
  let s: Sample;
  let main0: string;
  let relBefore: string;
  let merged500: string;

  beforeAll(async () => {
    s = await sample();
    main0 = await git(s.dir, 'rev-parse', 'HEAD');
  });

  it('release:cut pushes release-5.0.0, bumps main to 6.0.0 on ci/bump-to-6.0.0 and opens the PR', async () => {
    const out = ok(await s.nx(['run', 'release:cut', '--date=2023-02-05']));
    expect(out).toContain('pushed main');
    expect(out).toMatch(/pull request #\d+ created: Bump Wasmtime to 6\.0\.0 \(ci\/bump-to-6\.0\.0 -> main\)/);
    expect(await s.remote('refs/heads/release-5.0.0')).toBe(main0);
    const bump = (await s.remote('refs/heads/ci/bump-to-6.0.0'))!;
    expect(await git(s.origin, 'log', '-1', '--format=%B%an <%ae>', bump)).toBe(`Bump Wasmtime to 6.0.0\n${COMMITTER.name} <${COMMITTER.email}>`);
    expect(await git(s.origin, 'rev-parse', `${bump}^`)).toBe(main0);
    expect(await s.show(bump, 'Cargo.toml')).toContain('[workspace.package]\nversion = "6.0.0"');
    expect(await s.show(bump, 'crates/c-api/include/wasmtime.h')).toContain('#define WASMTIME_VERSION "6.0.0"');
    const notes = await s.show(bump, 'RELEASES.md');
    const original = readFileSync(join(s.dir, 'RELEASES.md'), 'utf8');
    expect(notes + '\n').toBe(readFileSync(join(s.dir, 'ci/RELEASES-template.md'), 'utf8').replace('VERSION', '6.0.0') + original);
    const pulls = stand.pulls(s.repo);
    expect(pulls.map((p) => [p.head, p.base, p.title, p.state])).toEqual([['ci/bump-to-6.0.0', 'main', 'Bump Wasmtime to 6.0.0', 'open']]);
    expect(pulls[0].body).toContain('bumps 13 crates from 5.0.0');
    // Nothing in the user's checkout changed.
    expect(await git(s.dir, 'status', '--porcelain')).toBe('');
    expect(await git(s.dir, 'rev-parse', 'HEAD')).toBe(main0);
  });

  it('the bump PR merges; a fix is backported to release-5.0.0', async () => {
    await s.gh.mergePullRequest(stand.pulls(s.repo)[0].number);
    await git(s.dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    expect(readFileSync(join(s.dir, 'Cargo.toml'), 'utf8')).toContain('version = "6.0.0"');
    const wt = makeTempDir('backport');
    await git(wt, 'clone', '-q', '-b', 'release-5.0.0', s.origin, '.');
    writeFileSync(join(wt, 'src', 'main.rs'), readFileSync(join(wt, 'src', 'main.rs'), 'utf8') + '\n// backported fix\n');
    await git(wt, 'commit', '-q', '-am', 'Fix a crash on exit (#5600)');
    await git(wt, 'push', '-q', 'origin', 'release-5.0.0');
    relBefore = (await s.remote('refs/heads/release-5.0.0'))!;
    expect(relBefore).not.toBe(main0);
  });

  it('release:release-latest --dry-run prints both commits and PRs and changes nothing', async () => {
    const refs = [await git(s.origin, 'for-each-ref'), await git(s.dir, 'for-each-ref')];
    const out = ok(await s.nx(['run', 'release:release-latest', '--date=2023-02-20', '--dry-run'], {}));
    expect(out).toContain('commit on ci/release-date-for-5.0.0 from main');
    expect(out).toContain('commit on ci/release-5.0.0 from release-5.0.0');
    expect(out).toContain(`    | ${MARKER}`);
    expect(out).toContain('pull request ci/release-5.0.0 -> release-5.0.0: "Release Wasmtime 5.0.0"');
    expect(out).toContain('pull request ci/release-date-for-5.0.0 -> main: "Update release date of Wasmtime 5.0.0"');
    expect([await git(s.origin, 'for-each-ref'), await git(s.dir, 'for-each-ref')]).toEqual(refs);
    expect(stand.pulls(s.repo).filter((p) => p.state === 'open')).toHaveLength(0);
  });

  it('release:release-latest dates RELEASES.md on main and on the branch and opens both PRs', async () => {
    const out = ok(await s.nx(['run', 'release:release-latest', '--date=2023-02-20']));
    expect(out).toContain('releasing Wasmtime 5.0.0 from release-5.0.0');
    const dateSha = (await s.remote('refs/heads/ci/release-date-for-5.0.0'))!;
    const relSha = (await s.remote('refs/heads/ci/release-5.0.0'))!;
    expect(await git(s.origin, 'log', '-1', '--format=%B', dateSha)).toBe('Update release date of Wasmtime 5.0.0');
    expect(await git(s.origin, 'log', '-1', '--format=%B', relSha)).toBe(`Release Wasmtime 5.0.0\n\n${MARKER}`);
    expect(await git(s.origin, 'rev-parse', `${dateSha}^`)).toBe(await s.remote('refs/heads/main'));
    expect(await git(s.origin, 'rev-parse', `${relSha}^`)).toBe(relBefore);
    const mainNotes = await s.show(dateSha, 'RELEASES.md');
    expect(mainNotes).toMatch(new RegExp(`^${RULE}\\n\\n## 6\\.0\\.0\\n\\nUnreleased\\.\\n[^]*\\n## 5\\.0\\.0\\n\\nReleased 2023-02-20\\n\\n### Added`));
    expect(await git(s.origin, 'diff', '--name-only', `${dateSha}^`, dateSha)).toBe('RELEASES.md');
    expect(await s.show(relSha, 'RELEASES.md')).toMatch(new RegExp(`^${RULE}\\n\\n## 5\\.0\\.0\\n\\nReleased 2023-02-20\\.\\n`));
    expect(await git(s.origin, 'diff', '--name-only', `${relSha}^`, relSha)).toBe('RELEASES.md');
    const open = stand.pulls(s.repo).filter((p) => p.state === 'open');
    expect(open.map((p) => [p.head, p.base, p.title])).toEqual([
      ['ci/release-date-for-5.0.0', 'main', 'Update release date of Wasmtime 5.0.0'],
      ['ci/release-5.0.0', 'release-5.0.0', 'Release Wasmtime 5.0.0'],
    ]);
    expect(open[1].body).toContain('Merging it releases 5.0.0');
    for (const p of open) await s.gh.mergePullRequest(p.number);
    merged500 = (await s.remote('refs/heads/release-5.0.0'))!;
    expect(await git(s.origin, 'log', '-1', '--format=%s', `${merged500}^2`)).toBe('Release Wasmtime 5.0.0');
  });

  it('release:tag finds the marker in the push and creates v5.0.0 at the merge; a push without it tags nothing', async () => {
    const dry = ok(await s.nx(['run', 'release:tag', `--before=${relBefore}`, `--after=${merged500}`, '--dry-run'], {}));
    expect(dry).toMatch(/would create tag v5\.0\.0 at [0-9a-f]{10} via the GitHub API/);
    expect(await s.remote('refs/tags/v5.0.0')).toBeUndefined();
    const out = ok(await s.nx(['run', 'release:tag', `--before=${relBefore}`, `--after=${merged500}`]));
    expect(out).toMatch(/marker found in [0-9a-f]{10} "Release Wasmtime 5\.0\.0"/);
    expect(out).toContain('tag v5.0.0 created');
    expect(await s.remote('refs/tags/v5.0.0^{commit}')).toBe(merged500);
    // The main push (date PR merge) has no marker.
    const mainHead = (await s.remote('refs/heads/main'))!;
    const none = ok(await s.nx(['run', 'release:tag', `--before=${main0}`, `--after=${mainHead}`]));
    expect(none).toContain(`carries the marker ${MARKER}: nothing to tag`);
    expect(await git(s.origin, 'tag', '--list')).toBe('v5.0.0');
  });

  it('a release note for 5.0.1 (nx g), then release:patch --version=5.0.1 opens the patch PR', async () => {
    await git(s.dir, 'fetch', '-q', 'origin');
    await git(s.dir, 'checkout', '-q', '-b', 'release-5.0.0', 'origin/release-5.0.0');
    ok(await s.nx(['g', 'crate-train:release-note', '--release=5.0.1', '--section=Fixed', '--text=Fix a miscompile of i8x16.select.', '--pr=5700']));
    const note = readFileSync(join(s.dir, 'RELEASES.md'), 'utf8');
    expect(note).toMatch(
      new RegExp(
        `^${RULE}\\n\\n## 5\\.0\\.1\\n\\nUnreleased\\.\\n\\n### Added\\n\\n### Changed\\n\\n### Fixed\\n\\n\\* Fix a miscompile of i8x16\\.select\\.\\n  \\[#5700\\]\\(https://github\\.com/${s.repo}/pull/5700\\)\\n\\n${RULE}\\n\\n## 5\\.0\\.0\\n\\nReleased 2023-02-20\\.`,
      ),
    );
    await git(s.dir, 'commit', '-q', '-am', 'Release notes for 5.0.1');
    await git(s.dir, 'push', '-q', 'origin', 'release-5.0.0');
    const base = (await s.remote('refs/heads/release-5.0.0'))!;

    const out = ok(await s.nx(['run', 'release:patch', '--version=5.0.1', '--date=2023-03-08']));
    expect(out).toContain('patch release Wasmtime 5.0.0 -> 5.0.1 on release-5.0.0');
    const p = (await s.remote('refs/heads/ci/bump-to-5.0.1'))!;
    expect(await git(s.origin, 'log', '-1', '--format=%B', p)).toBe(`Release Wasmtime 5.0.1\n\n${MARKER}`);
    expect(await git(s.origin, 'rev-parse', `${p}^`)).toBe(base);
    expect(await s.show(p, 'Cargo.toml')).toContain('[workspace.package]\nversion = "5.0.1"');
    expect(await s.show(p, 'RELEASES.md')).toMatch(new RegExp(`^${RULE}\\n\\n## 5\\.0\\.1\\n\\nReleased 2023-03-08\\.\\n`));
    const pr = stand.pulls(s.repo).find((x) => x.head === 'ci/bump-to-5.0.1')!;
    expect([pr.base, pr.title, pr.state]).toEqual(['release-5.0.0', 'Release Wasmtime 5.0.1', 'open']);
    expect(pr.body).toContain('bumps 13 crates from 5.0.0 to 5.0.1');
  });

  it('the patch PR merges and release:tag creates v5.0.1 at the merge', async () => {
    const before = (await s.remote('refs/heads/release-5.0.0'))!;
    await s.gh.mergePullRequest(stand.pulls(s.repo).find((x) => x.head === 'ci/bump-to-5.0.1')!.number);
    const after = (await s.remote('refs/heads/release-5.0.0'))!;
    const out = ok(await s.nx(['run', 'release:tag', `--before=${before}`, `--after=${after}`]));
    expect(out).toContain('tag v5.0.1 created');
    expect(await s.remote('refs/tags/v5.0.1^{commit}')).toBe(after);
    expect((await git(s.origin, 'tag', '--list')).split('\n')).toEqual(['v5.0.0', 'v5.0.1']);
    // Every PR of the cycle, once each, all merged.
    expect(stand.pulls(s.repo).map((x) => [x.head, x.base, x.state, !!x.mergedAt])).toEqual([
      ['ci/bump-to-6.0.0', 'main', 'closed', true],
      ['ci/release-date-for-5.0.0', 'main', 'closed', true],
      ['ci/release-5.0.0', 'release-5.0.0', 'closed', true],
      ['ci/bump-to-5.0.1', 'release-5.0.0', 'closed', true],
    ]);
  });
});

describe('--no-push and caching', () => {
  it('--no-push commits exactly what the full run then pushes (the full run reuses that commit)', async () => {
    const s = await sample();
    const out = ok(await s.nx(['run', 'release:cut', '--no-push'], {}));
    expect(out).toContain('committed ci/bump-to-6.0.0 locally');
    expect(await s.remote('refs/heads/release-5.0.0')).toBeUndefined();
    expect(await s.remote('refs/heads/ci/bump-to-6.0.0')).toBeUndefined();
    expect(stand.pulls(s.repo)).toHaveLength(0);
    const local = await git(s.dir, 'rev-parse', 'ci/bump-to-6.0.0');
    expect(await git(s.dir, 'rev-parse', 'release-5.0.0')).toBe(await git(s.dir, 'rev-parse', 'main'));
    expect(await git(s.dir, 'log', '-1', '--format=%s', local)).toBe('Bump Wasmtime to 6.0.0');

    ok(await s.nx(['run', 'release:cut']));
    expect(await s.remote('refs/heads/ci/bump-to-6.0.0')).toBe(local);
    expect(stand.pulls(s.repo)).toHaveLength(1);
  });

  it('the release targets with side effects (every one but verify) are never cached', async () => {
    const s = await sample();
    const project = JSON.parse(
      ok(await s.nx(['show', 'project', 'release', '--json']))
        .split('\n')
        .find((l) => l.startsWith('{'))!,
    );
    const sideEffects = Object.keys(project.targets).filter((t) => t !== 'verify');
    expect(sideEffects).toEqual(
      expect.arrayContaining([
        'cut',
        'release-latest',
        'patch',
        'rc',
        'release',
        'tag',
        'branch-cut',
        'changelog-date',
        'pr',
        'publish',
        'yank-old-rcs',
        'security-release',
      ]),
    );
    for (const t of sideEffects) {
      // Never read from or written to any cache.
      expect([t, project.targets[t].cache]).toEqual([t, false]);
      // crate-train's own: nothing to hash either (inputs: []), so they run even where the project's folder holds no file.
      if (project.targets[t].executor === `crate-train:${t}`) expect([t, project.targets[t].inputs]).toEqual([t, []]);
    }
  });
});

describe('errors, each through nx', () => {
  let s: Sample;
  beforeAll(async () => {
    s = await sample();
  });

  it('no token: refused before any side effect, while --dry-run works without one', async () => {
    const r = await s.nx(['run', 'release:cut'], {});
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/needs a GitHub token: set GITHUB_TOKEN \(or GH_TOKEN\)/);
    expect(await s.remote('refs/heads/release-5.0.0')).toBeUndefined();
    const dry = ok(await s.nx(['run', 'release:cut', '--dry-run'], {}));
    expect(dry).toContain('pull request ci/bump-to-6.0.0 -> main: "Bump Wasmtime to 6.0.0"');
    expect(dry).toContain('would push main');
    expect(await git(s.dir, 'for-each-ref', '--format=%(refname)')).not.toContain('ci/');
  });

  it('a dirty working tree', async () => {
    writeFileSync(join(s.dir, 'Cargo.toml'), readFileSync(join(s.dir, 'Cargo.toml'), 'utf8') + '\n# local edit\n');
    const r = await s.nx(['run', 'release:cut']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('has uncommitted changes (Cargo.toml); commit or stash them before the branch cut');
    await git(s.dir, 'checkout', '-q', '--', 'Cargo.toml');
  });

  it('the wrong branch for the step', async () => {
    const r = await s.nx(['run', 'release:patch']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('a patch release runs on a release branch (release-X.Y.Z), but the current branch is "main"');
    await git(s.dir, 'checkout', '-q', '-b', 'release-5.0.0');
    const r2 = await s.nx(['run', 'release:release-latest']);
    expect(r2.out).toContain('release-latest runs on the main branch, but the current branch is "release-5.0.0"');
    await git(s.dir, 'checkout', '-q', 'main');
    await git(s.dir, 'branch', '-D', 'release-5.0.0');
  });

  it('the release branch already at another sha', async () => {
    const main0 = await git(s.dir, 'rev-parse', 'HEAD');
    await git(s.dir, 'commit', '-q', '--allow-empty', '-m', 'Later work on main');
    await git(s.dir, 'push', '-q', 'origin', 'main', `${main0}:refs/heads/release-5.0.0`);
    const r = await s.nx(['run', 'release:cut']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(
      /release-5\.0\.0 already exists on origin at [0-9a-f]{10}, not at the head of main \([0-9a-f]{10}\): refusing to move a release branch/,
    );
    expect(await s.remote('refs/heads/release-5.0.0')).toBe(main0);
    expect(await s.remote('refs/heads/ci/bump-to-6.0.0')).toBeUndefined();
  });

  it('--version that is not the next patch', async () => {
    await git(s.dir, 'fetch', '-q', 'origin');
    await git(s.dir, 'checkout', '-q', '-b', 'release-5.0.0', 'origin/release-5.0.0');
    const r = await s.nx(['run', 'release:patch', '--version=5.0.3', '--dry-run'], {});
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('--version 5.0.3 is not the next patch release of release-5.0.0: it is at 5.0.0, so the next patch is 5.0.1');
    await git(s.dir, 'checkout', '-q', 'main');
  });

  it('the marker absent, and a tag already elsewhere', async () => {
    const rel = (await s.remote('refs/heads/release-5.0.0'))!;
    const wt = makeTempDir('tagged');
    await git(wt, 'clone', '-q', '-b', 'release-5.0.0', s.origin, '.');
    await git(wt, 'commit', '-q', '--allow-empty', '-m', 'Backport without a marker');
    const plain = await git(wt, 'rev-parse', 'HEAD');
    await git(wt, 'commit', '-q', '--allow-empty', '-m', `Release Wasmtime 5.0.0\n\n${MARKER}`);
    const marked = await git(wt, 'rev-parse', 'HEAD');
    await git(wt, 'push', '-q', 'origin', 'release-5.0.0');
    const none = ok(await s.nx(['run', 'release:tag', `--before=${rel}`, `--after=${plain}`]));
    expect(none).toContain('nothing to tag');
    expect(await git(s.origin, 'tag', '--list')).toBe('');
    // v5.0.0 already at another commit.
    await git(s.origin, 'tag', 'v5.0.0', rel);
    const r = await s.nx(['run', 'release:tag', `--before=${plain}`, `--after=${marked}`]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/Tag v5\.0\.0 already exists on origin at [0-9a-f]{10}, not at the pushed head [0-9a-f]{10}: refusing to move a release tag/);
    expect(await s.remote('refs/tags/v5.0.0')).toBe(rel);
  });
});

describe('re-running after a failure in the middle', () => {
  it('cut: the push failed (remote pointed at a missing path); the re-run reuses the commit and opens one PR', async () => {
    const s = await sample();
    await git(s.dir, 'remote', 'set-url', '--push', 'origin', join(makeTempDir('gone'), 'missing.git'));
    const failed = await s.nx(['run', 'release:cut']);
    expect(failed.code).not.toBe(0);
    expect(failed.out).toMatch(/git push/);
    const local = await git(s.dir, 'rev-parse', 'ci/bump-to-6.0.0');
    expect(await s.remote('refs/heads/ci/bump-to-6.0.0')).toBeUndefined();
    expect(stand.pulls(s.repo)).toHaveLength(0);

    await git(s.dir, 'remote', 'set-url', '--push', 'origin', s.origin);
    const out = ok(await s.nx(['run', 'release:cut']));
    expect(out).toContain('reusing the local commit');
    expect(await s.remote('refs/heads/ci/bump-to-6.0.0')).toBe(local);
    expect(await git(s.origin, 'rev-list', '--count', 'release-5.0.0..ci/bump-to-6.0.0')).toBe('1');
    expect(stand.pulls(s.repo)).toHaveLength(1);

    // And a third run is a no-op on the remote: same branch heads, still one PR.
    const third = ok(await s.nx(['run', 'release:cut']));
    expect(third).toContain('release-5.0.0 already exists on origin');
    expect(third).toMatch(/pull request #\d+ (unchanged|updated)/);
    expect(await s.remote('refs/heads/ci/bump-to-6.0.0')).toBe(local);
    expect(stand.pulls(s.repo)).toHaveLength(1);
  });

  it('release-latest: the PR call failed after the first push; the re-run finishes with no duplicate', async () => {
    const s = await sample();
    ok(await s.nx(['run', 'release:cut']));
    await s.gh.mergePullRequest(stand.pulls(s.repo)[0].number);
    await git(s.dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    // GitHub passes the preflight, then fails to open the PR: the first work branch is pushed, the PR call fails.
    // (a refusal, not a 5xx: the client retries those after a pause)
    stand.failNext(
      { method: 'POST', path: `/repos/${s.repo}/pulls` },
      { status: 403, message: 'GitHub Actions is not permitted to create or approve pull requests.' },
    );
    const failed = await s.nx(['run', 'release:release-latest', '--date=2023-02-20']);
    expect(failed.code).not.toBe(0);
    const datePushed = (await s.remote('refs/heads/ci/release-date-for-5.0.0'))!;
    expect(datePushed).toBeDefined();
    expect(await s.remote('refs/heads/ci/release-5.0.0')).toBeUndefined();
    expect(stand.pulls(s.repo)).toHaveLength(1);

    const out = ok(await s.nx(['run', 'release:release-latest', '--date=2023-02-20']));
    expect(out).toContain('reusing the remote commit');
    expect(await s.remote('refs/heads/ci/release-date-for-5.0.0')).toBe(datePushed);
    expect(await s.remote('refs/heads/ci/release-5.0.0')).toBeDefined();
    expect(stand.pulls(s.repo).map((p) => p.head)).toEqual(['ci/bump-to-6.0.0', 'ci/release-date-for-5.0.0', 'ci/release-5.0.0']);
    expect(existsSync(join(s.dir, 'RELEASES.md'))).toBe(true);
  });
});
