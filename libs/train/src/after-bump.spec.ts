import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { copySample, git, initRepoWithOrigin, removeTempDirs } from '@crate-train/testing';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { cut, patch, type TrainContext } from './index';

// The afterBump commands (Wasmtime: `cargo vet`) run in the bumped tree; what they
// write joins the bump commit, and a failing one stops the step before any push.

const TOKEN = 'ghp_afterBumpSpecToken0000000000';
let stand: StandIn;
beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
});
afterAll(async () => {
  await stand.stop();
  removeTempDirs();
});

let n = 0;
async function setup(afterBump: string[]) {
  const dir = copySample();
  const { origin } = await initRepoWithOrigin(dir);
  const repo = `acme/after-bump-${++n}`;
  stand.addRepo(repo, origin);
  const ctx: TrainContext = {
    root: dir,
    date: '2025-05-05',
    env: { GITHUB_TOKEN: TOKEN, CARGO_REGISTRY_TOKEN: 'cio_secret_never_shown' },
    options: { afterBump, github: { repository: repo, baseUrl: stand.url, tagVia: 'api' } },
  };
  const refs = () => git(origin, 'for-each-ref', '--format=%(refname) %(objectname)');
  return { dir, origin, repo, ctx, refs };
}

// What `cargo vet` does after a bump, in miniature: record the versions under supply-chain/.
const WRITE = [
  'mkdir -p supply-chain',
  'echo "$CRATE_TRAIN_OLD_VERSION -> $CRATE_TRAIN_NEW_VERSION on $CRATE_TRAIN_BRANCH" > supply-chain/bumped.txt',
  'echo "tokens: ${GITHUB_TOKEN:-none} ${CARGO_REGISTRY_TOKEN:-none}" >> supply-chain/bumped.txt',
].join(' && ');

describe('afterBump', () => {
  it('cut: the file a command writes is in the pushed bump commit, with the old and new version in its environment and no token', async () => {
    const s = await setup([WRITE, 'echo audited']);
    const lines: string[] = [];
    const c = await cut({ ...s.ctx, log: (l) => lines.push(l) });
    const bump = c.commits[0];
    expect(bump.files.map((f) => f.path)).toContain('supply-chain/bumped.txt');
    const pushed = await git(s.origin, 'rev-parse', 'refs/heads/ci/bump-to-6.0.0');
    expect(pushed).toBe(bump.sha);
    // One commit: the bump and the command's file together.
    expect(await git(s.origin, 'rev-parse', `${pushed}^`)).toBe(await git(s.origin, 'rev-parse', 'refs/heads/main'));
    expect(await git(s.origin, 'show', `${pushed}:supply-chain/bumped.txt`)).toBe('5.0.0 -> 6.0.0 on main\ntokens: none none');
    expect(await git(s.origin, 'show', `${pushed}:Cargo.toml`)).toContain('version = "6.0.0"');
    expect(lines).toContain('after bump (5.0.0 -> 6.0.0 on main): echo audited');
    expect(lines).toContain('  | audited');
    // The user's checkout is untouched: the commands ran in the sandbox.
    expect(existsSync(join(s.dir, 'supply-chain'))).toBe(false);
  });

  it('patch: a failing command stops the run with its output; the origin is unchanged and no pull request is opened', async () => {
    const s = await setup([WRITE, 'echo "Vetting Failed!" && echo "  1 unvetted dependency: wasmtime-fiber:5.0.1" >&2 && exit 3']);
    await git(s.origin, 'branch', 'release-5.0.0', 'main');
    await git(s.dir, 'fetch', '-q', 'origin');
    await git(s.dir, 'checkout', '-q', '-b', 'release-5.0.0', 'origin/release-5.0.0');
    const before = await s.refs();
    const localBefore = await git(s.dir, 'for-each-ref', '--format=%(refname)', 'refs/heads');
    const err = await patch(s.ctx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain('The afterBump command `echo "Vetting Failed!"');
    expect(err?.message).toContain('failed (exit code 3) after bumping release-5.0.0 from 5.0.0 to 5.0.1; nothing was committed or pushed.');
    expect(err?.message).toContain('Its output:\nVetting Failed!\n  1 unvetted dependency: wasmtime-fiber:5.0.1');
    expect(err?.message).not.toContain(TOKEN);
    expect(await s.refs()).toBe(before);
    expect(await git(s.dir, 'for-each-ref', '--format=%(refname)', 'refs/heads')).toBe(localBefore);
    expect(stand.pulls(s.repo)).toEqual([]);
  });

  it('cut: a failing command leaves the origin without the release branch or any work branch', async () => {
    const s = await setup(['test "$CRATE_TRAIN_NEW_VERSION" != 6.0.0 || { echo "cargo vet: 6.0.0 is not audited"; exit 1; }']);
    const before = await s.refs();
    await expect(cut(s.ctx)).rejects.toThrow(
      /^The afterBump command `.*` failed \(exit code 1\) after bumping main from 5\.0\.0 to 6\.0\.0; nothing was committed or pushed\.\nIts output:\ncargo vet: 6\.0\.0 is not audited\n/,
    );
    expect(await s.refs()).toBe(before);
    expect(before).not.toContain('release-5.0.0');
    expect(stand.pulls(s.repo)).toEqual([]);
  });
});
