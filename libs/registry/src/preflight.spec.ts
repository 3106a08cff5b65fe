// Every check before the first upload, with real cargo and the local registry: a
// problem `cargo publish` would meet halfway through the release stops it while
// nothing is uploaded (the registry is asked), and the error names the crate, the
// cause and the fix.
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { commitAll, git, removeTempDirs } from '@crate-train/testing';
import { publishWorkspace } from './index';
import { resolveRegistry } from './cargo-config';
import { cargoPackagePreflight, PublishPreflightError } from './preflight';
import { planWorkspace } from './publish-workspace';
import { type PublishEvent } from './scheduler';
import { type PublishWorkspaceOptions } from './publish-workspace';
import { publishableSample, registryFixture, type RegistryFixture } from './testing/e2e-support';

afterAll(removeTempDirs);

function options(fx: RegistryFixture, root: string, extra: Partial<PublishWorkspaceOptions> = {}): PublishWorkspaceOptions {
  return { workspaceRoot: root, registry: 'local', env: fx.env, pollIntervalMs: 50, backoffMs: 100, concurrency: 4, rateLimits: 'none', ...extra };
}

/** The sample as a git repository with everything committed (cargo checks the tree against git). */
async function committedSample(): Promise<string> {
  const root = publishableSample();
  await git(root, 'init', '-q', '-b', 'main');
  await commitAll(root, 'Release Wasmtime 5.0.0');
  return root;
}

async function preflightError(p: Promise<unknown>): Promise<PublishPreflightError> {
  const e = await p.then(
    () => undefined,
    (err: Error) => err,
  );
  expect(e).toBeInstanceOf(PublishPreflightError);
  return e as PublishPreflightError;
}

/** Nothing reached the registry's upload endpoint, and it stored nothing. */
function expectNothingUploaded(fx: RegistryFixture): void {
  expect(fx.registry.requests().filter((r) => r.method === 'PUT')).toEqual([]);
  expect(fx.registry.uploadAttempts().size).toBe(0);
  expect(fx.registry.uploads().size).toBe(0);
}

describe('publish preflight', () => {
  let fx: RegistryFixture;
  beforeEach(async () => {
    fx = await registryFixture({ rateLimit: false, recordRequests: true });
  });
  afterEach(() => fx.stop());

  it('a dirty tree: names the crate, the changed file and the fix, uploads nothing; with allowDirty it publishes', async () => {
    const root = await committedSample();
    appendFileSync(join(root, 'crates/environ/src/lib.rs'), '// not committed\n');
    const err = await preflightError(publishWorkspace(options(fx, root)));
    expect(err.message).toBe(
      [
        'publish stopped before the first upload: 1 crate cannot be published, so nothing was uploaded',
        '  - wasmtime-environ 5.0.0: uncommitted changes in crates/environ/src/lib.rs — commit them, or pass --allow-dirty to publish the working files as they are',
        'Fix these and run publish again; crates already on the registry are skipped.',
      ].join('\n'),
    );
    expect(err.problems).toEqual([
      { crate: 'wasmtime-environ', version: '5.0.0', cause: 'uncommitted changes in crates/environ/src/lib.rs', fix: expect.stringContaining('--allow-dirty') },
    ]);
    expectNothingUploaded(fx);
    // The fix it names works.
    const { report } = await publishWorkspace(options(fx, root, { allowDirty: true }));
    expect(report.ok).toBe(true);
    expect(fx.registry.uploads().size).toBe(11);
  });

  it('a missing readme: names the crate, the file and the manifest key, uploads nothing', async () => {
    const root = await committedSample();
    rmSync(join(root, 'crates/wasmtime/README.md'));
    await commitAll(root, 'Lose a readme');
    const err = await preflightError(publishWorkspace(options(fx, root)));
    expect(err.message).toContain(
      '  - wasmtime 5.0.0: readme `README.md` does not exist (crates/wasmtime/README.md) — add crates/wasmtime/README.md, or point `readme` in crates/wasmtime/Cargo.toml at a file that exists',
    );
    expect(err.problems.map((p) => p.crate)).toEqual(['wasmtime']);
    expectNothingUploaded(fx);
  });

  it('names every problem, not only the first cargo meets: a dirty file, a missing readme and a missing license file in three crates', async () => {
    const root = await committedSample();
    const environ = join(root, 'crates/environ/Cargo.toml');
    writeFileSync(environ, readFileSync(environ, 'utf8').replace('license.workspace = true', 'license-file = "NO-SUCH-LICENSE"'));
    rmSync(join(root, 'crates/wasmtime/README.md'));
    await commitAll(root, 'Two broken manifests');
    appendFileSync(join(root, 'pulley/src/lib.rs'), '// not committed\n');
    const events: PublishEvent[] = [];
    const err = await preflightError(publishWorkspace(options(fx, root, { onEvent: (e) => events.push(e) })));
    expect(err.message.split('\n')[0]).toBe('publish stopped before the first upload: 3 crates cannot be published, so nothing was uploaded');
    expect(err.problems.map((p) => [p.crate, p.cause])).toEqual([
      ['pulley-interpreter', 'uncommitted changes in pulley/src/lib.rs'],
      ['wasmtime-environ', 'license-file `NO-SUCH-LICENSE` does not exist (crates/environ/NO-SUCH-LICENSE)'],
      ['wasmtime', 'readme `README.md` does not exist (crates/wasmtime/README.md)'],
    ]);
    expect(err.message).toContain('add crates/environ/NO-SUCH-LICENSE, or point `license-file` in crates/environ/Cargo.toml at a file that exists');
    // The preflight covered every crate to upload; no upload started.
    expect(events.find((e) => e.type === 'preflight')).toMatchObject({ crates: expect.arrayContaining(['wasmtime-cli', 'pulley-interpreter']) });
    expect(events.filter((e) => e.type === 'upload-start')).toEqual([]);
    expectNothingUploaded(fx);
  });

  it('a package over the registry’s size limit: names the crate, its size and the limit, uploads nothing', async () => {
    const root = await committedSample();
    const err = await preflightError(publishWorkspace(options(fx, root, { maxCrateBytes: 5 * 1024 })));
    expect(err.problems).toEqual([
      {
        crate: 'wasmtime-cli',
        version: '5.0.0',
        cause: expect.stringMatching(/^the package is \d+\.\d KiB; `local` accepts at most 5\.0 KiB$/),
        fix: 'leave files out with `include` or `exclude` in Cargo.toml (`cargo package --list -p wasmtime-cli` shows what goes in)',
      },
    ]);
    expectNothingUploaded(fx);
  });

  it('a re-run after a partial publish checks only what it will upload: a change in an already-published crate does not stop it', async () => {
    const root = await committedSample();
    const cargo = await run('cargo', ['publish', '--registry', 'local', '--no-verify', '-p', 'pulley-interpreter'], {
      cwd: root,
      env: fx.env,
      reject: false,
      timeoutMs: 120_000,
    });
    expect(cargo.exitCode).toBe(0);
    appendFileSync(join(root, 'pulley/src/lib.rs'), '// after 5.0.0 was published\n');
    const events: PublishEvent[] = [];
    const { report } = await publishWorkspace(options(fx, root, { onEvent: (e) => events.push(e) }));
    expect(report.ok).toBe(true);
    expect(report.alreadyPublished).toEqual(['pulley-interpreter']);
    expect(report.uploaded).toHaveLength(10);
    const preflight = events.find((e): e is Extract<PublishEvent, { type: 'preflight' }> => e.type === 'preflight')!;
    expect(preflight.crates).toHaveLength(10);
    expect(preflight.crates).not.toContain('pulley-interpreter');
    for (const [key, n] of fx.registry.uploadAttempts()) expect([key, n]).toEqual([key, 1]);
  });

  it('a dry run stays as it was: no packaging, the plan of a dirty tree, nothing uploaded', async () => {
    const root = await committedSample();
    appendFileSync(join(root, 'crates/environ/src/lib.rs'), '// not committed\n');
    const events: PublishEvent[] = [];
    const { report } = await publishWorkspace(options(fx, root, { dryRun: true, onEvent: (e) => events.push(e) }));
    expect(report.crates.every((c) => c.outcome === 'would-publish')).toBe(true);
    expect(events.map((e) => e.type)).not.toContain('preflight');
    expectNothingUploaded(fx);
  });

  it('the checks shared by several cargo runs: each problem named once, and every crate of a passing share checked (size)', async () => {
    const root = await committedSample();
    rmSync(join(root, 'crates/wasmtime/README.md'));
    await commitAll(root, 'A broken manifest');
    const crates = planWorkspace(root).crates;
    const registry = resolveRegistry({ name: 'local', cwd: root, env: fx.env });
    const check = (extra: { maxCrateBytes?: number }) =>
      cargoPackagePreflight({ workspaceRoot: root, registry, stateDir: join(root, 'target', 'preflight-test'), env: fx.env, checkRuns: 3, ...extra })(crates);
    const problems = await check({});
    expect(problems.map((p) => [p.crate, p.cause])).toEqual([['wasmtime', 'readme `README.md` does not exist (crates/wasmtime/README.md)']]);
    // A limit every package exceeds: each crate packaged by its share is measured, the broken one is not.
    const tooBig = await check({ maxCrateBytes: 1 });
    expect(new Set(tooBig.filter((p) => /the package is/.test(p.cause)).map((p) => p.crate))).toEqual(
      new Set(crates.map((c) => c.name).filter((n) => n !== 'wasmtime')),
    );
    expectNothingUploaded(fx);
  });
});
