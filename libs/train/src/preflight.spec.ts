import { writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { copySample, git, initRepoWithOrigin, removeTempDirs } from '@crate-train/testing';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { createGitHub } from '@crate-train/github';
import { run } from '@crate-train/proc';
import { cut, patch, releaseLatest, tagRelease, type TrainContext } from './index';
import { Run } from './context';
import { withSandbox } from './sandbox';
import { prepareCommit } from './work-commit';

// Item 2 of issue 14: every check before the first side effect. cut, patch and
// release-latest first ask GitHub (reads only) whether the token is accepted,
// the repository exists and the token may push; a failure names cause and fix,
// and nothing is pushed, no branch is made and no PR is opened.
// Item 3: re-running release-latest after the release says so and changes nothing.

const TOKEN = 'ghp_preflightSpecGoodToken000001';
const WRONG = 'ghp_preflightSpecWrongToken00002';
const READ_ONLY = 'ghp_preflightSpecReadOnly0000003';
const DATE = '2023-02-20';

let stand: StandIn;
beforeAll(async () => {
  stand = await startGitHubStandIn({
    repos: {},
    token: TOKEN,
    tokens: { [READ_ONLY]: { permissions: { admin: false, maintain: false, push: false, triage: false } } },
  });
});
afterAll(async () => {
  await stand.stop();
  removeTempDirs();
});

let n = 0;
/** The sample, its origin with main and release-5.0.0 (as after a cut), registered with the stand-in. */
async function setup() {
  const dir = copySample();
  const { origin } = await initRepoWithOrigin(dir);
  await git(dir, 'push', '-q', 'origin', 'main:refs/heads/release-5.0.0');
  const repo = `crate-train/preflight-${++n}`;
  stand.addRepo(repo, origin);
  const ctx = <T extends object = object>(extra: Partial<TrainContext> & T = {} as T): TrainContext & T => ({
    root: dir,
    date: DATE,
    env: { GITHUB_TOKEN: TOKEN },
    options: { github: { repository: repo, baseUrl: stand.url, tagVia: 'api' } },
    ...extra,
  });
  /** Everything a failed run must leave as it was: origin's refs (ls-remote), local refs, the stand-in's PRs. */
  const snapshot = async () => ({
    origin: await git(dir, 'ls-remote', 'origin'),
    local: await git(dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
    pulls: JSON.stringify(stand.pulls(repo)),
  });
  return { dir, origin, repo, ctx, snapshot };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

type Setup = Awaited<ReturnType<typeof setup>>;

/**
 * Runs cut (on main), release-latest (on main) and patch (of release-5.0.0)
 * with the faulty context; each must fail with `expected` (and the step's
 * name) and leave origin, the local refs and the stand-in unchanged.
 */
async function expectRefusedEverywhere(s: Setup, faulty: Partial<TrainContext>, expected: RegExp, secret?: string): Promise<string[]> {
  const before = await s.snapshot();
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['The cut', () => cut(s.ctx(faulty))],
    ['release-latest', () => releaseLatest(s.ctx(faulty))],
    ['The patch release of release-5.0.0', () => patch(s.ctx({ ...faulty, branch: 'release-5.0.0' }))],
  ];
  const messages: string[] = [];
  for (const [what, step] of steps) {
    const err = (await step().then(
      () => new Error(`${what} succeeded`),
      (e: Error) => e,
    )) as Error;
    expect(err.name).toBe('TrainError');
    expect(err.message.startsWith(`${what}: `)).toBe(true);
    expect(err.message).toMatch(expected);
    expect(err.message).toContain('Nothing was pushed: crate-train checks GitHub before its first push.');
    if (secret) expect(`${err.message}\n${err.stack}`).not.toContain(secret);
    expect(await s.snapshot()).toEqual(before);
    messages.push(err.message);
  }
  return messages;
}

describe('cut, release-latest and patch check GitHub before their first push', () => {
  it('a token GitHub rejects (401): names the variable and the fix, pushes nothing, leaks nothing', async () => {
    const s = await setup();
    const [msg] = await expectRefusedEverywhere(
      s,
      { env: { GITHUB_TOKEN: WRONG } },
      new RegExp(
        `GitHub rejected the token in GITHUB_TOKEN \\(401 Bad credentials\\) at ${stand.url}: set GITHUB_TOKEN to a valid token for ${s.repo} \\(this one is wrong, expired or revoked\\)\\.`,
      ),
      WRONG,
    );
    expect(msg).toBe(
      `The cut: GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials) at ${stand.url}: set GITHUB_TOKEN to a valid token for ${s.repo} ` +
        '(this one is wrong, expired or revoked). Nothing was pushed: crate-train checks GitHub before its first push.',
    );
    // GH_TOKEN is named when that is where the token came from; a blank GITHUB_TOKEN is no token.
    for (const env of [{ GH_TOKEN: WRONG }, { GITHUB_TOKEN: '  ', GH_TOKEN: `${WRONG}\n` }]) {
      await expect(cut(s.ctx({ env }))).rejects.toThrow(/rejected the token in GH_TOKEN \(401 Bad credentials\).*: set GH_TOKEN to a valid token/);
    }
  });

  it('a repository GitHub does not know (404): names the repository, the host and github.repository', async () => {
    const s = await setup();
    const options = { github: { repository: 'crate-train/wasmtme', baseUrl: stand.url, tagVia: 'api' as const } };
    const [msg] = await expectRefusedEverywhere(
      s,
      { options },
      new RegExp(
        `repository crate-train/wasmtme not found on ${stand.url} \\(404\\): check github\\.repository in the crate-train plugin options in nx\\.json`,
      ),
    );
    expect(msg).toBe(
      `The cut: repository crate-train/wasmtme not found on ${stand.url} (404): check github.repository in the crate-train plugin options in nx.json ` +
        '(GitHub also answers 404 for a private repository the token in GITHUB_TOKEN cannot see). Nothing was pushed: crate-train checks GitHub before its first push.',
    );
    // Named by GITHUB_REPOSITORY instead: that variable is the one to check.
    await expect(
      cut(s.ctx({ options: { github: { baseUrl: stand.url, tagVia: 'api' } }, env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'crate-train/wasmtme' } })),
    ).rejects.toThrow(/repository crate-train\/wasmtme not found on .* \(404\): check GITHUB_REPOSITORY, or set github\.repository/);
  });

  it('a token that can read but not push: names its permissions and the write access it needs', async () => {
    const s = await setup();
    const [msg] = await expectRefusedEverywhere(
      s,
      { env: { GITHUB_TOKEN: READ_ONLY } },
      /the token in GITHUB_TOKEN can read \S+ but cannot push to it \(its permissions there: pull\): set GITHUB_TOKEN to a token with write access to \S+ \(fine-grained: Contents and Pull requests read and write; classic: the repo scope/,
      READ_ONLY,
    );
    expect(msg).toBe(
      `The cut: the token in GITHUB_TOKEN can read ${s.repo} but cannot push to it (its permissions there: pull): set GITHUB_TOKEN to a token with write access to ${s.repo} ` +
        '(fine-grained: Contents and Pull requests read and write; classic: the repo scope; GitHub Actions: permissions contents: write, pull-requests: write). ' +
        'Nothing was pushed: crate-train checks GitHub before its first push.',
    );
  });

  it('an API URL nothing answers on (a closed loopback port): names the URL, the reason and github.baseUrl', async () => {
    const s = await setup();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const options = { github: { repository: s.repo, baseUrl: url, tagVia: 'api' as const } };
    const [msg] = await expectRefusedEverywhere(
      s,
      { options },
      new RegExp(
        `cannot reach ${url.replace(/\./g, '\\.')} \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\): check github\\.baseUrl in the crate-train plugin options in nx\\.json`,
      ),
    );
    expect(msg).toBe(
      `The cut: cannot reach ${url} (connect ECONNREFUSED ${url.slice('http://'.length)}): check github.baseUrl in the crate-train plugin options in nx.json ` +
        '(GitHub Enterprise: https://HOST/api/v3). Nothing was pushed: crate-train checks GitHub before its first push.',
    );
  });

  it('--dry-run and --no-push still need no token and make no GitHub call', async () => {
    const s = await setup();
    const requests = stand.state.requests.length;
    await cut(s.ctx({ dryRun: true, env: {} }));
    await releaseLatest(s.ctx({ dryRun: true, env: {} }));
    await cut(s.ctx({ push: false, env: {}, options: { github: { repository: s.repo, baseUrl: `http://127.0.0.1:${await closedPort()}`, tagVia: 'api' } } }));
    expect(stand.state.requests.length).toBe(requests);
    expect(stand.pulls(s.repo)).toHaveLength(0);
  });
});

describe('release-latest after the release', () => {
  it('cut -> merge -> release-latest -> merge -> tag -> release-latest: the second run says the release is done and changes nothing', async () => {
    const dir = copySample();
    const { origin } = await initRepoWithOrigin(dir);
    const repo = `crate-train/released-${++n}`;
    stand.addRepo(repo, origin);
    const ctx = <T extends object = object>(extra: Partial<TrainContext> & T = {} as T): TrainContext & T => ({
      root: dir,
      date: DATE,
      env: { GITHUB_TOKEN: TOKEN },
      options: { github: { repository: repo, baseUrl: stand.url, tagVia: 'api' } },
      ...extra,
    });
    const gh = await createGitHub({ repository: repo, token: TOKEN, baseUrl: stand.url });
    const snapshot = async () => ({
      origin: await git(dir, 'ls-remote', 'origin'),
      local: await git(dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
      pulls: JSON.stringify(stand.pulls(repo)),
    });

    await cut(ctx());
    await gh.mergePullRequest(stand.pulls(repo)[0].number);
    await git(dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    const relBefore = await git(origin, 'rev-parse', 'release-5.0.0');
    const first = await releaseLatest(ctx());
    expect(first.alreadyReleased).toBeUndefined();
    for (const p of stand.pulls(repo).filter((x) => x.state === 'open')) await gh.mergePullRequest(p.number);
    await git(dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    const merged = await git(origin, 'rev-parse', 'release-5.0.0');

    // Merged, not tagged yet (CI's tag job has not run): already done, the tag is on its way.
    let before = await snapshot();
    const pending = await releaseLatest(ctx({ date: '2023-02-21' }));
    expect(pending.alreadyReleased).toMatch(
      new RegExp(
        `^its release commit [0-9a-f]{10} \\("Release Wasmtime 5\\.0\\.0"\\) is already merged into release-5\\.0\\.0, and tag v5\\.0\\.0 is not on origin yet: the tag job of that push creates it`,
      ),
    );
    expect(pending.releaseCommit).toBeUndefined();
    expect(pending.published).toEqual([]);
    expect(await snapshot()).toEqual(before);

    expect(await tagRelease(ctx({ before: relBefore, after: merged }))).toMatchObject({ action: 'created', tag: 'v5.0.0' });

    // After the tag: done, whatever the date, in every mode; nothing pushed, no PR, no local branch moved.
    before = await snapshot();
    const requests = stand.state.requests.length;
    const again = await releaseLatest(ctx({ date: '2023-02-22' }));
    expect(again.alreadyReleased).toBe(`tag v5.0.0 is on origin at ${merged.slice(0, 10)}. For a patch release, run release:patch on release-5.0.0`);
    expect(again.lines).toContain(
      `Wasmtime 5.0.0 is already released: tag v5.0.0 is on origin at ${merged.slice(0, 10)}. For a patch release, run release:patch on release-5.0.0. ` +
        'Nothing to do: no commit, no push, no pull request.',
    );
    expect([again.mainCommit, again.releaseCommit, again.published]).toEqual([undefined, undefined, []]);
    const dry = await releaseLatest(ctx({ dryRun: true, env: {} }));
    expect(dry.alreadyReleased).toBe(again.alreadyReleased);
    // Even a token that would now be refused: there is nothing to do, so GitHub is not asked.
    expect((await releaseLatest(ctx({ env: { GITHUB_TOKEN: WRONG } }))).alreadyReleased).toBe(again.alreadyReleased);
    expect(await snapshot()).toEqual(before);
    expect(stand.state.requests.length).toBe(requests);
    expect(stand.pulls(repo).filter((p) => p.title === 'Release Wasmtime 5.0.0')).toHaveLength(1);
  });

  it('a release branch whose version is past its name (a patch followed) is released already', async () => {
    const s = await setup();
    const wt = copySample();
    await git(wt, 'init', '-q');
    await git(wt, 'fetch', '-q', s.origin, 'release-5.0.0');
    await git(wt, 'checkout', '-q', '-f', 'FETCH_HEAD');
    await git(wt, 'config', 'user.email', 'maintainer@example.com');
    await git(wt, 'config', 'user.name', 'Maintainer');
    const cargo = (await git(wt, 'show', 'HEAD:Cargo.toml')).replace('[workspace.package]\nversion = "5.0.0"', '[workspace.package]\nversion = "5.0.1"');
    writeFileSync(join(wt, 'Cargo.toml'), `${cargo}\n`);
    await git(wt, 'commit', '-q', '-am', 'Release Wasmtime 5.0.1');
    await git(wt, 'push', '-q', s.origin, 'HEAD:refs/heads/release-5.0.0');
    const before = await s.snapshot();
    const r = await releaseLatest(s.ctx());
    expect(r.alreadyReleased).toBe('release-5.0.0 is at 5.0.1, past 5.0.0. For the next patch release, run release:patch on release-5.0.0');
    expect(await s.snapshot()).toEqual(before);
  });
});

describe('a work branch is replaced only when it holds crate-train’s pending commit for the same release', () => {
  const BOT = {
    GIT_COMMITTER_NAME: 'crate-train',
    GIT_COMMITTER_EMAIL: 'crate-train@users.noreply.github.com',
    GIT_AUTHOR_NAME: 'crate-train',
    GIT_AUTHOR_EMAIL: 'crate-train@users.noreply.github.com',
  };
  const MESSAGE = 'Release Wasmtime 5.0.0\n\n[automatically-tag-and-release-this-commit]';
  /** A commit as crate-train's committer would make it, on `parent` with `parent`'s tree. */
  const botCommit = async (dir: string, parent: string, message: string) =>
    (await run('git', ['commit-tree', `${parent}^{tree}`, '-p', parent, '-m', message], { cwd: dir, env: BOT })).stdout.trim();

  it('refuses a local branch with someone else’s commit, a bot commit made on another branch, and one already merged', async () => {
    const s = await setup();
    const main0 = await git(s.dir, 'rev-parse', 'HEAD');

    // The local ci/release-5.0.0 holds a maintainer's commit: --no-push would have moved it.
    await git(s.dir, 'commit', '-q', '--allow-empty', '-m', 'My own work');
    const mine = await git(s.dir, 'rev-parse', 'HEAD');
    await git(s.dir, 'reset', '-q', '--hard', main0);
    await git(s.dir, 'branch', 'ci/release-5.0.0', mine);
    let before = await s.snapshot();
    await expect(releaseLatest(s.ctx({ push: false }))).rejects.toThrow(
      /^the local branch ci\/release-5\.0\.0 is at [0-9a-f]{10} \("My own work" by Crate Train Tests\), which crate-train did not make for "Release Wasmtime 5\.0\.0": it would be overwritten/,
    );
    expect(await s.snapshot()).toEqual(before);
    await git(s.dir, 'branch', '-D', 'ci/release-5.0.0');

    // On origin: crate-train's message and committer, but made on a commit release-5.0.0 does not have.
    const elsewhere = await botCommit(s.dir, await botCommit(s.dir, main0, 'Unrelated'), MESSAGE);
    await git(s.dir, 'push', '-q', 'origin', `${elsewhere}:refs/heads/ci/release-5.0.0`);
    before = await s.snapshot();
    await expect(releaseLatest(s.ctx())).rejects.toThrow(
      /^ci\/release-5\.0\.0 on origin holds [0-9a-f]{10} \("Release Wasmtime 5\.0\.0"\), made on [0-9a-f]{10}, which is not on release-5\.0\.0 \([0-9a-f]{10}\): it belongs to another branch or a rewritten history/,
    );
    expect(await s.snapshot()).toEqual(before);

    // Already merged into its base: that step is not made again (prepareCommit, below release-latest's own check).
    const merged = await botCommit(s.dir, main0, 'Update release date of Wasmtime 5.0.0');
    await git(s.dir, 'push', '-q', 'origin', `${merged}:refs/heads/ci/release-date-for-5.0.0`, `${merged}:refs/heads/main`);
    await git(s.dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    const r = await Run.open(s.ctx());
    await expect(
      withSandbox(r.git, { committer: r.options.committer }, (sb) =>
        prepareCommit(r, sb, {
          base: 'main',
          baseSha: merged,
          workBranch: 'ci/release-date-for-5.0.0',
          message: 'Update release date of Wasmtime 5.0.0',
          edit: (d) => writeFileSync(join(d, 'RELEASES.md'), 'dated\n'),
          pr: { title: 't', body: 'b' },
        }),
      ),
    ).rejects.toThrow(
      /^ci\/release-date-for-5\.0\.0 on origin holds [0-9a-f]{10} \("Update release date of Wasmtime 5\.0\.0"\), which is already merged into main: that step was done, so it is not made again/,
    );
    expect(await git(s.origin, 'rev-parse', 'ci/release-date-for-5.0.0')).toBe(merged);
  });
});

describe('a failure after the checks (between a push and its PR)', () => {
  it('release-latest: the PR call fails after the first push; the re-run reuses the pushed commit and opens each PR once', async () => {
    const s = await setup();
    // A refusal the client does not retry (a 5xx would be retried after a pause): GitHub's answer when Actions may not open PRs.
    stand.failNext(
      { method: 'POST', path: `/repos/${s.repo}/pulls` },
      { status: 403, message: 'GitHub Actions is not permitted to create or approve pull requests.' },
    );
    await expect(releaseLatest(s.ctx())).rejects.toThrow(
      /opening the pull request ci\/release-date-for-5\.0\.0 -> main .* failed with 403: GitHub Actions is not permitted to create or approve pull requests\./,
    );
    const datePushed = await git(s.origin, 'rev-parse', 'ci/release-date-for-5.0.0');
    expect(await git(s.origin, 'branch', '--list', 'ci/release-5.0.0')).toBe('');
    expect(stand.pulls(s.repo)).toHaveLength(0);

    const again = await releaseLatest(s.ctx());
    expect(again.mainCommit?.source).toBe('remote');
    expect(await git(s.origin, 'rev-parse', 'ci/release-date-for-5.0.0')).toBe(datePushed);
    expect(stand.pulls(s.repo).map((p) => p.head)).toEqual(['ci/release-date-for-5.0.0', 'ci/release-5.0.0']);
  });
});
