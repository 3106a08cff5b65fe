// The synthetic workspaces stand in for large real ones in scale tests and
// benchmarks, so what the generator says it wrote must be what cargo sees.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from '@crate-train/proc';
import { cargoMetadata, makeTempDir, removeTempDirs, SHARED_CARGO_TARGET_DIR, type CargoMetadata } from '@crate-train/testing';
import { generateSyntheticWorkspace, type SyntheticInfo } from './index';

afterAll(removeTempDirs);

/** The string literals of `const NAME: &[&str] = &[ ... ];` (comments dropped). */
function rustArray(source: string, name: string): string[] {
  const m = new RegExp(`const ${name}: &\\[&str\\] = &\\[([\\s\\S]*?)\\];`).exec(source);
  if (!m) throw new Error(`no ${name}`);
  return [...m[1].replace(/\/\/[^\n]*/g, '').matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('generateSyntheticWorkspace, 300 crates', () => {
  let info: SyntheticInfo;
  let meta: CargoMetadata;

  beforeAll(async () => {
    info = generateSyntheticWorkspace(join(makeTempDir('synth'), 'ws'), { crates: 300, layers: 8, seed: 7 });
    meta = await cargoMetadata(info.dir);
  });

  it('cargo metadata lists exactly the generated crates, folders and versions', () => {
    const fromCargo = meta.packages.map((p) => `${p.name} ${relative(info.dir, join(p.manifest_path, '..')) || '.'} ${p.version}`).sort();
    expect(fromCargo).toEqual(info.crates.map((c) => `${c.name} ${c.dir} ${c.version}`).sort());
    expect(info.crates).toHaveLength(301);
    expect(meta.workspace_members).toHaveLength(301);
    expect(meta.packages.some((p) => p.manifest_path.includes(info.excluded[0]))).toBe(false);
    expect(new Set(info.crates.map((c) => c.version))).toEqual(new Set(['12.0.0', '0.89.0']));
  });

  it('cargo metadata reports exactly the generated path-dependency edges, by kind, target and rename', () => {
    const fromCargo = meta.packages
      .flatMap((p) => p.dependencies.filter((d) => d.path !== undefined).map((d) => `${p.name} -> ${d.name} ${d.kind ?? 'normal'} ${d.target} ${d.rename}`))
      .sort();
    const expected = info.edges.map((e) => `${e.from} -> ${e.to} ${e.kind} ${e.target} ${e.rename}`).sort();
    expect(fromCargo).toEqual(expected);
    // Every form and kind shows up at this size.
    expect(new Set(info.edges.map((e) => e.form))).toEqual(
      new Set(['inline', 'workspace', 'workspace-features', 'dotted', 'renamed-inline', 'renamed-workspace', 'table', 'path-only']),
    );
    expect(new Set(info.edges.map((e) => `${e.kind}${e.target ? ' ' + e.target : ''}`))).toEqual(new Set(['normal', 'normal cfg(unix)', 'build', 'dev']));
  });

  it('has the requested depth and a few dev-dependency cycles', () => {
    const deps = new Map<string, string[]>();
    for (const e of info.edges.filter((x) => x.kind !== 'dev')) deps.set(e.from, [...(deps.get(e.from) ?? []), e.to]);
    const depth = new Map<string, number>();
    const longest = (n: string): number => {
      if (!depth.has(n)) depth.set(n, Math.max(0, ...(deps.get(n) ?? []).map((d) => longest(d) + 1)));
      return depth.get(n)!;
    };
    expect(longest(info.rootCrate)).toBe(8);
    expect(info.layers).toHaveLength(9);
    expect(info.layers[8]).toEqual([info.rootCrate]);
    const normal = new Set(info.edges.filter((e) => e.kind !== 'dev').map((e) => `${e.from}>${e.to}`));
    const cycles = info.edges.filter((e) => e.kind === 'dev' && normal.has(`${e.to}>${e.from}`));
    expect(cycles.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the crate-list rules: list order, exact pins on internal crates, plain requirements on public ones', () => {
    const src = readFileSync(join(info.dir, 'scripts/publish.rs'), 'utf8');
    const list = rustArray(src, 'CRATES_TO_PUBLISH');
    const pub = new Set(rustArray(src, 'PUBLIC_CRATES'));
    expect(list).toEqual(info.publishOrder);
    expect([...pub]).toEqual(info.publicCrates);
    expect(pub.has(info.rootCrate)).toBe(true);
    const byName = new Map(meta.packages.map((p) => [p.name, p]));
    const published = meta.packages.filter((p) => p.publish === null).map((p) => p.name);
    expect([...published].sort()).toEqual([...list].sort());
    expect(meta.packages.length - published.length).toBeGreaterThanOrEqual(3);
    for (const name of list) {
      for (const d of byName.get(name)!.dependencies) {
        const dep = byName.get(d.name)!;
        if (d.kind === 'dev' && d.req === '*') continue; // path-only: stripped on publish
        const where = `${name} -> ${d.name} (${d.kind ?? 'normal'})`;
        expect(`${where} ${list.includes(d.name)}`).toBe(`${where} true`);
        expect(`${where} ${d.req}`).toBe(`${where} ${pub.has(d.name) ? '^' + dep.version : '=' + dep.version}`);
        expect(list.indexOf(d.name)).toBeLessThan(list.indexOf(name));
      }
    }
  });

  it('writes the release files in the history style', () => {
    expect(readFileSync(join(info.dir, 'ci/RELEASES-template.md'), 'utf8')).toBe(
      `${'-'.repeat(80)}\n\n## VERSION\n\nUnreleased.\n\n### Added\n\n### Changed\n\n`,
    );
    expect(readFileSync(join(info.dir, 'RELEASES.md'), 'utf8')).toMatch(
      /^-{80}\n\n## 12\.0\.0\n\nUnreleased\.\n[\s\S]*\n-{80}\n\n## 11\.0\.0\n\nReleased 2023-01-20\.\n/,
    );
    const root = readFileSync(join(info.dir, 'Cargo.toml'), 'utf8');
    expect(/^version = "(.*)"$/m.exec(root)![1]).toBe('12.0.0');
  });
});

describe('generateSyntheticWorkspace options', () => {
  it('lockfile: true writes a Cargo.lock that `cargo metadata --locked --offline` accepts', async () => {
    const info = generateSyntheticWorkspace(join(makeTempDir('synth-lock'), 'ws'), { crates: 300, layers: 10, lockfile: true });
    const r = await run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline'], { cwd: info.dir });
    expect(JSON.parse(r.stdout).workspace_members).toHaveLength(301);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateSyntheticWorkspace(makeTempDir('synth-a'), { crates: 60, seed: 42 });
    const b = generateSyntheticWorkspace(makeTempDir('synth-b'), { crates: 60, seed: 42 });
    const c = generateSyntheticWorkspace(makeTempDir('synth-c'), { crates: 60, seed: 43 });
    expect(filesOf(b.dir)).toEqual(filesOf(a.dir));
    expect({ ...b, dir: '' }).toEqual({ ...a, dir: '' });
    expect(filesOf(c.dir)).not.toEqual(filesOf(a.dir));
  });

  it('compiles: cargo check --all-targets on a small one (dev-dependency cycles included)', async () => {
    const info = generateSyntheticWorkspace(makeTempDir('synth-check'), { crates: 25, layers: 4, seed: 3, name: 'tiny' });
    expect(info.names).toContain('tiny-cli');
    const r = await run('cargo', ['check', '--offline', '--workspace', '--all-targets'], {
      cwd: info.dir,
      env: { CARGO_TARGET_DIR: SHARED_CARGO_TARGET_DIR },
    });
    expect(r.stderr).toMatch(/Finished/);
  });

  it('rejects bad options and a non-empty folder, writing nothing', () => {
    const dir = makeTempDir('synth-bad');
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    expect(() => generateSyntheticWorkspace(dir, { crates: 10 })).toThrow(/is not empty/);
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    expect(readdirSync(join(dir, '..')).filter((n) => n.includes('.partial-'))).toEqual([]);
    const fresh = join(makeTempDir('synth-bad2'), 'ws');
    expect(() => generateSyntheticWorkspace(fresh, { crates: 0 })).toThrow(/crates must be an integer >= 1/);
    expect(() => generateSyntheticWorkspace(fresh, { crates: 5, name: 'Bad_Name' })).toThrow(/name must match/);
    expect(existsSync(fresh)).toBe(false);
  });
});
