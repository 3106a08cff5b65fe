import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { run } from '@crate-train/proc';
import { CargoManifestError, readWorkspace, workspaceEdges, type CargoWorkspace } from './index';
import { expandMemberPattern } from './members';

const SAMPLE = join(__dirname, '..', '..', '..', 'tools', 'sample-workspace');

/** What cargo says: crates (name, folder, version, publish) and path-dependency edges by kind. */
async function cargoView(dir: string) {
  const { stdout } = await run('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline'], { cwd: dir });
  const meta = JSON.parse(stdout) as {
    workspace_root: string;
    packages: Array<{
      name: string;
      version: string;
      manifest_path: string;
      publish: string[] | null;
      dependencies: Array<{ name: string; kind: string | null; path?: string }>;
    }>;
  };
  const rel = (p: string) => relative(meta.workspace_root, p).split('\\').join('/') || '.';
  const byDir = new Map(meta.packages.map((p) => [rel(dirname(p.manifest_path)), p.name]));
  const crates = meta.packages.map((p) => ({
    name: p.name,
    root: rel(dirname(p.manifest_path)),
    version: p.version,
    publish: !(Array.isArray(p.publish) && p.publish.length === 0),
  }));
  const edges = new Set<string>();
  for (const p of meta.packages) {
    for (const d of p.dependencies) {
      if (d.path === undefined || !byDir.has(rel(d.path))) continue;
      edges.add(`${p.name} -${d.kind ?? 'normal'}-> ${byDir.get(rel(d.path))}`);
    }
  }
  return { crates: crates.sort((a, b) => a.name.localeCompare(b.name)), edges: [...edges].sort() };
}

function ourView(ws: CargoWorkspace) {
  return {
    crates: ws.crates.map((c) => ({ name: c.name, root: c.root, version: c.version, publish: c.publish })).sort((a, b) => a.name.localeCompare(b.name)),
    edges: workspaceEdges(ws)
      .map((e) => `${e.source} -${e.kind}-> ${e.target}`)
      .sort(),
  };
}

const dirs: string[] = [];
function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'crate-train-cargo-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const pkg = (name: string, extra = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;
const lib = (path: string, name: string, extra = '') => ({ [`${path}/Cargo.toml`]: pkg(name, extra), [`${path}/src/lib.rs`]: '' });

// Every manifest feature the reader must handle, checked against real cargo.
const TRICKY: Record<string, string> = {
  'Cargo.toml': `[package]
name = "root-cli"
version.workspace = true
edition = "2021"
publish.workspace = true

[[bin]]
name = "tool"
path = "src/main.rs"

[dependencies]
core-a = { workspace = true }
renamed = { workspace = true }

[dev_dependencies]
helper = { path = "crates/helper" }

[workspace]
members = ["crates/*", "nested", "nested/*/b", "tools/[ab]-?"]
exclude = ["crates/ignored"]

[workspace.package]
version = "3.1.0"
publish = true

[workspace.dependencies]
core-a = { path = "crates/core-a", version = "=3.1.0" }
renamed = { package = "core-b", path = "crates/core-b" }
registry-only = "1.0"
`,
  'src/main.rs': 'fn main() {}',
  ...lib(
    'crates/core-a',
    'core-a',
    `
[target.'cfg(unix)'.dependencies]
unix-only = { path = "../../extra/unix-only" }

[target.x86_64-unknown-linux-gnu.build-dependencies]
b = { path = "../../nested/deep/b", package = "nested-b" }

[dev-dependencies]
helper.version = "0.1.0"
helper.path = "../helper"
`,
  ),
  ...lib(
    'crates/core-b',
    'core-b',
    `
[dependencies]
# By version only: cargo resolves it from the registry, so no edge.
helper = { version = "0.1.0", optional = true }
[build_dependencies]
core-a = { path = "../core-a" }
`,
  ),
  ...lib('crates/helper', 'helper', 'publish = false\n[dependencies]\ncore-a = { path = "../core-a" }\n'),
  ...lib('crates/ignored', 'ignored'),
  'crates/README.md': 'files matched by a member glob are skipped',
  ...lib('nested/deep/b', 'nested-b'),
  ...lib('nested/deep', 'nested-deep'),
  ...lib('nested', 'nested-top', '[dependencies]\nnested-deep = { path = "deep" }\n'),
  ...lib('tools/a-1', 'tool-a1'),
  ...lib('tools/c-1', 'tool-c1'),
  // Not listed in members, but a path dependency inside the root: cargo makes it a member.
  ...lib('extra/unix-only', 'unix-only'),
  // Unrelated manifest: not a member.
  ...lib('examples/standalone', 'standalone'),
};
TRICKY['crates/core-a/Cargo.toml'] = TRICKY['crates/core-a/Cargo.toml'].replace('version = "0.1.0"', 'version = { workspace = true }');

describe('readWorkspace', () => {
  it('matches cargo metadata on the sample workspace', async () => {
    const ws = readWorkspace(SAMPLE);
    expect(ourView(ws)).toEqual(await cargoView(SAMPLE));
    expect(ws.crates.map((c) => c.name)).toEqual([...ws.crates.map((c) => c.name)].sort());
    expect(ws.workspaceVersion).toBe('5.0.0');
    const cli = ws.crates.find((c) => c.root === '.')!;
    expect(cli).toMatchObject({ name: 'wasmtime-cli', versionFromWorkspace: true, bins: ['wasmtime'], hasLib: false });
    expect(ws.crates.find((c) => c.name === 'cranelift-codegen')!.versionFromWorkspace).toBe(false);
  });

  it('handles globs, exclude, implicit members, renames, target and legacy tables like cargo', async () => {
    const dir = writeTree(TRICKY);
    const ws = readWorkspace(dir);
    const ours = ourView(ws);
    expect(ours).toEqual(await cargoView(dir));
    // Spot checks that would fail if the comparison above were vacuous.
    expect(ours.crates.map((c) => c.name)).toEqual(
      ['core-a', 'core-b', 'helper', 'nested-b', 'nested-deep', 'nested-top', 'root-cli', 'tool-a1', 'unix-only'].sort(),
    );
    expect(ours.edges).toEqual(
      [
        'core-a -build-> nested-b',
        'core-a -dev-> helper',
        'core-a -normal-> unix-only',
        'core-b -build-> core-a',
        'helper -normal-> core-a',
        'nested-top -normal-> nested-deep',
        'root-cli -dev-> helper',
        'root-cli -normal-> core-a',
        'root-cli -normal-> core-b',
      ].sort(),
    );
    const rootCli = ws.crates.find((c) => c.name === 'root-cli')!;
    expect(rootCli.version).toBe('3.1.0');
    expect(rootCli.dependencies.find((d) => d.alias === 'renamed')).toMatchObject({ name: 'core-b', path: 'crates/core-b', workspace: true });
    const coreA = ws.crates.find((c) => c.name === 'core-a')!;
    expect(coreA.dependencies.find((d) => d.alias === 'unix-only')).toMatchObject({ kind: 'normal', target: 'cfg(unix)' });
    expect(ws.crates.find((c) => c.name === 'core-b')!.dependencies.find((d) => d.kind === 'normal')).toMatchObject({
      name: 'helper',
      req: '0.1.0',
      optional: true,
    });
    expect(ws.workspaceDependencies['registry-only']).toEqual({ req: '1.0' });
  });
});

describe('expandMemberPattern', () => {
  it('expands *, ?, [..] and ** to folders only', () => {
    const dir = writeTree({ 'a/x1/f': '', 'a/x2/g/h': '', 'a/y1/f': '', 'a/file.txt': '', 'a/target/t': '' });
    expect(expandMemberPattern(dir, 'a/x?')).toEqual(['a/x1', 'a/x2']);
    expect(expandMemberPattern(dir, 'a/[!x]*')).toEqual(['a/target', 'a/y1']);
    expect(expandMemberPattern(dir, 'a/**')).toEqual(['a', 'a/x1', 'a/x2', 'a/x2/g', 'a/y1']);
    expect(expandMemberPattern(dir, './a/*/g')).toEqual(['a/x2/g']);
    expect(expandMemberPattern(dir, 'b/*')).toEqual([]);
    expect(expandMemberPattern(dir, 'b/literal/')).toEqual(['b/literal']);
  });
});

describe('readWorkspace errors', () => {
  const expectError = (dir: string, re: RegExp) => {
    let err: unknown;
    try {
      readWorkspace(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CargoManifestError);
    expect((err as Error).message).toMatch(re);
    return err as CargoManifestError;
  };
  const virtual = (members: string) => `[workspace]\nmembers = ${members}\n`;

  it('gives the file, line and column of a TOML syntax error', () => {
    const dir = writeTree({
      'Cargo.toml': virtual('["crates/*"]'),
      ...lib('crates/a', 'a'),
      'crates/b/Cargo.toml': '[package]\nname = "b"\nversion = = "1"\n',
    });
    const err = expectError(dir, /^crates\/b\/Cargo\.toml:3:11: invalid TOML: .* — fix the syntax/);
    expect(err).toMatchObject({ file: 'crates/b/Cargo.toml', line: 3, column: 11 });
  });

  it('names a missing member folder, and a globbed folder without Cargo.toml', () => {
    expectError(
      writeTree({ 'Cargo.toml': virtual('[\n  "crates/a",\n  "crates/gone",\n]'), ...lib('crates/a', 'a') }),
      /^Cargo\.toml:4: workspace member folder "crates\/gone" does not exist/,
    );
    const dir = writeTree({ 'Cargo.toml': virtual('["crates/*"]'), ...lib('crates/a', 'a'), 'crates/empty/notes.txt': '' });
    expectError(dir, /^Cargo\.toml:2: workspace member folder "crates\/empty" \(matched by "crates\/\*"\) has no Cargo\.toml/);
    expectError(writeTree({ 'Cargo.toml': virtual('["crates/*", "none/*"]'), ...lib('crates/a', 'a') }), /member pattern "none\/\*" matches no folder/);
  });

  it('names both the manifest and the folder of a broken path dependency', () => {
    const dir = writeTree({ 'Cargo.toml': virtual('["a"]'), ...lib('a', 'a', '\n[dependencies]\nghost = { path = "../ghost" }\n') });
    const err = expectError(dir, /^a\/Cargo\.toml:7: path dependency `ghost` points at "ghost", which does not exist/);
    expect(err.file).toBe('a/Cargo.toml');
    const viaWs = writeTree({
      'Cargo.toml': virtual('["a"]') + '[workspace.dependencies]\nghost = { path = "libs/ghost" }\n',
      ...lib('a', 'a', '\n[dependencies]\nghost.workspace = true\n'),
    });
    expectError(viaWs, /^Cargo\.toml:4: path dependency `ghost` \(used by a\/Cargo\.toml\) points at "libs\/ghost"/);
  });

  it('rejects workspace = true without a [workspace.dependencies] entry, and wrong names', () => {
    expectError(
      writeTree({ 'Cargo.toml': virtual('["a"]'), ...lib('a', 'a', '[dependencies]\nb = { workspace = true }\n') }),
      /^a\/Cargo\.toml:6: dependency `b` in \[dependencies\] has `workspace = true` but Cargo\.toml has no `b`/,
    );
    expectError(
      writeTree({ 'Cargo.toml': virtual('["a", "b"]'), ...lib('a', 'a', '[dependencies]\nx = { path = "../b" }\n'), ...lib('b', 'b') }),
      /dependency `x` points at "b", which is crate "b", not "x" — add `package = "b"`/,
    );
    expectError(writeTree({ 'Cargo.toml': virtual('["a", "b"]'), ...lib('a', 'same'), ...lib('b', 'same') }), /crate name "same" is also used by/);
  });

  it('never returns an empty workspace silently', () => {
    expectError(writeTree({ 'Cargo.toml': virtual('[]') }), /^Cargo\.toml: the workspace has no crates/);
    expectError(writeTree({ 'README.md': '' }), /^Cargo\.toml: no Cargo\.toml in .* — run crate-train in the folder/);
    expectError(writeTree({ 'Cargo.toml': '[dependencies]\n' }), /neither \[workspace\] nor \[package\]/);
    expectError(writeTree({ 'Cargo.toml': virtual('["a"]'), 'a/Cargo.toml': '[dependencies]\n' }), /^a\/Cargo\.toml: no \[package\] section/);
  });

  it('says a [package] name that is not a string has the wrong type, with the line and the fix', () => {
    const dir = writeTree({ 'Cargo.toml': virtual('["a"]'), 'a/Cargo.toml': '[package]\nversion = "0.1.0"\nname = 5\nedition = "2021"\n', 'a/src/lib.rs': '' });
    const err = expectError(dir, /^a\/Cargo\.toml:3: /);
    expect(err.message).toBe(
      'a/Cargo.toml:3: [package] `name` has the wrong type: it is an integer (`name = 5`), but a crate name must be a string — write it in quotes, e.g. `name = "my-crate"` (cargo refuses this manifest too)',
    );
    expectError(
      writeTree({ 'Cargo.toml': '[package]\nname = ["x"]\nversion = "0.1.0"\n' }),
      /^Cargo\.toml:2: \[package\] `name` has the wrong type: it is an array \(`name = \["x"\]`\)/,
    );
    expectError(
      writeTree({ 'Cargo.toml': '[package]\nname.workspace = true\nversion = "0.1.0"\n[workspace]\n' }),
      /^Cargo\.toml:2: \[package\] `name\.workspace = true`: cargo never inherits a crate's name/,
    );
  });

  it('reads a single-crate workspace (root package, no [workspace])', () => {
    const ws = readWorkspace(writeTree({ 'Cargo.toml': pkg('solo'), 'src/lib.rs': '' }));
    expect(ws.crates.map((c) => [c.name, c.root, c.hasLib])).toEqual([['solo', '.', true]]);
  });
});
