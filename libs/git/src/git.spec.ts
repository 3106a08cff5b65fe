import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs, git, GIT_ENV, initRepoWithOrigin } from '@crate-train/testing';
import { CommandError, run } from '@crate-train/proc';
import { Git, ZERO_SHA, latestReleaseBranch, sortedReleaseBranches } from './index';
import { GitError } from './errors';
import { authEnv } from './auth';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

const committer = { name: 'Wasmtime Publish', email: 'wasmtime-publish@users.noreply.github.com' };

async function repo(): Promise<{ dir: string; origin: string; g: Git }> {
  const dir = tmp.make('git');
  writeFileSync(join(dir, 'Cargo.toml'), '[workspace.package]\nversion = "5.0.0"\n');
  const { origin } = await initRepoWithOrigin(dir);
  return { dir, origin, g: new Git(dir, { committer }) };
}

describe('Git on real repositories', () => {
  it('reports dirty paths and refuses with a clear message', async () => {
    const { dir, g } = await repo();
    await expect(g.assertClean('cutting a release')).resolves.toBeUndefined();
    writeFileSync(join(dir, 'new.txt'), 'x');
    expect(await g.dirtyPaths()).toEqual(['new.txt']);
    await expect(g.assertClean('cutting a release')).rejects.toThrow(GitError);
    await expect(g.assertClean('cutting a release')).rejects.toThrow(/uncommitted changes \(new\.txt\); commit or stash them before cutting a release/);
  });

  it('knows the current branch and a detached HEAD', async () => {
    const { dir, g } = await repo();
    expect(await g.currentBranch()).toBe('main');
    await git(dir, 'checkout', '-q', '--detach');
    expect(await g.currentBranch()).toBeUndefined();
  });

  it('commits with the configured identity and reads files back byte-exact', async () => {
    const { dir, g } = await repo();
    writeFileSync(join(dir, 'RELEASES.md'), 'notes\n\n');
    await g.add();
    const sha = await g.commit('Release Wasmtime 5.0.0\n\n[automatically-tag-and-release-this-commit]');
    expect(await git(dir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>')).toBe(
      'Wasmtime Publish <wasmtime-publish@users.noreply.github.com>|Wasmtime Publish <wasmtime-publish@users.noreply.github.com>',
    );
    expect(await g.message(sha)).toBe('Release Wasmtime 5.0.0\n\n[automatically-tag-and-release-this-commit]');
    expect(await g.show(sha, 'RELEASES.md')).toBe('notes\n\n');
    expect(await g.show(sha, 'missing.md')).toBeUndefined();
    writeFileSync(join(dir, 'no-eol'), 'abc');
    await g.add(['no-eol']);
    const s2 = await g.commit('x');
    expect(await g.show(s2, 'no-eol')).toBe('abc');
    expect(await g.changedFiles(sha, s2)).toEqual(['no-eol']);
  });

  it('pushes, lists remote branches and tags, and leases forced updates', async () => {
    const { dir, origin, g } = await repo();
    const head = (await g.revParse('HEAD'))!;
    await g.push('origin', [{ src: head, dst: 'refs/heads/release-5.0.0' }]);
    await g.push('origin', [{ src: head, dst: 'refs/heads/release-10.0.0' }]);
    await g.push('origin', [{ src: head, dst: 'refs/heads/release-9.1.0' }]);
    const branches = await g.remoteBranches('origin', ['release-*']);
    expect([...branches.keys()].sort()).toEqual(['release-10.0.0', 'release-5.0.0', 'release-9.1.0']);
    expect(latestReleaseBranch(branches.keys())?.lineVersion).toBe('10.0.0');

    // A work branch overwritten only while it is still where we saw it.
    writeFileSync(join(dir, 'a'), '1');
    await g.add();
    const c1 = await g.commit('one');
    await g.push('origin', [{ src: c1, dst: 'refs/heads/ci/x', expect: '' }]);
    expect(await g.remoteBranchSha('origin', 'ci/x')).toBe(c1);
    await expect(g.push('origin', [{ src: head, dst: 'refs/heads/ci/x', expect: head }])).rejects.toThrow(/stale info|rejected/);
    await g.push('origin', [{ src: head, dst: 'refs/heads/ci/x', expect: c1 }]);
    expect(await git(origin, 'rev-parse', 'refs/heads/ci/x')).toBe(head);
    // Without a lease a non-fast-forward push is refused.
    await expect(g.push('origin', [{ src: c1, dst: 'refs/heads/release-5.0.0' }])).resolves.toBeUndefined();
    await expect(g.push('origin', [{ src: head, dst: 'refs/heads/release-5.0.0' }])).rejects.toThrow(CommandError);

    await g.createTag('v5.0.0', head, 'Wasmtime 5.0.0');
    await g.push('origin', [{ src: 'refs/tags/v5.0.0', dst: 'refs/tags/v5.0.0' }]);
    // The annotated tag is reported at the commit it points to.
    expect((await g.remoteTags('origin')).get('v5.0.0')).toBe(head);
  });

  it('fetches objects without touching refs or FETCH_HEAD', async () => {
    const { origin } = await repo();
    const other = tmp.make('git-other');
    await git(other, 'clone', '-q', origin, '.');
    writeFileSync(join(other, 'b'), '2');
    await git(other, 'add', 'b');
    await git(other, 'commit', '-q', '-m', 'b');
    await git(other, 'push', '-q', 'origin', 'HEAD:refs/heads/release-5.0.0');
    const sha = await git(other, 'rev-parse', 'HEAD');
    const third = tmp.make('git-third');
    await git(third, 'clone', '-q', origin, '.');
    const g = new Git(third);
    await git(origin, 'update-ref', 'refs/heads/release-5.0.0', sha);
    const refsBefore = await git(third, 'for-each-ref');
    // third was cloned after the push, so make a new commit to need a fetch
    writeFileSync(join(other, 'c'), '3');
    await git(other, 'add', 'c');
    await git(other, 'commit', '-q', '-m', 'c');
    await git(other, 'push', '-q', 'origin', 'HEAD:refs/heads/release-5.0.0');
    const newer = await git(other, 'rev-parse', 'HEAD');
    expect(await g.hasObject(newer)).toBe(false);
    await g.fetchObjects('origin', ['refs/heads/release-5.0.0']);
    expect(await g.hasObject(newer)).toBe(true);
    expect(await git(third, 'for-each-ref')).toBe(refsBefore);
  });

  it('finds the marker in BEFORE...AFTER and handles the all-zero BEFORE of a new branch', async () => {
    const { dir, g } = await repo();
    const before = (await g.revParse('HEAD'))!;
    writeFileSync(join(dir, 'x'), '1');
    await g.add();
    await g.commit('Backport a fix');
    writeFileSync(join(dir, 'x'), '2');
    await g.add();
    const rel = await g.commit('Release Wasmtime 5.0.0\n\n[automatically-tag-and-release-this-commit]');
    writeFileSync(join(dir, 'x'), '3');
    await g.add();
    const after = await g.commit('Merge pull request #7');
    const marker = '[automatically-tag-and-release-this-commit]';
    expect(await g.findMarker(before, after, marker)).toEqual([{ sha: rel, subject: 'Release Wasmtime 5.0.0' }]);
    expect(await g.findMarker(rel, after, marker)).toEqual([]);
    // New branch: only its head commit counts.
    expect(await g.findMarker(ZERO_SHA, rel, marker)).toEqual([{ sha: rel, subject: 'Release Wasmtime 5.0.0' }]);
    expect(await g.findMarker(ZERO_SHA, after, marker)).toEqual([]);
  });

  it('never prints the token: it travels in a header env, and errors are redacted', async () => {
    const token = 'ghp_thisIsNotARealToken1234567890';
    const env = authEnv({ token });
    expect(JSON.stringify(env)).not.toContain(token);
    expect(env.GIT_CONFIG_KEY_0).toBe('http.https://github.com/.extraHeader');
    const dir = tmp.make('git-auth');
    await git(dir, 'init', '-q');
    await git(dir, 'remote', 'add', 'origin', 'http://127.0.0.1:9/owner/repo.git');
    const g = new Git(dir, { auth: { token } });
    const err = await g.remoteBranches('origin').catch((e: Error) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as Error).message).not.toContain(token);
    expect((err as Error).message).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
    expect(await g.remoteUrl('origin')).toBe('http://127.0.0.1:9/owner/repo.git');
    await expect(g.remoteUrl('upstream')).rejects.toThrow(/no remote "upstream"/);
  });

  it('refuses to move the checked-out branch', async () => {
    const { g } = await repo();
    await expect(g.setBranch('main', 'HEAD')).rejects.toThrow(/"main" is checked out/);
    await g.setBranch('ci/bump-to-6.0.0', 'HEAD');
    expect(await g.revParse('ci/bump-to-6.0.0')).toBe(await g.revParse('HEAD'));
  });
});

describe('Git reads for the security release and semver-check', () => {
  it('lists remote-tracking branches after a pruning fetch, and tags with their UTC day', async () => {
    const { origin, g } = await repo();
    const head = (await g.revParse('HEAD'))!;
    for (const b of ['release-5.0.0', 'release-10.0.0', 'notes']) await g.push('origin', [{ src: head, dst: `refs/heads/${b}` }]);
    await g.fetch('origin');
    expect([...(await g.trackingBranches('origin', ['release-*'])).keys()].sort()).toEqual(['release-10.0.0', 'release-5.0.0']);
    expect((await g.trackingBranches('origin')).get('notes')).toBe(head);

    // A branch deleted on the remote stays until a pruning fetch.
    await git(origin, 'branch', '-D', 'release-5.0.0');
    await g.fetch('origin');
    expect((await g.trackingBranches('origin')).has('release-5.0.0')).toBe(true);
    await g.fetch('origin', [], { prune: true });
    expect((await g.trackingBranches('origin')).has('release-5.0.0')).toBe(false);

    // Tags come only when asked for; the day is the tagger's date in UTC.
    const other = tmp.make('git-tagger');
    await git(other, 'clone', '-q', origin, '.');
    await git(other, 'tag', '-a', '-m', 'v4', 'v4.0.0');
    await run('git', ['tag', '-a', '-m', 'late', 'v4.0.1'], { cwd: other, env: { ...GIT_ENV, GIT_COMMITTER_DATE: '2022-12-20T23:30:00-05:00' } });
    await git(other, 'push', '-q', 'origin', 'v4.0.0', 'v4.0.1');
    await g.fetch('origin');
    expect(await g.tagDay('v4.0.1')).toBeUndefined();
    await g.fetch('origin', [], { tags: true });
    expect(await g.tagDay('v4.0.1')).toBe('2022-12-21');
    expect(await g.tagsMergedInto('HEAD', 'v4.*')).toEqual(['v4.0.0', 'v4.0.1']);
    expect(await g.tagsMergedInto('HEAD', 'v9*')).toEqual([]);
  });

  it('counts commits and finds a commit by a plain-text piece of its message', async () => {
    const { dir, g } = await repo();
    const base = (await g.revParse('HEAD'))!;
    writeFileSync(join(dir, 'a'), '1');
    await g.add();
    const fix = await g.commit('Fix table.grow [CI] (#42)\n\nSquash-merged.');
    writeFileSync(join(dir, 'a'), '2');
    await g.add();
    await g.commit('Later work');
    expect(await g.countCommits(`${base}..HEAD`)).toBe(2);
    expect(await g.countCommits('HEAD..HEAD')).toBe(0);
    // Brackets and parentheses are text, not a pattern.
    expect(await g.findCommitWithMessage('HEAD', 'table.grow [CI] (#42)')).toBe(fix);
    expect(await g.findCommitWithMessage(base, 'table.grow')).toBeUndefined();
  });

  it('lists and reads files at a ref without a checkout, many in one process', async () => {
    const { dir, g } = await repo();
    mkdirSync(join(dir, 'crates', 'a'), { recursive: true });
    writeFileSync(join(dir, 'crates', 'a', 'Cargo.toml'), '[package]\nname = "a" # \u00e9\n');
    writeFileSync(join(dir, 'no-eol'), 'abc');
    await g.add();
    const sha = await g.commit('files');
    writeFileSync(join(dir, 'no-eol'), 'changed, not committed');
    expect(await g.listFiles(sha)).toEqual(['Cargo.toml', 'crates/a/Cargo.toml', 'no-eol']);
    expect(await g.showMany(sha, ['crates/a/Cargo.toml', 'missing.toml', 'no-eol', 'Cargo.toml'])).toEqual([
      '[package]\nname = "a" # \u00e9\n',
      undefined,
      'abc',
      '[workspace.package]\nversion = "5.0.0"\n',
    ]);
    expect(await g.showMany(sha, ['missing'])).toEqual([undefined]);
    expect(await g.showMany(sha, [])).toEqual([]);
  });

  it('knows its top folder and git directory, and archives a commit', async () => {
    const { dir, g } = await repo();
    mkdirSync(join(dir, 'sub'));
    const sub = new Git(join(dir, 'sub'));
    expect(realpathSync(await sub.topLevel())).toBe(realpathSync(dir));
    expect(await g.gitPath('info/exclude')).toBe(join(dir, '.git', 'info', 'exclude'));
    expect(await new Git(tmp.make('not-a-repo')).gitPath('info/exclude')).toBeUndefined();
    const out = tmp.make('git-archive');
    await g.archive('HEAD', join(out, 'tree.tar'));
    await run('tar', ['-xf', join(out, 'tree.tar'), '-C', out]);
    expect(readFileSync(join(out, 'Cargo.toml'), 'utf8')).toBe('[workspace.package]\nversion = "5.0.0"\n');
  });
});

describe('sortedReleaseBranches', () => {
  it('keeps release branches only, in numeric order', () => {
    expect(sortedReleaseBranches(['release-10.0.0', 'main', 'release-9.0.0', 'release-2.1.0-rc1', 'release-2.0.0']).map((b) => b.branch)).toEqual([
      'release-2.0.0',
      'release-9.0.0',
      'release-10.0.0',
    ]);
    expect(sortedReleaseBranches(['release-5.0.0'])).toEqual([{ branch: 'release-5.0.0', lineVersion: '5.0.0', parts: [5, 0, 0] }]);
  });
});

describe('latestReleaseBranch', () => {
  it('compares numerically and ignores other names', () => {
    expect(latestReleaseBranch(['release-2.0.0', 'release-10.0.0', 'release-9.0.0', 'release-x', 'main'])?.branch).toBe('release-10.0.0');
    expect(latestReleaseBranch(['release-0.9.1', 'release-0.10.0'])?.lineVersion).toBe('0.10.0');
    expect(latestReleaseBranch(['main'])).toBeUndefined();
    expect(latestReleaseBranch(['v-1.2.3', 'v-1.10.0'], 'v-')?.lineVersion).toBe('1.10.0');
  });
});
