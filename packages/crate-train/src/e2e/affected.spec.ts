// End to end, with the built plugin, real git, real nx and real cargo:
// 1. `nx show projects --affected` after each commit of a series touching every
//    kind of dependency edge equals the changed crates plus their reverse
//    dependency closure, computed here independently from `cargo metadata`
//    (a file cargo reads for every crate, the root manifest or the lockfile,
//    changes every crate); the `release` project is affected when a file a
//    published crate packages changes, because its `verify` target reads them;
// 2. `nx run-many -t check` is served from the Nx cache when nothing changed,
//    re-runs exactly a changed crate and its dependents, and nothing for a README.
import { appendFileSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { cargoMetadata, commitAll, copySample, git, installPlugin, runNx, tempDirs, type CargoMetadata } from '@crate-train/testing';

const tmp = tempDirs();
afterAll(tmp.cleanup);

/** The crate graph as cargo sees it: folder of each crate, and who depends on whom (every kind, renames included). */
class CargoModel {
  readonly dirs = new Map<string, string>();
  readonly dependents = new Map<string, Set<string>>();
  readonly published = new Set<string>();

  constructor(meta: CargoMetadata, root: string) {
    const real = realpathSync(root);
    for (const p of meta.packages) {
      this.dirs.set(p.name, relative(real, dirname(realpathSync(p.manifest_path))) || '.');
      this.dependents.set(p.name, this.dependents.get(p.name) ?? new Set());
      if (!(Array.isArray(p.publish) && p.publish.length === 0)) this.published.add(p.name);
    }
    for (const p of meta.packages) {
      // `name` is the package depended on even when renamed (`codegen = { package = "cranelift-codegen" }`).
      for (const d of p.dependencies) if (d.path && this.dirs.has(d.name)) this.dependents.get(d.name)!.add(p.name);
    }
  }

  /** The crate whose folder holds `file` (the deepest one: crates nest inside the root crate). */
  ownerOf(file: string): string | undefined {
    let best: [string, number] | undefined;
    for (const [name, dir] of this.dirs) {
      const inside = dir === '.' || file === dir || file.startsWith(dir + '/');
      const depth = dir === '.' ? 0 : dir.split('/').length;
      if (inside && (!best || depth > best[1])) best = [name, depth];
    }
    return best?.[0];
  }

  /** What a change to `files` affects, as cargo would see it. */
  affectedBy(files: string[]): { crates: string[]; release: boolean } {
    const touched = new Set(files.map((f) => this.ownerOf(f)).filter((c): c is string => !!c));
    // cargo reads the root manifest, the lockfile and toolchain/config files for every crate.
    if (files.some((f) => WORKSPACE_FILES.includes(f))) for (const c of this.dirs.keys()) touched.add(c);
    const release = files.some((f) => WORKSPACE_FILES.includes(f) || this.published.has(this.ownerOf(f) ?? ''));
    return { crates: this.reverseClosure(touched), release };
  }

  reverseClosure(crates: Iterable<string>): string[] {
    const seen = new Set<string>();
    const todo = [...crates];
    while (todo.length) {
      const c = todo.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      todo.push(...(this.dependents.get(c) ?? []));
    }
    return [...seen].sort();
  }
}

const WORKSPACE_FILES = ['Cargo.toml', 'Cargo.lock', 'rust-toolchain', 'rust-toolchain.toml', '.cargo/config', '.cargo/config.toml'];

const CHECK_LINE = /^> nx run ([^:\s]+):check(\s+\[(local cache|existing outputs match the cache, left as is)\])?\s*$/gm;

/** Which check tasks ran and which Nx served from its cache, from run-many's output. */
function checkTasks(output: string): { ran: string[]; cached: string[] } {
  const ran: string[] = [];
  const cached: string[] = [];
  for (const m of output.matchAll(CHECK_LINE)) (m[2] ? cached : ran).push(m[1]!);
  return { ran: ran.sort(), cached: cached.sort() };
}

describe('nx affected follows every kind of crate edge', () => {
  let ws: string;
  let cargo: CargoModel;

  beforeAll(async () => {
    ws = copySample();
    await installPlugin(ws);
    await git(ws, 'init', '-q', '-b', 'main');
    await commitAll(ws, 'Sample workspace with crate-train');
    cargo = new CargoModel(await cargoMetadata(ws), ws);
  });

  const edit = (file: string, f: (s: string) => string) => writeFileSync(join(ws, file), f(readFileSync(join(ws, file), 'utf8')));
  const touchRust = (file: string) => edit(file, (s) => `${s}\n/// Touched by the affected spec.\npub fn touched_${file.replace(/\W/g, '_')}() {}\n`);

  /** Commits the edit, then compares nx's affected projects with cargo's closure of the changed crates. */
  async function commitAndCompare(message: string, change: () => void): Promise<{ expected: string[]; changed: string[]; release: boolean }> {
    change();
    await commitAll(ws, message);
    const files = (await git(ws, 'diff', '--name-only', 'HEAD~1', 'HEAD')).split('\n').filter(Boolean);
    const changed = [...new Set(files.map((f) => cargo.ownerOf(f)).filter((c): c is string => !!c))].sort();
    const { crates: expected, release } = cargo.affectedBy(files);
    const r = await runNx(ws, ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json']);
    const affected = (JSON.parse(r.stdout) as string[]).sort();
    expect({ message, files, affected }).toEqual({ message, files, affected: [...expected, ...(release ? ['release'] : [])].sort() });
    return { expected, changed, release };
  }

  it('a leaf crate: only itself', async () => {
    const { expected, release } = await commitAndCompare('leaf: c-api', () => touchRust('crates/c-api/src/lib.rs'));
    expect(expected).toEqual(['wasmtime-c-api']);
    expect(release).toBe(false); // publish = false: nothing for verify to package
  });

  it('a crate used only as a dev-dependency: its dev-dependents and their dependents', async () => {
    const { expected } = await commitAndCompare('dev-dependency: test-util', () => touchRust('crates/test-util/src/lib.rs'));
    // wasmtime and wasmtime-cli reach test-util through [dev-dependencies] only.
    expect(expected).toEqual(['wasmtime', 'wasmtime-c-api', 'wasmtime-cli', 'wasmtime-cli-flags', 'wasmtime-test-util', 'wasmtime-wasi']);
  });

  it('a build-dependency: the crate whose build script uses it, and up', async () => {
    const { expected } = await commitAndCompare('build-dependency: codegen-meta', () => touchRust('cranelift/codegen/meta/src/lib.rs'));
    expect(expected).toContain('cranelift-codegen'); // [build-dependencies] edge
    expect(expected).toContain('winch-codegen');
    expect(expected).not.toContain('cranelift-entity');
  });

  it('the target of a renamed dependency: its users through the alias', async () => {
    // winch-codegen depends on `codegen = { package = "cranelift-codegen" }`, wasmtime-environ on `entity`.
    const { expected } = await commitAndCompare('renamed dependency: cranelift-entity', () => touchRust('cranelift/entity/src/lib.rs'));
    expect(expected).toContain('wasmtime-environ'); // reached only through the rename
    expect(expected).not.toContain('cranelift-codegen-meta');
    expect(expected).not.toContain('pulley-interpreter');
  });

  it('a target-specific dependency ([target.cfg(unix).dependencies])', async () => {
    const { expected } = await commitAndCompare('target dependency: fiber', () => touchRust('crates/fiber/src/lib.rs'));
    expect(expected).toContain('wasmtime');
    expect(expected).not.toContain('wasmtime-environ');
  });

  it('a crate used through `workspace = true` dependencies', async () => {
    const { expected } = await commitAndCompare('workspace dependency: environ', () => touchRust('crates/environ/src/lib.rs'));
    expect(expected).toEqual(expect.arrayContaining(['wasmtime', 'winch-codegen', 'wasmtime-cli', 'wasmtime-environ']));
    expect(expected).not.toContain('cranelift-codegen');
  });

  it('the [workspace.dependencies] table of the root manifest: every crate', async () => {
    const { expected } = await commitAndCompare('workspace table edit', () =>
      edit('Cargo.toml', (s) => s.replace('[workspace.dependencies]\n', '[workspace.dependencies]\n# Shared requirements.\n')),
    );
    expect(expected).toEqual([...cargo.dirs.keys()].sort());
  });

  it('a README-only change at the root: the root crate, which owns it (and packages it)', async () => {
    const { expected, release } = await commitAndCompare('README', () => appendFileSync(join(ws, 'README.md'), '\nMore words.\n'));
    expect(expected).toEqual(['wasmtime-cli']);
    expect(release).toBe(true);
  });

  it('a Cargo.lock-only change: every crate', async () => {
    const { expected } = await commitAndCompare('Cargo.lock', () => appendFileSync(join(ws, 'Cargo.lock'), '\n'));
    expect(expected).toEqual([...cargo.dirs.keys()].sort());
  });

  it('two crates in one commit: the union of both closures', async () => {
    const { changed } = await commitAndCompare('two crates', () => {
      touchRust('pulley/src/lib.rs');
      touchRust('crates/cli-flags/src/lib.rs');
    });
    expect(changed).toEqual(['pulley-interpreter', 'wasmtime-cli-flags']);
  });
});

describe('Nx caching of check', () => {
  let ws: string;
  let cargo: CargoModel;
  let all: string[];
  const env: Record<string, string> = {};
  const checkAll = () => runNx(ws, ['run-many', '-t', 'check', '--output-style=stream'], { env });

  beforeAll(async () => {
    ws = copySample();
    await installPlugin(ws);
    await git(ws, 'init', '-q', '-b', 'main');
    await commitAll(ws, 'Sample workspace with crate-train');
    env.CARGO_TARGET_DIR = tmp.make('affected-target');
    env.CARGO_NET_OFFLINE = 'true';
    cargo = new CargoModel(await cargoMetadata(ws), ws);
    all = [...cargo.dirs.keys()].sort();
  });

  it('runs every check cold, then serves all of them from the cache on an unchanged tree', async () => {
    const cold = checkTasks((await checkAll()).stdout);
    expect(cold).toEqual({ ran: all, cached: [] });
    const again = await checkAll();
    expect(checkTasks(again.stdout)).toEqual({ ran: [], cached: all });
    expect(again.stdout).toContain(`Nx read the output from the cache instead of running the command for ${all.length} out of ${all.length} tasks`);
  });

  it("re-runs a changed dependency's check and its dependents' checks, and only those", async () => {
    appendFileSync(join(ws, 'cranelift/codegen/meta/src/lib.rs'), '\n/// Touched.\npub fn touched() {}\n');
    const expected = cargo.reverseClosure(['cranelift-codegen-meta']);
    expect(expected).toContain('wasmtime-cli'); // the change travels up through build, renamed and normal edges
    const r = checkTasks((await checkAll()).stdout);
    expect(r.ran).toEqual(expected);
    expect(r.cached).toEqual(all.filter((c) => !expected.includes(c)));
  });

  it('re-runs nothing for a README change (the root crate owns README.md but its check does not read it)', async () => {
    await checkAll(); // settle after the previous edit
    appendFileSync(join(ws, 'README.md'), '\nDocs only.\n');
    expect(checkTasks((await checkAll()).stdout)).toEqual({ ran: [], cached: all });
  });

  it('re-runs every check for a Cargo.lock change (every cargo target reads the lockfile)', async () => {
    appendFileSync(join(ws, 'Cargo.lock'), '\n');
    expect(checkTasks((await checkAll()).stdout).ran).toEqual(all);
  });
});
