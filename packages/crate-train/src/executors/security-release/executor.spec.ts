// End to end, in process: the security-advisory generator and the
// security-release executor on a copy of the sample with three release
// branches, real git (bare origin), real @octokit/rest against the GitHub stand-in.
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { readAdvisoryPlan } from '@crate-train/security';
import { captureOutput, executorContext, generateOnDisk, git, removeTempDirs } from '@crate-train/testing';
import { logger } from '@nx/devkit';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import generator from '../../generators/security-advisory/generator';
import runExecutor from './executor';
import { mergeFixes, pathsInAnyRef, sampleWithThreeReleaseBranches, TODAY } from '../../testing/security-release';

// Real git on three release branches and a bare origin, for every test and the setup: more than Jest's default 5 s on a loaded machine.
jest.setTimeout(30_000);

const TOKEN = 'ghs_securityreleasetoken';
const REPO = 'example/wasmtime';
const ID = 'oob-table-grow';

let dir: string;
let origin: string;
let gh: StandIn;
const savedEnv = { ...process.env };

function capture() {
  const lines: string[] = [];
  const spies = [jest.spyOn(console, 'log'), jest.spyOn(console, 'error'), jest.spyOn(logger, 'info'), jest.spyOn(logger, 'warn')].map((s) =>
    s.mockImplementation((...a: unknown[]) => void lines.push(a.join(' '))),
  );
  return { text: () => lines.join('\n'), restore: () => spies.forEach((s) => s.mockRestore()) };
}

async function release(extra: Record<string, unknown> = {}) {
  const r = await captureOutput(() => runExecutor({ advisory: ID, date: TODAY, today: TODAY, ...extra }, executorContext(dir, 'security-release')));
  return { ...r, out: r.out + r.err };
}

const ciBranchesOnOrigin = async () => (await git(origin, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/ci/')).split('\n').filter(Boolean);

beforeAll(async () => {
  ({ dir, origin } = await sampleWithThreeReleaseBranches({ pluginOptions: { github: { repository: REPO } } }));
  gh = await startGitHubStandIn({ repos: { [REPO]: origin }, token: TOKEN });
  process.env.GITHUB_TOKEN = TOKEN;
  process.env.GITHUB_API_URL = gh.url;

  // 1. The advisory, with its draft on GitHub.
  const out = capture();
  try {
    await generateOnDisk(dir, (tree) =>
      generator(tree, { summary: 'Out-of-bounds write in table.grow', severity: 'high', today: TODAY, id: ID, github: true }),
    );
  } finally {
    out.restore();
  }
  await git(dir, 'commit', '-q', '-m', 'Ignore private security advisories', '--', '.gitignore');

  // 2. The private fixes are merged into each branch, and the advisory requires them.
  await mergeFixes(dir, ID);
});

afterAll(async () => {
  process.env = savedEnv;
  await gh?.stop();
  removeTempDirs();
});

describe('security-release', () => {
  it('opens no PR when one branch is checked out dirty, and names it', async () => {
    await git(dir, 'switch', '-q', 'fix/release-4.0.0');
    await git(dir, 'branch', '-q', '-f', 'release-4.0.0', 'origin/release-4.0.0');
    await git(dir, 'switch', '-q', 'release-4.0.0');
    writeFileSync(join(dir, 'crates/wasmtime/src/lib.rs'), 'half-done backport\n');
    const r = await release();
    expect(r.success).toBe(false);
    expect(r.out).toContain("No pull request was opened: 1 of the advisory's branches cannot be prepared:");
    expect(r.out).toContain('  - release-4.0.0: release-4.0.0 is checked out with uncommitted changes (crates/wasmtime/src/lib.rs)');
    expect(gh.pulls(REPO)).toHaveLength(0);
    expect(await ciBranchesOnOrigin()).toEqual([]);
    // Nothing half-done locally either: the other branches' work branches are gone.
    expect(await git(dir, 'branch', '--list', 'ci/*')).toBe('');
    await git(dir, 'checkout', '-q', '--', '.');
    await git(dir, 'switch', '-q', 'main');
  });

  it('opens no PR when a branch is not at the version the advisory expects, and says which', async () => {
    await git(dir, 'switch', '-q', '-c', 'tmp-5', 'origin/release-5.0.0');
    const cargo = readFileSync(join(dir, 'Cargo.toml'), 'utf8');
    writeFileSync(join(dir, 'Cargo.toml'), cargo.replace(/^version = "5\.0\.0"/m, 'version = "5.0.3"'));
    await git(dir, 'commit', '-q', '-am', 'An unplanned release');
    await git(dir, 'push', '-q', 'origin', 'tmp-5:release-5.0.0');
    const r = await release();
    expect(r.success).toBe(false);
    expect(r.out).toContain('  - release-5.0.0: release-5.0.0 is at 5.0.3, but the advisory was made for 5.0.0 (patch 5.0.1): regenerate the advisory');
    expect(r.out).not.toContain('  - release-3.0.0');
    expect(gh.pulls(REPO)).toHaveLength(0);
    expect(await ciBranchesOnOrigin()).toEqual([]);
    await git(dir, 'revert', '--no-edit', 'HEAD');
    await git(dir, 'push', '-q', 'origin', 'tmp-5:release-5.0.0');
    await git(dir, 'switch', '-q', 'main');
  });

  it('--dry-run prepares every branch and changes nothing', async () => {
    const r = await release({ dryRun: true });
    expect(r.success).toBe(true);
    expect(r.out).toContain('prepared release-3.0.0: 3.0.0 -> 3.0.1');
    expect(r.out).toContain('prepared release-5.0.0: 5.0.0 -> 5.0.1');
    expect(gh.pulls(REPO)).toHaveLength(0);
    expect(await ciBranchesOnOrigin()).toEqual([]);
    expect(await git(dir, 'branch', '--list', 'ci/*')).toBe('');
  });

  it('--no-push makes the work branches locally and pushes nothing', async () => {
    const r = await release({ push: false });
    expect(r.success).toBe(true);
    expect((await git(dir, 'branch', '--list', 'ci/*')).split('\n').map((l) => l.trim())).toEqual(['ci/bump-to-3.0.1', 'ci/bump-to-4.0.1', 'ci/bump-to-5.0.1']);
    expect(await git(dir, 'show', 'ci/bump-to-4.0.1:RELEASES.md')).toContain(`## 4.0.1\n\nReleased ${TODAY}.`);
    expect(gh.pulls(REPO)).toHaveLength(0);
    expect(await ciBranchesOnOrigin()).toEqual([]);
  });

  it('opens three patch PRs with the right versions and bodies', async () => {
    const r = await release();
    expect(r.out).not.toContain(TOKEN);
    expect(r.success).toBe(true);
    const ghsa = readAdvisoryPlan(dir, ID).ghsa;
    const pulls = gh.pulls(REPO).map((p) => ({ head: p.head, base: p.base, title: p.title, body: p.body }));
    expect(pulls.map((p) => `${p.head} -> ${p.base}: ${p.title}`).sort()).toEqual([
      'ci/bump-to-3.0.1 -> release-3.0.0: Release Wasmtime 3.0.1',
      'ci/bump-to-4.0.1 -> release-4.0.0: Release Wasmtime 4.0.1',
      'ci/bump-to-5.0.1 -> release-5.0.0: Release Wasmtime 5.0.1',
    ]);
    for (const p of pulls) {
      expect(p.body).toContain(`coordinated security release for ${ghsa} (severity: high)`);
      expect(p.body).toContain('patching release-3.0.0, release-4.0.0, release-5.0.0 together');
    }
    for (const m of [3, 4, 5]) {
      const head = `refs/heads/ci/bump-to-${m}.0.1`;
      expect(await git(origin, 'show', `${head}:Cargo.toml`)).toMatch(new RegExp(`^version = "${m}\\.0\\.1"`, 'm'));
      expect(await git(origin, 'show', `${head}:RELEASES.md`)).toContain(`## ${m}.0.1\n\nReleased ${TODAY}.`);
      expect(await git(origin, 'log', '-1', '--format=%B', head)).toContain('[automatically-tag-and-release-this-commit]');
    }
  });

  it('re-running opens no duplicate', async () => {
    const r = await release();
    expect(r.success).toBe(true);
    expect(gh.pulls(REPO)).toHaveLength(3);
    expect(await ciBranchesOnOrigin()).toEqual(['ci/bump-to-3.0.1', 'ci/bump-to-4.0.1', 'ci/bump-to-5.0.1']);
  });

  it('after a bump PR was merged, a re-run skips that branch and finishes the others', async () => {
    await git(origin, 'update-ref', 'refs/heads/release-3.0.0', 'refs/heads/ci/bump-to-3.0.1');
    const r = await release();
    expect(r.success).toBe(true);
    expect(r.out).toContain('release-3.0.0: already at 3.0.1 (its version-bump PR was merged): nothing to do');
    expect(r.out).toContain('prepared release-4.0.0: 4.0.0 -> 4.0.1');
    expect(gh.pulls(REPO)).toHaveLength(3);
  });

  it('never commits or pushes anything from security/', async () => {
    expect(await pathsInAnyRef(origin, 'security/')).toEqual([]);
    expect(await pathsInAnyRef(dir, 'security/')).toEqual([]);
    expect(await git(dir, 'status', '--porcelain', '--', 'security')).toBe('');
  });
});
