import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspace } from '@crate-train/cargo';
import { readCrateList } from '@crate-train/crate-list';
import { copySample, removeTempDirs, SAMPLE_DIR, makeTempDir } from '@crate-train/testing';
import { planPublish, PublishPlanError } from './plan';
import { planWorkspace, RateBudget } from './index';
import { supersededRcs } from './yank';
import { otherRegistryTokenVars, resolveRegistry, RegistryConfigError, withoutRegistryTokens } from './cargo-config';
import { classifyCargoFailure } from './cargo-publish';
import { diagnosePackageFailure } from './preflight';
import { parseTryAgainAfter, retryAfterMs } from './http';

afterAll(removeTempDirs);

describe('publish plan of the sample workspace', () => {
  const plan = planWorkspace(SAMPLE_DIR);
  const pos = new Map(plan.crates.map((c, i) => [c.name, i]));

  it('publishes exactly CRATES_TO_PUBLISH, dependencies first', () => {
    const list = readCrateList(SAMPLE_DIR).cratesToPublish;
    expect([...pos.keys()].sort()).toEqual([...list].sort());
    for (const c of plan.crates) for (const d of c.deps) expect(pos.get(d)!).toBeLessThan(pos.get(c.name)!);
  });

  it('counts normal and build deps, ignores path-only dev-deps (the test-util cycle)', () => {
    const codegen = plan.crates.find((c) => c.name === 'cranelift-codegen')!;
    // cranelift-codegen-meta is a build-dependency, pulley-interpreter a normal one.
    expect(codegen.deps).toEqual(expect.arrayContaining(['cranelift-codegen-meta', 'pulley-interpreter', 'cranelift-entity']));
    const wasmtime = plan.crates.find((c) => c.name === 'wasmtime')!;
    expect(wasmtime.deps).not.toContain('wasmtime-test-util');
    expect(pos.has('wasmtime-test-util')).toBe(false);
    // The renamed dep (`codegen` = cranelift-codegen) is an edge too.
    expect(plan.crates.find((c) => c.name === 'winch-codegen')!.deps).toContain('cranelift-codegen');
  });

  it('puts each crate one wave after its deepest dependency and ranks the critical path first', () => {
    for (const c of plan.crates) {
      const deepest = Math.max(-1, ...c.deps.map((d) => plan.crates.find((x) => x.name === d)!.wave));
      expect(c.wave).toBe(deepest + 1);
    }
    expect(plan.waves[0]).toEqual(expect.arrayContaining(['cranelift-entity', 'pulley-interpreter']));
    expect(plan.waves[plan.waves.length - 1]).toEqual(['wasmtime-cli']);
    const entity = plan.crates.find((c) => c.name === 'cranelift-entity')!;
    const fiber = plan.crates.find((c) => c.name === 'wasmtime-fiber')!;
    expect(entity.chain).toBeGreaterThan(fiber.chain);
  });
});

describe('plan against a disagreeing CRATES_TO_PUBLISH', () => {
  function sampleWith(edit: (dir: string) => void): string {
    const dir = copySample();
    edit(dir);
    return dir;
  }
  const editList = (dir: string, f: (s: string) => string) => {
    const p = join(dir, 'scripts/publish.rs');
    writeFileSync(p, f(readFileSync(p, 'utf8')));
  };

  it('refuses a publishable crate missing from the list; skips stale names and publish = false ones with warnings, as publish.rs does', () => {
    const dir = sampleWith((d) => editList(d, (s) => s.replace('"wasmtime-fiber",', '"wasmtime-fibre",\n    "wasmtime-test-util",')));
    let err: PublishPlanError | undefined;
    try {
      planWorkspace(dir);
    } catch (e) {
      err = e as PublishPlanError;
    }
    expect(err).toBeInstanceOf(PublishPlanError);
    expect(err!.problems).toEqual([
      expect.stringMatching(/crates\/fiber\/Cargo.toml: crate `wasmtime-fiber` is publishable but not in CRATES_TO_PUBLISH/),
      expect.stringMatching(/crates\/wasmtime\/Cargo.toml: dependency `wasmtime-fiber` on `wasmtime-fiber`: `wasmtime-fiber` is not in CRATES_TO_PUBLISH/),
    ]);
    // With wasmtime-fiber back in the list, the stale name and the publish = false entry only warn.
    editList(dir, (s) => s.replace('"wasmtime-fibre",', '"wasmtime-fiber",\n    "wasmtime-fibre",'));
    const plan = planWorkspace(dir);
    expect(plan.warnings.join('\n')).toMatch(/lists `wasmtime-fibre`, which is not a crate of the workspace: skipped/);
    expect(plan.warnings.join('\n')).toMatch(/lists `wasmtime-test-util`, but crates\/test-util\/Cargo.toml has `publish = false`: not published/);
    expect(plan.crates.map((c) => c.name)).not.toContain('wasmtime-test-util');
  });

  it('publishes only the crates under the find_crates folders of the list (Wasmtime 24.0.x does not walk pulley/)', () => {
    const dir = sampleWith((d) => editList(d, (s) => s.replace('    find_crates("pulley".as_ref(), &ws, &mut crates);\n', '')));
    const names = planWorkspace(dir).crates.map((c) => c.name);
    expect(names).toContain('wasmtime-cli'); // the root package is always governed
    expect(names).toContain('cranelift-codegen');
    expect(names.filter((n) => n.startsWith('pulley'))).toEqual([]);
    expect(planWorkspace(SAMPLE_DIR).crates.map((c) => c.name)).toContain('pulley-interpreter');
  });

  it('warns when the list puts a crate before its dependency, and still orders correctly', () => {
    const dir = sampleWith((d) =>
      editList(d, (s) => s.replace('    "cranelift-entity",\n', '').replace('"wasmtime-cli",', '"wasmtime-cli",\n    "cranelift-entity",')),
    );
    const plan = planWorkspace(dir);
    expect(plan.warnings.join('\n')).toMatch(/lists `cranelift-codegen` before its dependency `cranelift-entity`/);
    expect(plan.crates.findIndex((c) => c.name === 'cranelift-entity')).toBeLessThan(plan.crates.findIndex((c) => c.name === 'cranelift-codegen'));
  });

  it('refuses a versioned dev-dependency on a publish = false crate, and a path dependency without version', () => {
    const dir = sampleWith((d) => {
      const p = join(d, 'crates/wasi/Cargo.toml');
      writeFileSync(p, readFileSync(p, 'utf8') + '\n[dev-dependencies]\nwasmtime-test-util = { path = "../test-util", version = "5.0.0" }\n');
      const f = join(d, 'crates/fiber/Cargo.toml');
      writeFileSync(f, readFileSync(f, 'utf8') + '\n[dependencies]\nwasmtime-environ = { path = "../environ" }\n');
    });
    const ws = readWorkspace(dir);
    const plan = () => planPublish(ws, { cratesToPublish: readCrateList(dir).cratesToPublish });
    expect(plan).toThrow(/crates\/wasi\/Cargo.toml: dev-dependency `wasmtime-test-util` on `wasmtime-test-util`: `wasmtime-test-util` has `publish = false`/);
    expect(plan).toThrow(
      /crates\/fiber\/Cargo.toml: dependency `wasmtime-environ` on `wasmtime-environ` has no version; cargo publish needs `version = "5.0.0"`/,
    );
  });
});

describe('registry resolution as cargo does it', () => {
  function setup(files: Record<string, string>): string {
    const dir = makeTempDir('regcfg');
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
    return dir;
  }

  it('prefers the workspace .cargo/config.toml over CARGO_HOME, and the env var over both', () => {
    const dir = setup({
      'home/config.toml': '[registries.corp]\nindex = "sparse+https://home.example/index/"\n',
      'ws/.cargo/config.toml': '[registries.corp]\nindex = "sparse+https://ws.example/index/"\n',
    });
    const base = { CARGO_HOME: join(dir, 'home') };
    const r = resolveRegistry({ name: 'corp', cwd: join(dir, 'ws'), env: { ...base, CARGO_REGISTRIES_CORP_TOKEN: 'tok-corp-1234' } });
    expect(r.indexUrl).toBe('sparse+https://ws.example/index/');
    expect(r.source).toBe(join(dir, 'ws/.cargo/config.toml'));
    expect(r.passRegistryFlag).toBe(true);
    expect(r.token).toBe('tok-corp-1234');
    expect(r.cargoEnv()).toEqual({ CARGO_REGISTRIES_CORP_TOKEN: 'tok-corp-1234' });
    // The token never shows in JSON or in a string.
    expect(JSON.stringify(r)).not.toContain('tok-corp-1234');
    expect(`${JSON.stringify(r.toJSON())}`).toContain('"hasToken":true');
    const fromHome = resolveRegistry({ name: 'corp', cwd: dir, env: base });
    expect(fromHome.indexUrl).toBe('sparse+https://home.example/index/');
    const fromEnv = resolveRegistry({ name: 'corp', cwd: join(dir, 'ws'), env: { ...base, CARGO_REGISTRIES_CORP_INDEX: 'sparse+https://env.example/' } });
    expect(fromEnv.indexUrl).toBe('sparse+https://env.example/');
  });

  it('never hands CARGO_REGISTRY_TOKEN (crates.io’s) to a named registry: only CARGO_REGISTRIES_<NAME>_TOKEN, as cargo', () => {
    const dir = setup({ 'home/config.toml': '[registries.my-reg]\nindex = "sparse+http://127.0.0.1:1/index/"\n' });
    const home = join(dir, 'home');
    const r = resolveRegistry({ name: 'my-reg', cwd: dir, env: { CARGO_HOME: home, CARGO_REGISTRY_TOKEN: 'crates-io-token-5678' } });
    expect(r.tokenEnvVar).toBe('CARGO_REGISTRIES_MY_REG_TOKEN');
    expect(r.token).toBeUndefined();
    expect(r.cargoEnv()).toEqual({});
    expect(otherRegistryTokenVars(r, { CARGO_REGISTRY_TOKEN: 'crates-io-token-5678', CARGO_REGISTRIES_OTHER_TOKEN: 'o' })).toEqual([
      'CARGO_REGISTRIES_OTHER_TOKEN',
      'CARGO_REGISTRY_TOKEN',
    ]);
    const own = resolveRegistry({
      name: 'my-reg',
      cwd: dir,
      env: { CARGO_HOME: home, CARGO_REGISTRY_TOKEN: 'crates-io-token-5678', CARGO_REGISTRIES_MY_REG_TOKEN: 'my-reg-token-1' },
    });
    expect(own.cargoEnv()).toEqual({ CARGO_REGISTRIES_MY_REG_TOKEN: 'my-reg-token-1' });
    // And a named registry's token never goes to crates.io.
    const io = resolveRegistry({ cwd: dir, env: { CARGO_HOME: join(dir, 'nowhere'), CARGO_REGISTRIES_MY_REG_TOKEN: 'my-reg-token-1' } });
    expect(io.isCratesIo).toBe(true);
    expect(io.token).toBeUndefined();
    // A cargo child starts from an environment without any registry token; cargoEnv() adds back its own.
    expect(withoutRegistryTokens({ PATH: '/bin', CARGO_REGISTRY_TOKEN: 'a', CARGO_REGISTRIES_MY_REG_TOKEN: 'b', CARGO_HOME: home })).toEqual({
      PATH: '/bin',
      CARGO_HOME: home,
    });
  });

  it('defaults to registry.default, then crates.io', () => {
    const dir = setup({ 'home/config.toml': '[registry]\ndefault = "corp"\n[registries.corp]\nindex = "sparse+https://corp.example/"\n' });
    expect(resolveRegistry({ cwd: dir, env: { CARGO_HOME: join(dir, 'home') } }).indexUrl).toBe('sparse+https://corp.example/');
    const io = resolveRegistry({ cwd: dir, env: { CARGO_HOME: join(dir, 'nowhere'), CARGO_REGISTRY_TOKEN: 'x' } });
    expect(io.isCratesIo).toBe(true);
    expect(io.indexUrl).toBe('sparse+https://index.crates.io/');
    expect(io.passRegistryFlag).toBe(false);
  });

  it('explains an unknown registry and a git index', () => {
    const dir = setup({ 'home/config.toml': '[registries.old]\nindex = "https://git.example/index.git"\n' });
    const env = { CARGO_HOME: join(dir, 'home') };
    expect(() => resolveRegistry({ name: 'nope', cwd: dir, env })).toThrow(RegistryConfigError);
    expect(() => resolveRegistry({ name: 'nope', cwd: dir, env })).toThrow(/registry `nope` is not configured: add `\[registries.nope\] index/);
    expect(() => resolveRegistry({ name: 'old', cwd: dir, env })).toThrow(/uses a git index/);
  });
});

describe('reading cargo and registry answers', () => {
  it('classifies cargo publish failures', () => {
    expect(classifyCargoFailure('error: crate foo@1.0.0 already exists on `local` index', false).kind).toBe('already-exists');
    expect(
      classifyCargoFailure('the remote server responded with an error (status 400 Bad Request): crate version `1.0.0` is already uploaded', true).kind,
    ).toBe('already-exists');
    const rl = classifyCargoFailure(
      'the remote server responded with an error (status 429 Too Many Requests): You have published too many new crates in a short period of time. Please try again after Wed, 07 Oct 2026 17:17:34 GMT and see https://crates.io/docs/rate-limits for more details.',
      true,
    );
    expect(rl).toMatchObject({ kind: 'rate-limited', retryAt: Date.parse('2026-10-07T17:17:34Z') });
    expect(classifyCargoFailure('failed to get successful HTTP response from `http://x/index/fo/o-/foo-a` (127.0.0.1), got 500', false).kind).toBe('transient');
    // An index fetch answered 429 is not the publish rate limit.
    expect(
      classifyCargoFailure(
        'failed to get successful HTTP response from `http://x/index/config.json` (127.0.0.1), got 429\nbody: Please try again after Wed, 07 Oct 2026 17:17:34 GMT',
        false,
      ).kind,
    ).toBe('transient');
    expect(
      classifyCargoFailure('error: failed to select a version for the requirement `foo = "=1.0.0"`\ncandidate versions found which didn\'t match: 0.9.0', false)
        .kind,
    ).toBe('dependency-missing');
    expect(classifyCargoFailure('error: readme `README.md` does not appear to exist', false).kind).toBe('fatal');
  });

  it('tells a rejected token (stops the run) from a 403 about one crate (fails that crate)', () => {
    const cargo = (status: string, detail: string) =>
      `error: failed to publish foo v1.0.0 to registry at https://crates.io\n\nCaused by:\n  the remote server responded with an error (status ${status}): ${detail}`;
    expect(classifyCargoFailure(cargo('403 Forbidden', 'this action requires authentication'), true)).toEqual({
      kind: 'unauthorized',
      message: '403 Forbidden: this action requires authentication',
    });
    expect(classifyCargoFailure(cargo('401 Unauthorized', 'expired'), true)).toEqual({ kind: 'unauthorized', message: '401 Unauthorized: expired' });
    expect(classifyCargoFailure(cargo('403 Forbidden', 'this token does not have the required permissions to perform this action'), true).kind).toBe(
      'unauthorized',
    );
    expect(classifyCargoFailure('error: no token found for `local`, please run `cargo login --registry local`', false).kind).toBe('unauthorized');
    expect(
      classifyCargoFailure(
        cargo(
          '403 Forbidden',
          "this crate exists but you don't seem to be an owner. If you believe this is a mistake, perhaps you need to accept an invitation to be an owner before publishing.",
        ),
        true,
      ).kind,
    ).toBe('fatal');
    expect(
      classifyCargoFailure(cargo('403 Forbidden', 'Trusted Publishing tokens do not support creating new crates. Publish the crate manually, first'), true)
        .kind,
    ).toBe('fatal');
  });

  it('reads cargo package failures as a crate, a cause and a fix', () => {
    const c = { name: 'wasmtime', version: '5.0.0', root: 'crates/wasmtime', deps: [], dependents: [], wave: 0, chain: 0, listIndex: 0 };
    const ctx = { root: '/ws', registry: 'local', alsoPublished: new Set(['wasmtime-environ']), lockfileResolved: true };
    // A dependency of this release is not on the registry yet: for the upload to wait on (packaged with a lockfile, by an old cargo).
    expect(
      diagnosePackageFailure(
        c,
        'error: failed to prepare local package for uploading\n\nCaused by:\n  no matching package named `wasmtime-environ` found',
        ctx,
      ),
    ).toBeUndefined();
    expect(
      diagnosePackageFailure(c, 'error: failed to prepare local package for uploading\n\nCaused by:\n  no matching package named `anyhoww` found', ctx),
    ).toMatchObject({
      crate: 'wasmtime',
      cause: 'its dependency `anyhoww` cannot be resolved on `local`: no matching package named `anyhoww` found',
      fix: 'publish `anyhoww` first or fix the requirement in crates/wasmtime/Cargo.toml',
    });
    expect(
      diagnosePackageFailure(c, 'error: `wasmtime` cannot be packaged.\nThe registry `local` is not listed in the `package.publish` value in Cargo.toml.', ctx),
    ).toMatchObject({
      cause: 'crates/wasmtime/Cargo.toml does not allow publishing to `local` (`package.publish`)',
      fix: 'add "local" to `publish` in crates/wasmtime/Cargo.toml, or publish to a registry it lists',
    });
    expect(diagnosePackageFailure(c, 'warning: x\nerror: something new in /ws/crates/wasmtime/src/lib.rs', ctx)).toEqual({
      crate: 'wasmtime',
      version: '5.0.0',
      cause: 'cargo package failed: something new in crates/wasmtime/src/lib.rs',
      fix: 'fix what cargo reports (`cargo package -p wasmtime --no-verify` shows it in full), then run publish again',
    });
  });

  it('reads Retry-After as a date, as seconds, or from crates.io’s message', () => {
    const now = Date.parse('2026-10-07T17:17:00Z');
    expect(retryAfterMs('Wed, 07 Oct 2026 17:17:34 GMT', '', now)).toBe(34_000);
    expect(retryAfterMs('5', '', now)).toBe(5000);
    expect(retryAfterMs(null, '{"errors":[{"detail":"... Please try again after Wed, 07 Oct 2026 17:17:10 GMT and see"}]}', now)).toBe(10_000);
    expect(parseTryAgainAfter('nothing here')).toBeUndefined();
  });

  it('paces uploads like crates.io: the burst at once, then one per period, and learns from a 429', () => {
    const b = new RateBudget({ 'publish-new': { burst: 2, periodMs: 1000 } });
    const t = 1_000_000;
    expect(b.nextSlot('publish-new', t)).toBe(t);
    b.take('publish-new', t);
    b.take('publish-new', t);
    expect(b.nextSlot('publish-new', t + 10)).toBe(t + 1000);
    // An unmodelled action is free until a 429 says otherwise.
    expect(b.nextSlot('publish-update', t)).toBe(t);
    b.learn429('publish-update', t + 5000);
    expect(b.nextSlot('publish-update', t)).toBe(t + 5000);
    expect(RateBudget.floorMs({ burst: 30, periodMs: 60_000 }, 60)).toBe(30 * 60_000);
  });

  it('finds release candidates superseded by a newer release', () => {
    const v = (num: string, yanked = false) => ({ num, yanked });
    expect(supersededRcs([v('6.0.0-rc.1'), v('6.0.0-rc.2'), v('6.0.0'), v('7.0.0-rc.1'), v('5.0.0-rc.1', true)], '6.0.0')).toEqual([
      { version: '6.0.0-rc.1', supersededBy: '6.0.0' },
      { version: '6.0.0-rc.2', supersededBy: '6.0.0' },
    ]);
    expect(supersededRcs([v('7.0.0-rc.1'), v('7.0.0-rc.2')], '6.0.0')).toEqual([]);
  });
});
