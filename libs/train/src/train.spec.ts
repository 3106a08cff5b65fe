import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copySample, git, initRepoWithOrigin, removeTempDirs, makeTempDir } from '@crate-train/testing';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { createGitHub } from '@crate-train/github';
import { cut, releaseLatest, patch, tagRelease, type TrainContext } from './index';
import { MissingTokenError } from './errors';

// The workflows as library calls on a real copy of the sample workspace, a
// bare origin and the GitHub stand-in (the nx end-to-end spec drives the same
// cycle through `nx run release:...`).

const TOKEN = 'ghp_standInTokenForTrainTests000';
const DATE = '2023-02-20';

let stand: StandIn;
afterAll(async () => {
  await stand?.stop();
  removeTempDirs();
});

async function setup(opts: { options?: TrainContext['options'] } = {}) {
  const dir = copySample();
  const { origin } = await initRepoWithOrigin(dir);
  stand = stand ?? (await startGitHubStandIn({ repos: {}, token: TOKEN }));
  const name = `crate-train/sample-${Math.random().toString(36).slice(2, 8)}`;
  stand.addRepo(name, origin);
  const ctx = <T extends object = object>(extra: Partial<TrainContext> & T = {} as T): TrainContext & T => ({
    root: dir,
    date: DATE,
    env: { GITHUB_TOKEN: TOKEN },
    options: { github: { repository: name, baseUrl: stand.url, tagVia: 'api' }, ...opts.options },
    ...extra,
  });
  const gh = await createGitHub({ repository: name, token: TOKEN, baseUrl: stand.url });
  const remote = async (ref: string) => (await git(origin, 'rev-parse', '--verify', '--quiet', ref).catch(() => '')) || undefined;
  return { dir, origin, name, ctx, gh, remote };
}

const refsOf = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname) %(objectname)');

describe('cut', () => {
  it('--dry-run prints the plan, needs no token and changes nothing', async () => {
    const { dir, origin, ctx, name } = await setup();
    const before = [await refsOf(dir), await refsOf(origin), await git(dir, 'status', '--porcelain')];
    const r = await cut(ctx({ dryRun: true, env: {} }));
    expect(r.mode).toBe('dry-run');
    expect(r.current).toBe('5.0.0');
    expect(r.next).toBe('6.0.0');
    expect(r.releaseBranch).toMatchObject({ branch: 'release-5.0.0', action: 'planned' });
    const text = r.lines.join('\n');
    expect(text).toContain('would push main');
    expect(text).toContain('commit on ci/bump-to-6.0.0 from main');
    expect(text).toContain('| Bump Wasmtime to 6.0.0');
    expect(text).toMatch(/RELEASES\.md \(\+\d+ -0\)/);
    expect(text).toMatch(/Cargo\.toml \(\+\d+ -\d+\)/);
    expect(text).toContain('pull request ci/bump-to-6.0.0 -> main: "Bump Wasmtime to 6.0.0"');
    expect(text).toContain(`${stand.url}/${name}/tree/release-5.0.0`);
    expect([await refsOf(dir), await refsOf(origin), await git(dir, 'status', '--porcelain')]).toEqual(before);
    expect(stand.pulls(name)).toHaveLength(0);
  });

  it('refuses without a token (before any side effect), a dirty tree, the wrong branch, a moved release branch', async () => {
    const { dir, origin, ctx, remote } = await setup();
    await expect(cut(ctx({ env: {} }))).rejects.toThrow(MissingTokenError);
    await expect(cut(ctx({ env: {} }))).rejects.toThrow(/needs a GitHub token: set GITHUB_TOKEN \(or GH_TOKEN\).*--dry-run/);
    expect(await remote('refs/heads/release-5.0.0')).toBeUndefined();

    writeFileSync(join(dir, 'RELEASES.md'), 'edited\n');
    await expect(cut(ctx())).rejects.toThrow(/uncommitted changes \(RELEASES\.md\)/);
    await git(dir, 'checkout', '-q', '--', 'RELEASES.md');

    await git(dir, 'checkout', '-q', '-b', 'topic');
    await expect(cut(ctx())).rejects.toThrow(/runs on the main branch, but the current branch is "topic"/);
    await git(dir, 'checkout', '-q', 'main');

    // Someone else's release-5.0.0 at another commit.
    const first = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'commit', '-q', '--allow-empty', '-m', 'later');
    await git(dir, 'push', '-q', 'origin', `${first}:refs/heads/release-5.0.0`, 'main');
    await expect(cut(ctx())).rejects.toThrow(/release-5\.0\.0 already exists on origin at [0-9a-f]{10}, not at the head of main/);
    expect(await remote('refs/heads/release-5.0.0')).toBe(first);
    expect(await remote('refs/heads/ci/bump-to-6.0.0')).toBeUndefined();
    void origin;
  });

  it('refuses a tree that breaks the crate-list rules, before any side effect, naming crate and fix', async () => {
    const { dir, ctx, remote } = await setup();
    // An internal crate pinned without `=`: Wasmtime's bump stops on this too.
    const cargo = join(dir, 'Cargo.toml');
    const text = readFileSync(cargo, 'utf8');
    const broken = text.replace(/(wasmtime-environ = \{[^}]*version = ")=/, '$1');
    expect(broken).not.toBe(text);
    writeFileSync(cargo, broken);
    await git(dir, 'commit', '-q', '-am', 'loosen the environ pin');
    await git(dir, 'push', '-q', 'origin', 'main');
    await expect(cut(ctx())).rejects.toThrow(/wasmtime-environ/);
    await expect(cut(ctx())).rejects.toThrow(/=5\.0\.0/);
    expect(await remote('refs/heads/release-5.0.0')).toBeUndefined();
    expect(await remote('refs/heads/ci/bump-to-6.0.0')).toBeUndefined();
  });
});

describe('the monthly train, end to end through the library', () => {
  it('cut -> merge -> backport -> release-latest -> merge -> tag -> patch -> merge -> tag', async () => {
    const { dir, origin, ctx, gh, name, remote } = await setup();
    const main0 = await git(dir, 'rev-parse', 'HEAD');

    // --- cut
    const c = await cut(ctx());
    expect(c.releaseBranch.action).toBe('pushed');
    expect(await remote('refs/heads/release-5.0.0')).toBe(main0);
    const bump = await remote('refs/heads/ci/bump-to-6.0.0');
    expect(await git(origin, 'log', '-1', '--format=%s%n%an <%ae>', bump!)).toBe('Bump Wasmtime to 6.0.0\ncrate-train <crate-train@users.noreply.github.com>');
    expect(await git(origin, 'show', `${bump}:RELEASES.md`)).toMatch(
      /^-{80}\n\n## 6\.0\.0\n\nUnreleased\.\n\n### Added\n\n### Changed\n\n-{80}\n\n## 5\.0\.0\n\nUnreleased\./,
    );
    expect(await git(origin, 'show', `${bump}:Cargo.toml`)).toContain('[workspace.package]\nversion = "6.0.0"');
    let pulls = stand.pulls(name);
    expect(pulls.map((p) => [p.head, p.base, p.title, p.state])).toEqual([['ci/bump-to-6.0.0', 'main', 'Bump Wasmtime to 6.0.0', 'open']]);
    expect(pulls[0].body).toContain('release-5.0.0');

    // Re-running the cut changes nothing and opens no second PR.
    await git(dir, 'fetch', '-q');
    const again = await cut(ctx());
    expect(again.releaseBranch.action).toBe('exists');
    expect(again.commits[0].source).toBe('remote');
    expect(await remote('refs/heads/ci/bump-to-6.0.0')).toBe(bump);
    expect(stand.pulls(name)).toHaveLength(1);

    await gh.mergePullRequest(pulls[0].number);
    await git(dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    expect(await git(dir, 'log', '-1', '--format=%s', 'HEAD^2')).toBe('Bump Wasmtime to 6.0.0');
    // Re-running the cut after its PR merged must not start the next release (6.0.0) with nothing new on main.
    const originRefs = await git(origin, 'for-each-ref');
    for (const extra of [{ dryRun: true }, {}] as Partial<TrainContext>[]) {
      await expect(cut(ctx(extra))).rejects.toThrow(
        /^Nothing landed on main since it was bumped to 6\.0\.0 \([0-9a-f]{10} "Bump Wasmtime to 6\.0\.0"\): cutting release-6\.0\.0 now would release the code of the previous release again\. The cut of this cycle is done; run it when changes have landed on main\.$/,
      );
    }
    expect(await git(origin, 'for-each-ref')).toBe(originRefs);
    expect(stand.pulls(name)).toHaveLength(1);

    // --- a backport on the release branch (with its note)
    const wt = makeTempDir('backport');
    await git(wt, 'clone', '-q', '-b', 'release-5.0.0', origin, '.');
    writeFileSync(join(wt, 'src', 'backport.txt'), 'fix\n');
    await git(wt, 'add', '.');
    await git(wt, 'commit', '-q', '-m', 'Backport: fix a crash');
    await git(wt, 'push', '-q', 'origin', 'release-5.0.0');
    const relBefore = await remote('refs/heads/release-5.0.0');

    // --- release-latest
    const rl = await releaseLatest(ctx());
    expect(rl.version).toBe('5.0.0');
    expect(rl.mainCommit?.workBranch).toBe('ci/release-date-for-5.0.0');
    expect(rl.releaseCommit!.workBranch).toBe('ci/release-5.0.0');
    const dateSha = (await remote('refs/heads/ci/release-date-for-5.0.0'))!;
    const relSha = (await remote('refs/heads/ci/release-5.0.0'))!;
    expect(await git(origin, 'log', '-1', '--format=%B', dateSha)).toBe('Update release date of Wasmtime 5.0.0');
    expect(await git(origin, 'log', '-1', '--format=%B', relSha)).toBe('Release Wasmtime 5.0.0\n\n[automatically-tag-and-release-this-commit]');
    expect(await git(origin, 'rev-parse', `${relSha}^`)).toBe(relBefore);
    const mainNotes = await git(origin, 'show', `${dateSha}:RELEASES.md`);
    expect(mainNotes).toContain('## 6.0.0\n\nUnreleased.');
    expect(mainNotes).toContain('## 5.0.0\n\nReleased 2023-02-20\n');
    expect(await git(origin, 'show', `${relSha}:RELEASES.md`)).toMatch(/^-{80}\n\n## 5\.0\.0\n\nReleased 2023-02-20\.\n/);
    pulls = stand.pulls(name).filter((p) => p.state === 'open');
    expect(pulls.map((p) => [p.head, p.base, p.title])).toEqual([
      ['ci/release-date-for-5.0.0', 'main', 'Update release date of Wasmtime 5.0.0'],
      ['ci/release-5.0.0', 'release-5.0.0', 'Release Wasmtime 5.0.0'],
    ]);
    for (const p of pulls) await gh.mergePullRequest(p.number);

    // --- tag: CI on the push to release-5.0.0
    const merged = (await remote('refs/heads/release-5.0.0'))!;
    const t = await tagRelease(ctx({ before: relBefore!, after: merged }));
    expect(t).toMatchObject({ action: 'created', tag: 'v5.0.0', sha: merged });
    expect(await remote('refs/tags/v5.0.0^{commit}')).toBe(merged);
    // The same push seen twice: fine. The main push (no marker): nothing to tag.
    expect((await tagRelease(ctx({ before: relBefore!, after: merged }))).action).toBe('exists');
    const mainNow = (await remote('refs/heads/main'))!;
    const none = await tagRelease(ctx({ before: main0, after: mainNow }));
    expect(none.action).toBe('none');
    expect(none.lines.join('\n')).toMatch(/carries the marker \[automatically-tag-and-release-this-commit\]: nothing to tag/);

    // --- patch 5.0.1 on the release branch
    await git(dir, 'fetch', '-q', 'origin');
    await git(dir, 'checkout', '-q', '-b', 'release-5.0.0', 'origin/release-5.0.0');
    await expect(patch(ctx({ version: '5.0.2' }))).rejects.toThrow(
      /--version 5\.0\.2 is not the next patch release of release-5\.0\.0: it is at 5\.0\.0, so the next patch is 5\.0\.1/,
    );
    // Without notes for 5.0.1 the patch stops and says how to add them, when notes are required (opt-in).
    await expect(patch(ctx({ version: '5.0.1', options: { ...ctx().options, requireNotes: true } }))).rejects.toThrow(
      /no section "## 5\.0\.1".*release-note --release=5\.0\.1/,
    );
    // By default it goes on like Wasmtime's bot (RELEASES.md as the sed leaves it) and puts the missing notes at the top of the PR.
    const dry = await patch(ctx({ version: '5.0.1', dryRun: true }));
    expect(dry.commit.pr.body).toMatch(/^- \[ \] RELEASES\.md has no 5\.0\.1 section: add the notes to this PR before merging/);
    expect(dry.commit.files.map((f) => f.path)).not.toContain('RELEASES.md');
    expect(dry.lines).toContain(
      'warning: RELEASES.md has no 5.0.1 section: add the notes to this PR before merging (no line starts with "Unreleased", so the file is unchanged)',
    );
    expect(await remote('refs/heads/ci/bump-to-5.0.1')).toBeUndefined();
    const notes = readFileSync(join(dir, 'RELEASES.md'), 'utf8');
    writeFileSync(join(dir, 'RELEASES.md'), `${'-'.repeat(80)}\n\n## 5.0.1\n\nUnreleased.\n\n### Fixed\n\n* A crash.\n\n${notes}`);
    await git(dir, 'commit', '-q', '-am', 'Notes for 5.0.1');
    await git(dir, 'push', '-q', 'origin', 'release-5.0.0');
    const p = await patch(ctx({ version: '5.0.1' }));
    expect(p.version).toBe('5.0.1');
    const pSha = (await remote('refs/heads/ci/bump-to-5.0.1'))!;
    expect(await git(origin, 'log', '-1', '--format=%B', pSha)).toBe('Release Wasmtime 5.0.1\n\n[automatically-tag-and-release-this-commit]');
    expect(await git(origin, 'show', `${pSha}:Cargo.toml`)).toContain('[workspace.package]\nversion = "5.0.1"');
    expect(await git(origin, 'show', `${pSha}:RELEASES.md`)).toMatch(/^-{80}\n\n## 5\.0\.1\n\nReleased 2023-02-20\.\n/);
    const patchPr = stand.pulls(name).find((x) => x.head === 'ci/bump-to-5.0.1')!;
    expect([patchPr.base, patchPr.title, patchPr.state]).toEqual(['release-5.0.0', 'Release Wasmtime 5.0.1', 'open']);
    const relBefore2 = (await remote('refs/heads/release-5.0.0'))!;
    await gh.mergePullRequest(patchPr.number);
    const merged2 = (await remote('refs/heads/release-5.0.0'))!;
    expect(await tagRelease(ctx({ before: relBefore2, after: merged2 }))).toMatchObject({ action: 'created', tag: 'v5.0.1' });
    expect(await remote('refs/tags/v5.0.1^{commit}')).toBe(merged2);
    // Re-running the patch after v5.0.1 is tagged plans the next one, 5.0.2 (a new work branch; nothing of 5.0.1 is redone).
    const next = await patch(ctx({ branch: 'release-5.0.0', dryRun: true }));
    expect([next.current, next.version, next.commit.workBranch]).toEqual(['5.0.1', '5.0.2', 'ci/bump-to-5.0.2']);
    // release-latest at this point: 5.0.0 is released (tag v5.0.0).
    await git(dir, 'checkout', '-q', 'main');
    await git(dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    expect((await releaseLatest(ctx({ dryRun: true }))).alreadyReleased).toMatch(/^tag v5\.0\.0 is on origin/);
    // A tag already elsewhere is refused.
    // A tag already elsewhere is refused: another marker commit still at version 5.0.0.
    await git(wt, 'fetch', '-q', 'origin');
    await git(wt, 'checkout', '-q', '--detach', merged);
    await git(wt, 'commit', '-q', '--allow-empty', '-m', 'Release Wasmtime 5.0.0 again\n\n[automatically-tag-and-release-this-commit]');
    const redo = await git(wt, 'rev-parse', 'HEAD');
    await git(wt, 'push', '-q', 'origin', `${redo}:refs/heads/scratch`);
    await expect(tagRelease(ctx({ before: merged, after: redo }))).rejects.toThrow(
      /Tag v5\.0\.0 already exists on origin at [0-9a-f]{10}, not at the pushed head [0-9a-f]{10}: refusing to move a release tag/,
    );
    expect(await remote('refs/tags/v5.0.0^{commit}')).toBe(merged);
  });
});
