// Issue 14, item 1, through real `nx` and the BUILT plugin: a typo in a flag
// used to do a real cut (`nx run release:cut --dryrun` pushed release-5.0.0 and
// ci/bump-to-6.0.0 and opened the PR). The environment here has a valid token
// and a live GitHub stand-in serving the origin, so a cut that was not refused
// would push and open a PR (the last test shows it does).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { git, removeTempDirs, runNx, setupSampleRepo } from '@crate-train/testing';
import { TOKEN } from '../../testing/options';

const REPO = 'bytecodealliance/wasmtime';
let stand: StandIn;
let dir: string;
let origin: string;
let env: Record<string, string>;

beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
  ({ dir, origin } = await setupSampleRepo({ pluginOptions: { github: { repository: REPO } } }));
  stand.addRepo(REPO, origin);
  env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: stand.url };
});
afterAll(async () => {
  await stand?.stop();
  removeTempDirs();
});

async function state() {
  return {
    local: await git(dir, 'for-each-ref'),
    origin: await git(origin, 'for-each-ref'),
    status: await git(dir, 'status', '--porcelain'),
    pulls: stand.pulls(REPO).length,
    githubRequests: stand.state.requests.length,
    releases: readFileSync(join(dir, 'RELEASES.md'), 'utf8'),
  };
}

/** Runs nx, expects a non-zero exit and that nothing changed; returns the output. */
async function refused(args: string[]): Promise<string> {
  const before = await state();
  const r = await runNx(dir, args, { env, reject: false });
  const out = `${r.stdout}\n${r.stderr}`;
  expect(r.exitCode).not.toBe(0);
  expect(out).not.toContain(TOKEN);
  expect(await state()).toEqual(before);
  return out;
}

describe('nx run / nx g with bad flags, through the built plugin', () => {
  it('nx run release:cut --dryrun is refused: did you mean --dry-run; origin, clone and stand-in unchanged', async () => {
    const out = await refused(['run', 'release:cut', '--dryrun']);
    expect(out).toContain('error: release:cut: unknown flag --dryrun: did you mean --dry-run?');
    expect(out).toContain('Nothing was done.');
    expect(await git(origin, 'for-each-ref', 'refs/heads/release-5.0.0', 'refs/heads/ci')).toBe('');
  });

  it('nx run release:patch --version= (empty, read from the nx command line) is refused', async () => {
    const out = await refused(['run', 'release:patch', '--version=']);
    expect(out).toContain('error: --version= is empty: give the version (--version=X.Y.Z), or leave the flag out for the default');
  });

  it('nx run release:cut --date=2024-02-30 is not a calendar day', async () => {
    expect(await refused(['run', 'release:cut', '--date=2024-02-30'])).toContain('error: --date=2024-02-30 is not a calendar day (February 2024 has 29 days)');
  });

  it('nx run release:publish --concurency=2 --dry-run: did you mean --concurrency', async () => {
    expect(await refused(['run', 'release:publish', '--concurency=2', '--dry-run'])).toContain(
      'error: release:publish: unknown flag --concurency: did you mean --concurrency?',
    );
  });

  it('nx g crate-train:release-note --txt=...: did you mean --text; RELEASES.md unchanged', async () => {
    const out = await refused(['g', 'crate-train:release-note', '--section=Fixed', '--txt=Fix a crash.', '--no-interactive']);
    expect(out).toContain('crate-train:release-note: unknown flag --txt: did you mean --text?');
  });

  it('a bad plugin option in nx.json stops nx run release:cut, naming the option and the allowed values', async () => {
    const nxJson = readFileSync(join(dir, 'nx.json'), 'utf8');
    const parsed = JSON.parse(nxJson);
    parsed.plugins = parsed.plugins.map((p: unknown) =>
      typeof p === 'object' && (p as { plugin: string }).plugin === 'crate-train'
        ? { ...(p as object), options: { github: { repository: REPO }, releasesStyle: 'fancy' } }
        : p,
    );
    writeFileSync(join(dir, 'nx.json'), JSON.stringify(parsed, null, 2) + '\n');
    try {
      const before = { origin: await git(origin, 'for-each-ref'), pulls: stand.pulls(REPO).length };
      const r = await runNx(dir, ['run', 'release:cut'], { env, reject: false });
      const out = `${r.stdout}\n${r.stderr}`;
      expect(r.exitCode).not.toBe(0);
      expect(out).toContain('nx.json: crate-train plugin option "releasesStyle" is "fancy"; allowed: "auto", "history", "archive"');
      expect({ origin: await git(origin, 'for-each-ref'), pulls: stand.pulls(REPO).length }).toEqual(before);
    } finally {
      writeFileSync(join(dir, 'nx.json'), nxJson);
    }
  });

  it('control: the same cut spelled right pushes and opens the PR', async () => {
    const r = await runNx(dir, ['run', 'release:cut', '--date=2023-02-05'], { env, reject: false });
    expect(`${r.stdout}\n${r.stderr}`).toMatch(/pull request #\d+ created: Bump Wasmtime to 6\.0\.0/);
    expect(r.exitCode).toBe(0);
    expect(await git(origin, 'for-each-ref', '--format=%(refname)', 'refs/heads/release-5.0.0')).toBe('refs/heads/release-5.0.0');
    expect(stand.pulls(REPO)).toHaveLength(1);
  });
});
