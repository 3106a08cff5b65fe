import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cpSync } from 'node:fs';
import { copySample, loadReleaseCases, tempDirs, WASM_TOOLS_CASES_DIR } from '@crate-train/testing';
import { run } from '@crate-train/proc';
import { applyPlan, ApplyError, BumpError, currentVersion, fsWriter, planBump, type PlanWriter } from './plan';
import { planDiff } from './diff';
import { WASMTIME_VERSION_FILES } from './version-files';

const [WASMTIME_H] = WASMTIME_VERSION_FILES;
const options = { crateList: 'scripts/publish.rs', versionFiles: [WASMTIME_H] };

const tmp = tempDirs();
afterAll(() => tmp.cleanup());
const sample = () => copySample(tmp.make('bump-sample'));

/** Every file of a tree, by relative path (for byte-identity checks). */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (e === 'target') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const cargoLockedOffline = (dir: string) => run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline'], { cwd: dir });

describe('planBump on the sample workspace', () => {
  it('reads the current version from the root Cargo.toml', () => {
    expect(currentVersion(sample())).toBe('5.0.0');
  });

  it('--kind=major: every published crate to its next major, requirements, Cargo.lock, C header; cargo accepts the lock offline', async () => {
    const dir = sample();
    const plan = planBump(dir, { kind: 'major', options });
    expect(plan.current).toBe('5.0.0');
    expect(plan.next).toBe('6.0.0');
    expect(plan.crates.map((c) => `${c.name} ${c.from} -> ${c.to}${c.listed ? '' : ' (inherited)'}`)).toEqual([
      'pulley-interpreter 5.0.0 -> 6.0.0',
      'cranelift-entity 0.92.0 -> 0.93.0',
      'cranelift-codegen-meta 0.92.0 -> 0.93.0',
      'cranelift-codegen 0.92.0 -> 0.93.0',
      'wasmtime-environ 5.0.0 -> 6.0.0',
      'wasmtime-fiber 5.0.0 -> 6.0.0',
      'winch-codegen 0.3.0 -> 0.4.0',
      'wasmtime 5.0.0 -> 6.0.0',
      'wasmtime-wasi 5.0.0 -> 6.0.0',
      'wasmtime-cli-flags 5.0.0 -> 6.0.0',
      'wasmtime-cli 5.0.0 -> 6.0.0',
      'wasmtime-c-api 5.0.0 -> 6.0.0 (inherited)',
      'wasmtime-test-util 5.0.0 -> 6.0.0 (inherited)',
    ]);
    expect(plan.files.map((f) => f.path)).toEqual([
      'Cargo.toml',
      'cranelift/codegen/Cargo.toml',
      'cranelift/codegen/meta/Cargo.toml',
      'cranelift/entity/Cargo.toml',
      'crates/c-api/Cargo.toml',
      'crates/cli-flags/Cargo.toml',
      'crates/environ/Cargo.toml',
      'winch/codegen/Cargo.toml',
      'Cargo.lock',
      'crates/c-api/include/wasmtime.h',
    ]);
    const before = snapshot(dir);
    applyPlan(plan);
    const after = snapshot(dir);
    const changed = [...after.keys()].filter((k) => !after.get(k)!.equals(before.get(k)!)).sort();
    expect(changed).toEqual(plan.files.map((f) => f.path).sort());

    const read = (p: string) => readFileSync(join(dir, p), 'utf8');
    const root = read('Cargo.toml');
    expect(root).toContain('[workspace.package]\nversion = "6.0.0"\n');
    expect(root).toContain('wasmtime = { path = "crates/wasmtime", version = "6.0.0" }');
    expect(root).toContain('wasmtime-environ = { path = "crates/environ", version = "=6.0.0" }');
    expect(root).toContain('pulley-interpreter = { path = "pulley", version = "=6.0.0" }');
    expect(root).toContain(`codegen = { package = 'cranelift-codegen', path = "cranelift/codegen", version = "=0.93.0" }`);
    expect(root).toContain('winch-codegen = { path = "winch/codegen", version = "=0.4.0" }');
    expect(read('crates/environ/Cargo.toml')).toContain('entity = { package = "cranelift-entity", path = "../../cranelift/entity", version  = "=0.93.0" }');
    expect(read('crates/cli-flags/Cargo.toml')).toContain('[dependencies.wasmtime]\npath = "../wasmtime"\nversion = "6.0.0"\n');
    expect(read('crates/c-api/Cargo.toml')).toContain('wasmtime-wasi = { path = "../wasi", version = "6.0.0", optional = true }');
    expect(read('cranelift/entity/Cargo.toml')).toContain('version = "0.93.0"\ndescription    = "Data');
    const header = read('crates/c-api/include/wasmtime.h');
    expect(header).toContain('#define WASMTIME_VERSION "6.0.0"\n');
    expect(header).toContain('#define WASMTIME_VERSION_MAJOR 6\n');
    expect(header).toContain('#define WASMTIME_VERSION_MINOR 0\n');
    expect(header).toContain('#define WASMTIME_VERSION_PATCH 0\n');
    // Only version strings changed: the files are equal once versions are masked.
    const mask = (s: string) => s.replace(/\d+\.\d+\.\d+/g, 'V').replace(/(VERSION_\w+) \d+/g, '$1 N');
    for (const f of plan.files) expect(mask(read(f.path))).toBe(mask(f.before));

    const meta = JSON.parse((await cargoLockedOffline(dir)).stdout) as { packages: Array<{ name: string; version: string }> };
    const versions = Object.fromEntries(meta.packages.map((p) => [p.name, p.version]));
    expect(versions).toMatchObject({ wasmtime: '6.0.0', 'cranelift-codegen': '0.93.0', 'winch-codegen': '0.4.0', 'pulley-interpreter': '6.0.0' });
  });

  it('--kind=patch: X.Y.Z -> X.Y.(Z+1) on every version line; cargo accepts the lock offline', async () => {
    const dir = sample();
    const plan = planBump(dir, { kind: 'patch', options });
    expect(plan.next).toBe('5.0.1');
    expect(Object.fromEntries(plan.crates.map((c) => [c.name, c.to]))).toMatchObject({
      'cranelift-codegen': '0.92.1',
      'winch-codegen': '0.3.1',
      wasmtime: '5.0.1',
    });
    applyPlan(plan);
    expect(readFileSync(join(dir, 'crates/c-api/include/wasmtime.h'), 'utf8')).toContain('#define WASMTIME_VERSION_PATCH 1\n');
    await cargoLockedOffline(dir);
    // A second patch bump on top works the same way.
    applyPlan(planBump(dir, { kind: 'patch', options }));
    expect(currentVersion(dir)).toBe('5.0.2');
    await cargoLockedOffline(dir);
  });

  it('--kind=dev, then rc, rc, release (the 2026 model); cargo accepts each lock offline', async () => {
    const dir = sample();
    const steps: Array<['dev' | 'rc' | 'release', string, string]> = [
      ['dev', '6.0.0-dev', '0.93.0-dev'],
      ['rc', '6.0.0-rc.1', '0.93.0-rc.1'],
      ['rc', '6.0.0-rc.2', '0.93.0-rc.2'],
      ['release', '6.0.0', '0.93.0'],
    ];
    for (const [kind, wasmtime, cranelift] of steps) {
      const plan = planBump(dir, { kind, options });
      expect(plan.next).toBe(wasmtime);
      expect(plan.crates.find((c) => c.name === 'cranelift-codegen')!.to).toBe(cranelift);
      applyPlan(plan);
      expect(currentVersion(dir)).toBe(wasmtime);
      expect(readFileSync(join(dir, 'crates/c-api/include/wasmtime.h'), 'utf8')).toContain(`#define WASMTIME_VERSION "${wasmtime}"\n`);
      await cargoLockedOffline(dir);
    }
  });

  it('follows path dependencies of an excluded crate (the fuzz workspace) that name the old version', () => {
    const dir = sample();
    const fuzz = join(dir, 'crates/fuzz-excluded/Cargo.toml');
    const text = readFileSync(fuzz, 'utf8');
    writeFileSync(
      fuzz,
      text.replace(
        'wasmtime = { path = "../wasmtime" }',
        'wasmtime = { path = "../wasmtime", version = "=5.0.0" }\nwasmtime-wasi = { path = "../wasi", version = "5" }',
      ),
    );
    const plan = planBump(dir, { kind: 'major', options });
    const f = plan.files.find((x) => x.path === 'crates/fuzz-excluded/Cargo.toml')!;
    // The pinned one follows; the partial one is not ours to judge and stays.
    expect(f.after).toBe(f.before.replace('version = "=5.0.0"', 'version = "=6.0.0"'));
  });

  it("keeps each manifest's own ending: no final newline is added where there was none (Wasmtime's line-based script added one)", () => {
    const dir = sample();
    const flags = join(dir, 'crates/cli-flags/Cargo.toml');
    writeFileSync(flags, readFileSync(flags, 'utf8').replace(/\n$/, ''));
    const f = planBump(dir, { kind: 'major', options }).files.find((x) => x.path === 'crates/cli-flags/Cargo.toml')!;
    expect(f.before.endsWith('\n')).toBe(false);
    expect(f.after.endsWith('\n')).toBe(false);
    expect(f.after).not.toBe(f.before);
  });

  it('a requirement it cannot rewrite inside an unpublished crate is a warning and stays as written (islec\'s "*")', () => {
    const dir = sample();
    const util = join(dir, 'crates/test-util/Cargo.toml');
    writeFileSync(util, `${readFileSync(util, 'utf8')}\n[build-dependencies]\nwasmtime-environ = { path = "../environ", version = "*" }\n`);
    const plan = planBump(dir, { kind: 'major', options });
    expect(plan.warnings).toEqual([
      expect.stringMatching(
        /^crates\/test-util\/Cargo.toml:\d+: the requirement "\*" on wasmtime-environ .* wasmtime-test-util is not published, so it is left as written$/,
      ),
    ]);
    expect(plan.files.find((x) => x.path === 'crates/test-util/Cargo.toml')?.after ?? readFileSync(util, 'utf8')).toContain('version = "*"');
  });

  it('--version must be the next version of the kind; nothing is written otherwise', () => {
    const dir = sample();
    const before = snapshot(dir);
    expect(() => planBump(dir, { kind: 'patch', version: '5.0.2', options })).toThrow(
      '--version 5.0.2 is not the next patch version: current is 5.0.0, expected 5.0.1',
    );
    expect(planBump(dir, { kind: 'patch', version: '5.0.1', options }).next).toBe('5.0.1');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a crate on a pre-release line cannot take a patch bump: the error names the crate', () => {
    const dir = sample();
    const p = join(dir, 'winch/codegen/Cargo.toml');
    writeFileSync(p, readFileSync(p, 'utf8').replace('version = "0.3.0"', 'version = "0.3.0-dev"'));
    const lock = join(dir, 'Cargo.lock');
    writeFileSync(lock, readFileSync(lock, 'utf8').replace('name = "winch-codegen"\nversion = "0.3.0"', 'name = "winch-codegen"\nversion = "0.3.0-dev"'));
    const root = join(dir, 'Cargo.toml');
    writeFileSync(root, readFileSync(root, 'utf8').replace('"=0.3.0"', '"=0.3.0-dev"'));
    expect(() => planBump(dir, { kind: 'patch', options })).toThrow(
      'crate winch-codegen (winch/codegen/Cargo.toml) version 0.3.0-dev is a pre-release: a patch bump needs X.Y.Z; release it first with --kind=release',
    );
  });

  it.each([
    ['0.3', 'write version = "0.3.0"'],
    ['five', 'write a version of the form MAJOR.MINOR.PATCH, e.g. version = "1.0.0"'],
  ])('a crate version that is not semver (%s) is named as such, with the version to write, and nothing is written', (bad, fix) => {
    const dir = sample();
    const p = join(dir, 'winch/codegen/Cargo.toml');
    writeFileSync(p, readFileSync(p, 'utf8').replace('version = "0.3.0"', `version = "${bad}"`));
    const before = snapshot(dir);
    let err: unknown;
    try {
      planBump(dir, { kind: 'major', options });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BumpError);
    expect((err as BumpError).problems).toEqual([
      `crate winch-codegen (winch/codegen/Cargo.toml) version "${bad}" is not a semantic version (X.Y.Z or X.Y.Z-pre; cargo and crates.io accept nothing else) — ${fix}`,
    ]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('prints a unified diff made by git', async () => {
    const dir = sample();
    const plan = planBump(dir, { kind: 'patch', options });
    const diff = await planDiff(plan.files);
    expect(diff).toContain('diff --git a/crates/c-api/include/wasmtime.h b/crates/c-api/include/wasmtime.h\n');
    expect(diff).toContain('--- a/Cargo.toml\n+++ b/Cargo.toml\n');
    expect(diff).toContain('-version = "5.0.0"\n+version = "5.0.1"\n');
    expect(diff).toContain('-#define WASMTIME_VERSION_PATCH 0\n+#define WASMTIME_VERSION_PATCH 1\n');
    // The diff applies: git apply on the untouched copy gives the planned files.
    await run('git', ['apply', '--unsafe-paths', '--directory=.', '-'], { cwd: dir, input: diff });
    for (const f of plan.files) expect(readFileSync(join(dir, f.path), 'utf8')).toBe(f.after);
  });
});

describe('applyPlan is all or nothing', () => {
  it.each([1, 2, 5, 10])('the write #%i fails: every file is byte-identical afterwards', (n) => {
    const dir = sample();
    const plan = planBump(dir, { kind: 'major', options });
    expect(plan.files.length).toBe(10);
    const before = snapshot(dir);
    let writes = 0;
    const failing: PlanWriter = {
      read: fsWriter.read,
      write: (p, content) => {
        writes++;
        if (writes === n) {
          // Fail half-way, as a full disk would: part of the new text lands.
          writeFileSync(p, content.slice(0, content.length >> 1));
          throw new Error('ENOSPC: no space left on device');
        }
        fsWriter.write(p, content);
      },
    };
    let err: unknown;
    try {
      applyPlan(plan, failing);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as ApplyError).message).toBe(
      `writing ${plan.files[n - 1]!.path} failed (ENOSPC: no space left on device); every file was restored, nothing changed`,
    );
    expect((err as ApplyError).restored).toHaveLength(n);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a plan whose files changed since it was made, writing nothing', () => {
    const dir = sample();
    const plan = planBump(dir, { kind: 'major', options });
    const p = join(dir, 'cranelift/entity/Cargo.toml');
    writeFileSync(p, readFileSync(p, 'utf8') + '# edited meanwhile\n');
    const before = snapshot(dir);
    expect(() => applyPlan(plan)).toThrow('these files changed since the bump was planned, nothing written: cranelift/entity/Cargo.toml — plan the bump again');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a bad manifest stops the plan before anything is written', () => {
    const dir = sample();
    const p = join(dir, 'crates/wasi/Cargo.toml');
    writeFileSync(p, readFileSync(p, 'utf8') + '\n[broken\n');
    const before = snapshot(dir);
    expect(() => planBump(dir, { kind: 'major', options })).toThrow(/crates\/wasi\/Cargo\.toml/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a version file whose pattern matches nothing stops the plan', () => {
    const dir = sample();
    const p = join(dir, WASMTIME_H.path);
    writeFileSync(p, readFileSync(p, 'utf8').replace('#define WASMTIME_VERSION_MINOR 0\n', ''));
    let err: unknown;
    try {
      planBump(dir, { kind: 'major', options });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BumpError);
    expect((err as BumpError).problems).toEqual([
      'crates/c-api/include/wasmtime.h: the version pattern "#define WASMTIME_VERSION_MINOR (\\\\d+)" matches nothing: fix the file or the versionFiles option in nx.json',
    ]);
  });
});

describe("wasm-tools' real releases (ci/publish.rs: API_STABLE_CRATES, no PUBLIC_CRATES, three version lines)", () => {
  it.each(loadReleaseCases(WASM_TOOLS_CASES_DIR).map((c) => [c.id, c] as const))('%s: every manifest and Cargo.lock byte for byte', (_id, c) => {
    const dir = tmp.make(`wasm-tools-${c.id}`);
    cpSync(c.before, dir, { recursive: true });
    const plan = planBump(dir, { kind: c.kind === 'major-bump' ? 'major' : 'patch' });
    expect(plan.next).toBe(c.version_after);
    applyPlan(plan);
    const changed = plan.files.map((f) => f.path).sort();
    for (const f of changed) expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(c.after, f), 'utf8'));
    // Everything the release commit changed, and nothing else.
    const afterFiles = [...snapshot(c.after)]
      .filter(([p, b]) => !readFileSync(join(c.before, p)).equals(b))
      .map(([p]) => p)
      .sort();
    expect(changed).toEqual(afterFiles);
  });
});
