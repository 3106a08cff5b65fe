// The direct uploader sends what `cargo publish` sends: for every crate of the sample
// workspace and of a workspace with every dependency shape, the `.crate` bytes are
// identical, the JSON metadata is identical (byte for byte, so deep-equal too), and the
// registry writes identical index lines. Both publish the same checkout (file times go
// into the package), each to its own registry.
import { run } from '@crate-train/proc';
import { indexFilePath, type CapturedPublish } from '@crate-train/local-registry';
import { makeTempDir, removeTempDirs } from '@crate-train/testing';
import { publishWorkspace } from './publish-workspace';
import { newCrateFromPackage, displayPlatform, displayVersionReq } from './publish-metadata';
import { SHAPE_CRATES, writeDependencyShapes } from './testing/dependency-shapes';
import { publishableSample, registryFixture, type RegistryFixture } from './testing/e2e-support';

afterAll(removeTempDirs);

interface Sent {
  json: string;
  crate: Buffer;
}

function byCrate(captures: CapturedPublish[]): Map<string, Sent> {
  const out = new Map<string, Sent>();
  for (const c of captures.filter((x) => x.status === 200)) {
    const m = JSON.parse(c.json) as { name: string; vers: string };
    out.set(`${m.name}@${m.vers}`, { json: c.json, crate: c.crate });
  }
  return out;
}

async function indexFile(fx: RegistryFixture, name: string): Promise<string> {
  const r = await fetch(`${fx.registry.url}/index/${indexFilePath(name)}`);
  expect(r.status).toBe(200);
  return r.text();
}

/** cargo publish --workspace to one registry, crate-train (direct uploads) to another, from the same checkout. */
async function publishBoth(
  root: string,
  crateList: false | undefined,
): Promise<{ cargo: Map<string, Sent>; ours: Map<string, Sent>; fxCargo: RegistryFixture; fxOurs: RegistryFixture }> {
  const fxCargo = await registryFixture({ rateLimit: false, capturePublishes: true });
  const fxOurs = await registryFixture({ rateLimit: false, capturePublishes: true });
  await run('git', ['init', '-q'], { cwd: root });
  await run('git', ['add', '-A'], { cwd: root });
  await run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'shapes'], { cwd: root });
  await run('cargo', ['publish', '--workspace', '--no-verify', '--registry', 'local'], { cwd: root, env: fxCargo.env, timeoutMs: 170_000 });
  const { report } = await publishWorkspace({
    workspaceRoot: root,
    registry: 'local',
    env: fxOurs.env,
    crateList,
    pollIntervalMs: 20,
    rateLimits: 'none',
    uploader: 'direct',
    // Outside the checkout: the packages are made from a clean tree, as cargo's were.
    stateDir: makeTempDir('payload-state'),
  });
  expect(report.failed).toEqual([]);
  expect(report.ok).toBe(true);
  return { cargo: byCrate(fxCargo.registry.captures()), ours: byCrate(fxOurs.registry.captures()), fxCargo, fxOurs };
}

async function expectSamePayloads(root: string, crateList: false | undefined, expected: string[], check?: (cargo: Map<string, Sent>) => void): Promise<void> {
  const { cargo, ours, fxCargo, fxOurs } = await publishBoth(root, crateList);
  try {
    check?.(cargo);
    expect([...ours.keys()].sort()).toEqual([...cargo.keys()].sort());
    expect([...ours.keys()].map((k) => k.split('@')[0]).sort()).toEqual([...expected].sort());
    for (const [key, theirs] of cargo) {
      const mine = ours.get(key)!;
      expect([key, mine.crate.equals(theirs.crate)]).toEqual([key, true]);
      expect(JSON.parse(mine.json)).toEqual(JSON.parse(theirs.json));
      expect([key, mine.json]).toEqual([key, theirs.json]);
      const name = key.split('@')[0];
      expect([key, await indexFile(fxOurs, name)]).toEqual([key, await indexFile(fxCargo, name)]);
    }
  } finally {
    await fxCargo.stop();
    await fxOurs.stop();
  }
}

describe('the direct uploader sends what cargo publish sends', () => {
  it('for every crate of the sample workspace', async () => {
    const root = publishableSample();
    await expectSamePayloads(root, undefined, [
      'cranelift-codegen',
      'cranelift-codegen-meta',
      'cranelift-entity',
      'pulley-interpreter',
      'wasmtime',
      'wasmtime-cli',
      'wasmtime-cli-flags',
      'wasmtime-environ',
      'wasmtime-fiber',
      'wasmtime-wasi',
      'winch-codegen',
    ]);
  });

  it('for every dependency shape: renamed, target-specific, optional, build, dev with and without version, features, links', async () => {
    const root = writeDependencyShapes(makeTempDir('shapes'));
    await expectSamePayloads(root, false, SHAPE_CRATES, (cargo) => {
      // The shapes are really in what cargo sent.
      const top = JSON.parse(cargo.get('shape-top@0.1.0')!.json) as { deps: Array<Record<string, unknown>>; links: string; readme: string };
      const deps = top.deps.map((d) => `${d.kind} ${d.explicit_name_in_toml ?? d.name} ${d.version_req} ${d.target ?? '-'}${d.optional ? ' optional' : ''}`);
      expect(deps).toEqual([
        'normal base2 ^0.1.0 -',
        'normal shape-plat ~0.1.0 -',
        'normal shape-util ^0.1.0 - optional',
        'dev shape-util 0.1.* -',
        'build shape-base =0.1.0 -',
        'normal plat-unix ^0.1 cfg(all(unix, not(target_os = "macos")))',
        'build shape-plat ^0.1.0 cfg(windows)',
        'dev shape-util ^0.1.0 cfg(windows)',
        'normal shape-base ^0.1.0 x86_64-unknown-linux-gnu optional',
      ]);
      expect(top.links).toBe('shapetop');
      expect(top.readme).toContain('The workspace readme');
      const base = JSON.parse(cargo.get('shape-base@0.1.0')!.json) as Record<string, unknown>;
      expect(base).toMatchObject({ license_file: 'LICENSE', rust_version: '1.70', badges: { maintenance: { status: 'actively-developed' } } });
    });
  });
});

describe('publish metadata details', () => {
  it('prints version requirements as semver does', () => {
    expect(displayVersionReq('1.2.3')).toBe('^1.2.3');
    expect(displayVersionReq('>= 0.1, < 0.2')).toBe('>=0.1, <0.2');
    expect(displayVersionReq('0.1.*')).toBe('0.1.*');
    expect(displayVersionReq('1.x')).toBe('1.*');
    expect(displayVersionReq('*')).toBe('*');
    expect(displayVersionReq('=1.0.0-rc.1')).toBe('=1.0.0-rc.1');
    expect(displayVersionReq('~1')).toBe('~1');
  });

  it('prints cfg() targets as cargo does', () => {
    expect(displayPlatform('cfg(all(unix,not(target_os="macos")))')).toBe('cfg(all(unix, not(target_os = "macos")))');
    expect(displayPlatform('x86_64-unknown-linux-gnu')).toBe('x86_64-unknown-linux-gnu');
  });

  it('refuses a file that is not a package, saying so', () => {
    expect(() => newCrateFromPackage(Buffer.from('not a crate'), { indexUrl: 'sparse+http://x/', isCratesIo: false })).toThrow(/not a gzip'd \.crate/);
  });
});
