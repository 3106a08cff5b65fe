// The sample workspace is what every end-to-end test stands on: prove cargo
// accepts it offline, that its members are the ones the docs promise, and that
// it keeps Wasmtime's crate-list rules.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run } from '@crate-train/proc';

const SAMPLE = join(__dirname, '..');

interface Dep {
  name: string;
  rename: string | null;
  kind: 'dev' | 'build' | null;
  target: string | null;
  req: string;
  path?: string;
}
interface Pkg {
  name: string;
  version: string;
  manifest_path: string;
  publish: string[] | null;
  dependencies: Dep[];
}

const EXPECTED_MEMBERS: Record<string, [dir: string, version: string]> = {
  'wasmtime-cli': ['.', '5.0.0'],
  wasmtime: ['crates/wasmtime', '5.0.0'],
  'wasmtime-wasi': ['crates/wasi', '5.0.0'],
  'wasmtime-environ': ['crates/environ', '5.0.0'],
  'wasmtime-fiber': ['crates/fiber', '5.0.0'],
  'wasmtime-cli-flags': ['crates/cli-flags', '5.0.0'],
  'wasmtime-c-api': ['crates/c-api', '5.0.0'],
  'wasmtime-test-util': ['crates/test-util', '5.0.0'],
  'cranelift-entity': ['cranelift/entity', '0.92.0'],
  'cranelift-codegen-meta': ['cranelift/codegen/meta', '0.92.0'],
  'cranelift-codegen': ['cranelift/codegen', '0.92.0'],
  'winch-codegen': ['winch/codegen', '0.3.0'],
  'pulley-interpreter': ['pulley', '5.0.0'],
};

/** The string literals of `const NAME: &[&str] = &[ ... ];` (comments dropped). */
function rustArray(source: string, name: string): string[] {
  const m = new RegExp(`const ${name}: &\\[&str\\] = &\\[([\\s\\S]*?)\\];`).exec(source);
  if (!m) throw new Error(`scripts/publish.rs has no ${name}`);
  const body = m[1].replace(/\/\/[^\n]*/g, '');
  return [...body.matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}

describe('sample workspace', () => {
  let packages: Pkg[];
  let targetDir: string;

  beforeAll(async () => {
    targetDir = mkdtempSync(join(tmpdir(), 'crate-train-sample-target-'));
    const { stdout } = await run('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline'], {
      cwd: SAMPLE,
    });
    packages = JSON.parse(stdout).packages;
  });
  afterAll(() => rmSync(targetDir, { recursive: true, force: true }));

  it('has exactly the expected members (the excluded folder is not one)', () => {
    const found = Object.fromEntries(
      packages.map((p) => [p.name, [relative(SAMPLE, join(p.manifest_path, '..')) || '.', p.version]]),
    );
    expect(found).toEqual(EXPECTED_MEMBERS);
    expect(packages.some((p) => p.manifest_path.includes('fuzz-excluded'))).toBe(false);
  });

  it('has the dependency shapes other tests rely on', () => {
    const dep = (from: string, to: string) =>
      packages.find((p) => p.name === from)!.dependencies.filter((d) => d.name === to);
    expect(dep('winch-codegen', 'cranelift-codegen')).toMatchObject([{ rename: 'codegen', kind: null }]);
    expect(dep('wasmtime-environ', 'cranelift-entity')).toMatchObject([{ rename: 'entity', req: '=0.92.0' }]);
    expect(dep('wasmtime', 'wasmtime-fiber')).toMatchObject([{ target: 'cfg(unix)', req: '=5.0.0' }]);
    expect(dep('cranelift-codegen', 'cranelift-codegen-meta')).toMatchObject([{ kind: 'build' }]);
    // The dev-dependency cycle: wasmtime -(dev)-> test-util -> wasmtime.
    expect(dep('wasmtime', 'wasmtime-test-util')).toMatchObject([{ kind: 'dev', req: '*' }]);
    expect(dep('wasmtime-test-util', 'wasmtime')).toMatchObject([{ kind: null }]);
  });

  it('keeps the crate-list rules of scripts/publish.rs', () => {
    const src = readFileSync(join(SAMPLE, 'scripts/publish.rs'), 'utf8');
    const toPublish = rustArray(src, 'CRATES_TO_PUBLISH');
    const pub = new Set(rustArray(src, 'PUBLIC_CRATES'));
    expect([...pub]).toEqual(['wasmtime', 'wasmtime-wasi', 'wasmtime-cli']);
    const byName = new Map(packages.map((p) => [p.name, p]));
    const published = new Set(packages.filter((p) => p.publish === null).map((p) => p.name));
    expect([...published].sort()).toEqual([...toPublish].sort());
    for (const name of toPublish) {
      const pkg = byName.get(name)!;
      for (const d of pkg.dependencies) {
        const target = byName.get(d.name);
        if (!target) continue;
        if (d.kind === 'dev' && d.req === '*') continue; // path-only dev-dep: stripped on publish
        const where = `${name} -> ${d.name}`;
        // A published crate never needs an unpublished one to build.
        expect(`${where}: ${published.has(d.name)}`).toBe(`${where}: true`);
        const wanted = pub.has(d.name) ? target.version : `=${target.version}`;
        expect(`${where}: ${d.req}`).toBe(`${where}: ${pub.has(d.name) ? '^' : ''}${wanted}`);
      }
      // Dependency order: every published dependency comes earlier in the list.
      for (const d of pkg.dependencies.filter((x) => x.kind !== 'dev' && published.has(x.name))) {
        expect(toPublish.indexOf(d.name)).toBeLessThan(toPublish.indexOf(name));
      }
    }
  });

  it('the C header carries the workspace version', () => {
    const h = readFileSync(join(SAMPLE, 'crates/c-api/include/wasmtime.h'), 'utf8');
    expect(h).toContain('#define WASMTIME_VERSION "5.0.0"');
    expect(h).toMatch(/#define WASMTIME_VERSION_MAJOR 5\n[\s\S]*#define WASMTIME_VERSION_MINOR 0\n[\s\S]*#define WASMTIME_VERSION_PATCH 0\n/);
  });

  it('the committed Cargo.lock is current (cargo metadata --locked --offline)', async () => {
    const r = await run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline'], { cwd: SAMPLE });
    expect(JSON.parse(r.stdout).workspace_members).toHaveLength(Object.keys(EXPECTED_MEMBERS).length);
  });

  it('cargo check --offline --workspace succeeds', async () => {
    const r = await run('cargo', ['check', '--offline', '--workspace', '--all-targets'], {
      cwd: SAMPLE,
      env: { CARGO_TARGET_DIR: targetDir },
    });
    expect(r.stderr).toMatch(/Finished/);
    expect(r.stderr).not.toMatch(/^warning/m);
  });
});
