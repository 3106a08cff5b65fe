// A whole release-candidate cycle (versionModel "dev-rc", Wasmtime since 2026-08) on
// the sample, through the executors in process: real git with a bare origin, the
// GitHub stand-in (PRs merged through its API), real cargo publishing to the local
// registry. cut (rc.1 published) -> release:rc (rc.2 published) -> release-latest
// (6.0.0 published) -> yank-old-rcs yanks rc.1 and rc.2 of every crate, the 0.x
// lines included, and nothing else; a re-run yanks nothing. An afterBump command
// records every bump, so each bump commit shows it ran.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { createGitHub, type GitHub } from '@crate-train/github';
import { startLocalRegistry, writeCargoConfig, type LocalRegistry } from '@crate-train/local-registry';
import { applyPlan, planBump } from '@crate-train/versions';
import { captureOutput, copySample, executorContext, git, initRepoWithOrigin, makeTempDir, removeTempDirs } from '@crate-train/testing';
import cut from '../cut/executor';
import rc from './executor';
import releaseLatest from '../release-latest/executor';
import tag from '../tag/executor';
import publish from '../publish/executor';
import yank from '../yank-old-rcs/executor';

// Three real publishes of 11 crates (about 4 s each) and the git steps around them.
jest.setTimeout(90_000);

const TOKEN = 'ghp_rcCycleSpecToken000000000000000';
const REPO = 'bytecodealliance/rc-cycle';
const RECORD = 'mkdir -p supply-chain && echo "$CRATE_TRAIN_OLD_VERSION -> $CRATE_TRAIN_NEW_VERSION" >> supply-chain/bumps.txt';
/** The sample's published crates and the line each is on after the cut (the 0.x lines bump on their own). */
const LINES: Record<string, string> = {
  'pulley-interpreter': '6.0.0',
  'cranelift-entity': '0.93.0',
  'cranelift-codegen-meta': '0.93.0',
  'cranelift-codegen': '0.93.0',
  'wasmtime-environ': '6.0.0',
  'wasmtime-fiber': '6.0.0',
  'winch-codegen': '0.4.0',
  wasmtime: '6.0.0',
  'wasmtime-wasi': '6.0.0',
  'wasmtime-cli-flags': '6.0.0',
  'wasmtime-cli': '6.0.0',
};

let stand: StandIn;
let registry: LocalRegistry;
let gh: GitHub;
let dir: string;
let origin: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
  registry = await startLocalRegistry({ dir: makeTempDir('rc-registry'), indexDelayMs: 100, rateLimit: { scale: 0.001 } });
  const cargo = writeCargoConfig(registry, { cargoHome: makeTempDir('rc-cargo-home') });
  Object.assign(process.env, cargo.env, { CARGO_NET_OFFLINE: 'false', GITHUB_TOKEN: TOKEN });

  // main carries 6.0.0-dev (Cranelift 0.93.0-dev, Winch 0.4.0-dev) with its RELEASES.md section, as in Wasmtime's 2026 layout.
  dir = copySample();
  applyPlan(planBump(dir, { kind: 'dev', options: { crateList: 'scripts/publish.rs' } }));
  const notes = readFileSync(join(dir, 'RELEASES.md'), 'utf8');
  writeFileSync(join(dir, 'RELEASES.md'), readFileSync(join(dir, 'ci/RELEASES-template.md'), 'utf8').replace('VERSION', '6.0.0') + notes);
  const options = { versionModel: 'dev-rc', registry: 'local', afterBump: [RECORD], github: { repository: REPO, baseUrl: stand.url } };
  writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options }] }, null, 2) + '\n');
  ({ origin } = await initRepoWithOrigin(dir));
  stand.addRepo(REPO, origin);
  gh = await createGitHub({ repository: REPO, token: TOKEN, baseUrl: stand.url });
});

afterAll(async () => {
  process.env = savedEnv;
  await stand?.stop();
  await registry?.stop();
  removeTempDirs();
});

/** Runs an executor in `root`, expecting success; returns what it printed. */
async function ok(fn: (o: never, c: ReturnType<typeof executorContext>) => Promise<{ success: boolean }>, options: object, root = dir): Promise<string> {
  const r = await captureOutput(() => fn(options as never, executorContext(root)));
  if (!r.success) throw new Error(`executor failed:\n${r.out}\n${r.err}`);
  expect(r.out + r.err).not.toContain(TOKEN);
  expect(r.out + r.err).not.toContain(registry.token);
  return r.out;
}

/** Merges the open PR from `head`, then runs the tag job on the push; returns the tag made. */
async function mergeAndTag(head: string): Promise<string> {
  const pr = stand.pulls(REPO).find((p) => p.head === head && p.state === 'open');
  expect(pr).toBeDefined();
  const base = pr!.base;
  const before = await git(origin, 'rev-parse', `refs/heads/${base}`);
  await gh.mergePullRequest(pr!.number);
  const after = await git(origin, 'rev-parse', `refs/heads/${base}`);
  const out = await ok(tag, { before, after });
  const m = /tag (v\S+)/.exec(out);
  expect(m).not.toBeNull();
  return m![1];
}

/** The publish job of a tag: a fresh clone at the tag, `release:publish` there. */
async function publishTag(tagName: string): Promise<string> {
  const ci = makeTempDir(`rc-ci-${tagName}`);
  await git(ci, 'clone', '-q', '--branch', tagName, origin, '.');
  await ok(publish, { pollIntervalMs: 50, backoffMs: 100, rateLimits: 'none' }, ci);
  return ci;
}

const published = (name: string) => registry.versions(name).map((v) => `${v.vers}${v.yanked ? ' (yanked)' : ''}`);

describe('a release-candidate cycle on the sample (versionModel "dev-rc")', () => {
  let rc2Clone: string;
  let finalClone: string;

  it('cut: main -> 7.0.0-dev, release-6.0.0 gets 6.0.0-rc.1 (Cranelift 0.93.0-rc.1); merged, tagged and published', async () => {
    await ok(cut, { date: '2026-09-05' });
    expect(stand.pulls(REPO).map((p) => [p.head, p.base])).toEqual([
      ['ci/bump-to-7.0.0', 'main'],
      ['ci/rc-6.0.0-rc.1', 'release-6.0.0'],
    ]);
    await gh.mergePullRequest(stand.pulls(REPO)[0].number);
    expect(await mergeAndTag('ci/rc-6.0.0-rc.1')).toBe('v6.0.0-rc.1');
    // The afterBump command ran after both bumps of the cut, and its file is in each commit.
    expect(await git(origin, 'show', 'main:supply-chain/bumps.txt')).toBe('6.0.0-dev -> 7.0.0-dev');
    expect(await git(origin, 'show', 'v6.0.0-rc.1:supply-chain/bumps.txt')).toBe('6.0.0-dev -> 6.0.0-rc.1');
    await publishTag('v6.0.0-rc.1');
    for (const [name, line] of Object.entries(LINES)) expect(published(name)).toEqual([`${line}-rc.1`]);
  });

  it('release:rc on release-6.0.0: 6.0.0-rc.1 -> 6.0.0-rc.2 on ci/rc-6.0.0-rc.2 with the marker and a PR; merged, tagged and published', async () => {
    await git(dir, 'fetch', '-q', 'origin');
    await git(dir, 'checkout', '-q', '-b', 'release-6.0.0', 'origin/release-6.0.0');
    // --dry-run: the plan (the afterBump command ran in the scratch checkout, so its file is listed); nothing changes.
    const refs = [await git(origin, 'for-each-ref'), await git(dir, 'for-each-ref')];
    const dry = await ok(rc, { dryRun: true });
    expect(dry).toContain('commit on ci/rc-6.0.0-rc.2 from release-6.0.0');
    expect(dry).toContain('    | Release Wasmtime 6.0.0-rc.2');
    expect(dry).toMatch(/\n {4}supply-chain\/bumps\.txt \(\+1 -0\)\n/);
    expect([await git(origin, 'for-each-ref'), await git(dir, 'for-each-ref')]).toEqual(refs);
    expect(stand.pulls(REPO).some((p) => p.head === 'ci/rc-6.0.0-rc.2')).toBe(false);

    const out = await ok(rc, {});
    expect(out).toContain('release candidate Wasmtime 6.0.0-rc.1 -> 6.0.0-rc.2 on release-6.0.0');
    const pr = stand.pulls(REPO).find((p) => p.head === 'ci/rc-6.0.0-rc.2')!;
    expect([pr.base, pr.title]).toEqual(['release-6.0.0', 'Release Wasmtime 6.0.0-rc.2']);
    const head = await git(origin, 'rev-parse', 'refs/heads/ci/rc-6.0.0-rc.2');
    expect(await git(origin, 'log', '-1', '--format=%B', head)).toBe('Release Wasmtime 6.0.0-rc.2\n\n[automatically-tag-and-release-this-commit]');
    expect(await git(origin, 'show', `${head}:cranelift/codegen/Cargo.toml`)).toContain('version = "0.93.0-rc.2"');
    // A second run before the merge pushes nothing new and reuses the PR.
    expect(await ok(rc, {})).toContain('ci/rc-6.0.0-rc.2 is already at');
    expect(stand.pulls(REPO).filter((p) => p.head === 'ci/rc-6.0.0-rc.2')).toHaveLength(1);

    expect(await mergeAndTag('ci/rc-6.0.0-rc.2')).toBe('v6.0.0-rc.2');
    expect(await git(origin, 'show', 'v6.0.0-rc.2:supply-chain/bumps.txt')).toBe('6.0.0-dev -> 6.0.0-rc.1\n6.0.0-rc.1 -> 6.0.0-rc.2');
    rc2Clone = await publishTag('v6.0.0-rc.2');
    for (const [name, line] of Object.entries(LINES)) expect(published(name)).toEqual([`${line}-rc.1`, `${line}-rc.2`]);
  });

  it('yank-old-rcs while rc.2 is the release: rc.1 of each crate would go, never rc.2 (dry run)', async () => {
    const out = await ok(yank, { dryRun: true, rateLimits: 'crates-io' }, rc2Clone);
    const would = out.split('\n').filter((l) => l.startsWith('would yank '));
    expect(would.sort()).toEqual(
      Object.entries(LINES)
        .map(([name, line]) => `would yank ${name} ${line}-rc.1 (superseded by ${line}-rc.2)`)
        .sort(),
    );
    expect(out).toMatch(
      /yank plan: 11 superseded release candidates \(6\.0\.0 line: 7 crates, 0\.93\.0 line: 3 crates, 0\.4\.0 line: 1 crate\); within the registry's burst of 100; planned finish /,
    );
    expect(registry.versions('wasmtime').some((v) => v.yanked)).toBe(false);
  });

  it('release-latest drops the -rc in one PR on the branch; merged, tagged v6.0.0 and published', async () => {
    await git(dir, 'checkout', '-q', 'main');
    await git(dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    await ok(releaseLatest, { date: '2026-09-20' });
    expect(
      stand
        .pulls(REPO)
        .filter((p) => p.state === 'open')
        .map((p) => [p.head, p.base]),
    ).toEqual([['ci/release-6.0.0', 'release-6.0.0']]);
    expect(await mergeAndTag('ci/release-6.0.0')).toBe('v6.0.0');
    expect(await git(origin, 'show', 'v6.0.0:supply-chain/bumps.txt')).toBe('6.0.0-dev -> 6.0.0-rc.1\n6.0.0-rc.1 -> 6.0.0-rc.2\n6.0.0-rc.2 -> 6.0.0');
    finalClone = await publishTag('v6.0.0');
    for (const [name, line] of Object.entries(LINES)) expect(published(name)).toEqual([`${line}-rc.1`, `${line}-rc.2`, line]);
  });

  it('yank-old-rcs yanks rc.1 and rc.2 of every crate, each on its own line, and nothing else; a re-run yanks nothing', async () => {
    const out = await ok(yank, { rateLimits: 'crates-io', rateLimitScale: 0.001 }, finalClone);
    expect(out).toMatch(
      /yank plan: 22 superseded release candidates \(6\.0\.0 line: 7 crates, 0\.93\.0 line: 3 crates, 0\.4\.0 line: 1 crate\); within the registry's burst of 100; planned finish \S+Z\n/,
    );
    expect(out).toContain('yanked cranelift-codegen 0.93.0-rc.1 (superseded by 0.93.0)\n');
    expect(out).toContain('22 of 22 superseded release candidates yanked');
    for (const [name, line] of Object.entries(LINES)) expect(published(name)).toEqual([`${line}-rc.1 (yanked)`, `${line}-rc.2 (yanked)`, line]);

    const again = await ok(yank, { rateLimits: 'crates-io', rateLimitScale: 0.001 }, finalClone);
    expect(again).toBe('no superseded release candidates among 11 crates\n');
    for (const [name, line] of Object.entries(LINES)) expect(published(name)).toEqual([`${line}-rc.1 (yanked)`, `${line}-rc.2 (yanked)`, line]);
  });

  it('release:rc after the release is refused, naming release:patch; nothing pushed', async () => {
    await git(dir, 'checkout', '-q', 'release-6.0.0');
    await git(dir, 'pull', '-q', '--ff-only', 'origin', 'release-6.0.0');
    const refs = await git(origin, 'for-each-ref');
    const r = await captureOutput(() => rc({}, executorContext(dir)));
    expect(r.success).toBe(false);
    expect(r.err).toBe('error: release-6.0.0 is at 6.0.0, a release: candidates come before it. For a fix on release-6.0.0, run release:patch.\n');
    expect(await git(origin, 'for-each-ref')).toBe(refs);
  });
});
