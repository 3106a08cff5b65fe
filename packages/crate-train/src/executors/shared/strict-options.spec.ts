// Issue 14, item 1: unknown and invalid flags are errors, before anything
// happens. Each case runs the executor in-process on a sample repo whose
// origin the GitHub stand-in serves with a valid token in the environment, so a
// run that was not refused would push and open a PR (the first test shows it
// does). Each asserts: success false, the message names the flag and the fix,
// and the clone, the origin, the stand-in (PRs, requests) are unchanged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { startLocalRegistry, writeCargoConfig, type CargoHomeSetup, type LocalRegistry } from '@crate-train/local-registry';
import { captureOutput, copySample, executorContext, git, removeTempDirs, tempDirs, withEnv } from '@crate-train/testing';
import { writeFileSync } from 'node:fs';
import cut from '../cut/executor';
import patch from '../patch/executor';
import releaseLatest from '../release-latest/executor';
import bump from '../bump/executor';
import changelogDate from '../changelog-date/executor';
import tag from '../tag/executor';
import verify from '../verify/executor';
import publish from '../publish/executor';
import yank from '../yank-old-rcs/executor';
import securityRelease from '../security-release/executor';
import semverCheck from '../semver-check/executor';
import branchCut from '../branch-cut/executor';
import pr from '../pr/executor';
import { TOKEN, world, type World } from '../../testing/options';

let stand: StandIn;
beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
});
afterAll(async () => {
  await stand?.stop();
  removeTempDirs();
});

const ENV = { GITHUB_TOKEN: TOKEN, GH_TOKEN: undefined, GITHUB_API_URL: undefined, GITHUB_REPOSITORY: undefined };

type Executor<O> = (options: O, context: ExecutorContext) => Promise<{ success: boolean }>;

/** Runs an executor that must refuse; returns what it printed after checking that nothing changed. */
async function refused<O>(w: World, run: Executor<O>, options: O, context: ExecutorContext = w.context): Promise<string> {
  const before = await w.snapshot();
  const r = await withEnv(ENV, () => captureOutput(() => run(options, context)));
  expect(r.success).toBe(false);
  expect(r.err).toContain('Nothing was done.');
  expect(await w.snapshot()).toEqual(before);
  return r.err;
}

describe('release:cut refuses bad flags before any git or GitHub call', () => {
  let w: World;
  beforeAll(async () => {
    w = await world(stand);
  });

  it('--dryrun (a typo) is refused with "did you mean --dry-run"; origin and stand-in unchanged; the same run without the typo cuts for real', async () => {
    const out = await refused(w, cut, { dryrun: true } as never);
    expect(out).toContain('error: release:cut: unknown flag --dryrun: did you mean --dry-run?');
    expect(await git(w.origin, 'for-each-ref', 'refs/heads/release-5.0.0')).toBe('');

    // Control: the environment is live, a run that is not refused pushes and opens the PR.
    const real = await withEnv(ENV, () => captureOutput(() => cut({ date: '2023-02-05' }, w.context)));
    expect(real.success).toBe(true);
    expect(await git(w.origin, 'for-each-ref', '--format=%(refname)', 'refs/heads/release-5.0.0')).toBe('refs/heads/release-5.0.0');
    expect(stand.pulls(w.repo).map((p) => p.title)).toEqual(['Bump Wasmtime to 6.0.0']);
  });
});

describe('flags of the release executors', () => {
  let w: World;
  beforeAll(async () => {
    w = await world(stand);
  });

  it('cut --dry_run: did you mean --dry-run', async () => {
    expect(await refused(w, cut, { dry_run: true } as never)).toContain('error: release:cut: unknown flag --dry_run: did you mean --dry-run?');
  });

  it('cut --date= (empty) is refused, not today', async () => {
    expect(await refused(w, cut, { date: '' })).toContain('error: --date= is empty: give the day (--date=YYYY-MM-DD), or leave the flag out for today (UTC)');
  });

  it('cut --date=2024-02-30 is not a calendar day', async () => {
    expect(await refused(w, cut, { date: '2024-02-30' })).toContain('error: --date=2024-02-30 is not a calendar day (February 2024 has 29 days)');
  });

  it('release-latest --date=2023-02-29 is not a calendar day', async () => {
    expect(await refused(w, releaseLatest, { date: '2023-02-29' })).toContain('error: --date=2023-02-29 is not a calendar day (February 2023 has 28 days)');
  });

  it('patch --version= (empty) is refused, not the next patch', async () => {
    expect(await refused(w, patch, { version: '' })).toContain(
      'error: --version= is empty: give the version (--version=X.Y.Z), or leave the flag out for the default',
    );
  });

  it('patch --version=five is not a version', async () => {
    expect(await refused(w, patch, { version: 'five' })).toContain('error: --version=five is not a version: write it as X.Y.Z (semver, e.g. --version=5.0.1)');
  });

  it('patch --requireNote (typo): did you mean --require-notes', async () => {
    expect(await refused(w, patch, { requireNote: true } as never)).toContain(
      'error: release:patch: unknown flag --requireNote: did you mean --require-notes?',
    );
  });

  it('branch-cut --no-pus (arrives as pus: false): did you mean --no-push', async () => {
    expect(await refused(w, branchCut, { pus: false } as never)).toContain('error: release:branch-cut: unknown flag --no-pus: did you mean --no-push?');
  });

  it('bump --version= (empty) is refused and writes nothing', async () => {
    expect(await refused(w, bump, { kind: 'patch', version: '' })).toContain('error: --version= is empty');
  });

  it('bump --kind=minor is not a kind (allowed values listed)', async () => {
    expect(await refused(w, bump, { kind: 'minor' as never })).toContain(
      'error: --kind=minor is not allowed: use one of --kind=major, --kind=patch, --kind=dev, --kind=rc, --kind=release',
    );
  });

  it('changelog-date --version= (empty) and --on=trunk are refused', async () => {
    const out = await refused(w, changelogDate, { version: '', on: 'trunk' as never });
    expect(out).toContain('error: --version= is empty');
    expect(out).toContain('error: --on=trunk is not allowed: use one of --on=main, --on=branch');
  });

  it('tag --befor=SHA: did you mean --before, and --before is required', async () => {
    const head = await git(w.dir, 'rev-parse', 'HEAD');
    const out = await refused(w, tag, { befor: head, after: head } as never);
    expect(out).toContain('error: release:tag: unknown flag --befor: did you mean --before?');
    expect(out).toContain(
      'error: release:tag needs --before (Sha of the branch before the push (all zeros for a new branch); github.event.before in GitHub Actions)',
    );
  });

  it('pr --titel: did you mean --title', async () => {
    const out = await refused(w, pr, { head: 'ci/x', base: 'main', titel: 'x' } as never);
    expect(out).toContain('error: release:pr: unknown flag --titel: did you mean --title?');
  });

  it('verify --dry-run (verify has none): names the flags verify has', async () => {
    expect(await refused(w, verify, { 'dry-run': true } as never)).toContain(
      'error: release:verify: unknown flag --dry-run: release:verify takes --build, --strict, --skip-package',
    );
  });

  it('a positional argument is refused', async () => {
    expect(await refused(w, cut, { _: ['now'] } as never)).toContain('error: release:cut takes no positional argument (got "now")');
  });

  it('an unknown option in the target configuration (project.json) names where it is set', async () => {
    const context = { ...w.context, targetName: 'cut', target: { executor: 'crate-train:cut', options: { dryrun: true } } } as ExecutorContext;
    expect(await refused(w, cut, { dryrun: true } as never, context)).toContain(
      `error: release:cut: unknown option "dryrun" in the target's options (project.json or targetDefaults in nx.json): did you mean "dryRun"?`,
    );
  });

  it('security-release --today=2024-02-30 and a missing --advisory', async () => {
    const out = await refused(w, securityRelease, { today: '2024-02-30' } as never);
    expect(out).toContain('error: release:security-release needs --advisory (The advisory id: the folder name under security/)');
    expect(out).toContain('error: --today=2024-02-30 is not a calendar day (February 2024 has 29 days)');
  });

  it('semver-check --bse: did you mean --base', async () => {
    const context = { ...w.context, projectName: 'wasmtime', targetName: 'semver-check' } as ExecutorContext;
    expect(await refused(w, semverCheck, { crate: 'wasmtime', bse: 'v5.0.0' } as never, context)).toContain(
      'error: wasmtime:semver-check: unknown flag --bse: did you mean --base?',
    );
  });
});

describe('release:publish and yank-old-rcs refuse bad flags before any registry call', () => {
  const tmp = tempDirs();
  let registry: LocalRegistry;
  let cargo: CargoHomeSetup;
  let dir: string;
  const FAST = { pollIntervalMs: 50, backoffMs: 100, rateLimits: 'none' as const };

  beforeAll(async () => {
    registry = await startLocalRegistry({ dir: tmp.make('strict-registry') });
    cargo = writeCargoConfig(registry, { cargoHome: tmp.make('strict-cargo-home') });
    dir = copySample(tmp.make('strict-publish'));
    writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: { registry: 'local' } }] }));
  });
  afterAll(async () => {
    await registry.stop();
    tmp.cleanup();
  });

  async function refusedPublish(run: Executor<object>, options: object, target = 'publish'): Promise<string> {
    const before = readFileSync(join(dir, 'Cargo.toml'), 'utf8');
    const r = await withEnv({ ...cargo.env, CARGO_NET_OFFLINE: 'false' }, () => captureOutput(() => run(options, executorContext(dir, target))));
    expect(r.success).toBe(false);
    expect(r.err).toContain('Nothing was done.');
    expect(registry.uploadAttempts().size).toBe(0);
    expect(registry.uploads().size).toBe(0);
    expect(readFileSync(join(dir, 'Cargo.toml'), 'utf8')).toBe(before);
    return r.err;
  }

  it('publish --dry_run (a typo) uploads nothing: did you mean --dry-run', async () => {
    expect(await refusedPublish(publish, { dry_run: true, ...FAST })).toContain('error: release:publish: unknown flag --dry_run: did you mean --dry-run?');
  });

  it('publish --concurency=2: did you mean --concurrency', async () => {
    expect(await refusedPublish(publish, { concurency: 2, ...FAST })).toContain(
      'error: release:publish: unknown flag --concurency: did you mean --concurrency?',
    );
  });

  it('publish --registry= (empty) is refused, not crates.io', async () => {
    const out = await refusedPublish(publish, { registry: '', ...FAST });
    expect(out).toContain('error: --registry= is empty: name a cargo registry (--registry=NAME');
    expect(out).not.toContain('crates.io (');
  });

  it('yank-old-rcs --registry= (empty) is refused', async () => {
    expect(await refusedPublish(yank, { registry: '' }, 'yank-old-rcs')).toContain('error: --registry= is empty');
  });

  it('publish --dry-run spelled right plans the upload (the registry is live)', async () => {
    const r = await withEnv({ ...cargo.env, CARGO_NET_OFFLINE: 'false' }, () =>
      captureOutput(() => publish({ dryRun: true, ...FAST }, executorContext(dir, 'publish'))),
    );
    expect(r.success).toBe(true);
    expect(r.out).toContain('would upload');
  });
});
