// checkSemver on a copy of the sample workspace in a real git repo tagged v5.0.0,
// with real cargo rustdoc on both trees.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitAll, copySample, git, tempDirs } from '@crate-train/testing';
import { checkSemver } from './check';
import { formatFindings } from './format';

const tmp = tempDirs();
afterAll(tmp.cleanup);

describe('checkSemver on the sample workspace', () => {
  let ws: string;
  let cacheDir: string;
  const lib = () => join(ws, 'crates/wasmtime/src/lib.rs');
  let original: string;

  beforeAll(async () => {
    ws = copySample();
    cacheDir = tmp.make('semver-cache');
    await git(ws, 'init', '-q', '-b', 'main');
    await commitAll(ws, 'Wasmtime 5.0.0');
    await git(ws, 'tag', 'v5.0.0');
    original = readFileSync(lib(), 'utf8');
  });
  afterEach(() => writeFileSync(lib(), original));

  it('fails a removed public function, naming it and where it was', async () => {
    expect(original).toContain('pub fn validate(');
    const line = original.split('\n').findIndex((l) => l.startsWith('pub fn validate(')) + 1;
    // Remove the doc comment and the function.
    writeFileSync(lib(), original.replace(/\/\/\/ Checks that `bytes`[^\n]*\npub fn validate\([\s\S]*?\n}\n/, ''));
    const r = await checkSemver({ workspaceRoot: ws, crate: 'wasmtime', base: 'v5.0.0', cacheDir, tool: 'rustdoc', offline: true });
    expect(r).toMatchObject({ status: 'breaking', tool: 'rustdoc-json', base: 'v5.0.0' });
    expect(r.baseSha).toBe(await git(ws, 'rev-parse', 'v5.0.0'));
    expect(r.findings).toEqual([
      {
        crate: 'wasmtime',
        item: 'wasmtime::validate',
        kind: 'item-removed',
        message: 'public function removed',
        before: 'pub fn validate(bytes: &[u8]) -> Result<(), Error>',
        location: { file: 'crates/wasmtime/src/lib.rs', line, tree: 'base' },
      },
    ]);
    expect(formatFindings(r.findings, 'v5.0.0')).toContain(`--> crates/wasmtime/src/lib.rs:${line} (at v5.0.0)`);
  });

  it('passes an added function and an unchanged tree, reusing the extracted base', async () => {
    writeFileSync(lib(), original + '\n/// New in this release.\npub fn added_helper() -> u32 { 1 }\n');
    const r = await checkSemver({ workspaceRoot: ws, crate: 'wasmtime', base: 'v5.0.0', cacheDir, tool: 'rustdoc', offline: true });
    expect(r).toMatchObject({ status: 'ok', findings: [] });
    // One extracted tree for the tag, shared by every run.
    expect(readdirSync(cacheDir).filter((n) => n.startsWith('tree-'))).toEqual([`tree-${r.baseSha}`]);
  });

  it('reports a changed method signature in a committed change against an older base', async () => {
    writeFileSync(lib(), original.replace('pub fn config(&self) -> &Config', 'pub fn config(&mut self) -> &Config'));
    await commitAll(ws, 'Engine::config takes &mut self');
    try {
      const r = await checkSemver({ workspaceRoot: ws, crate: 'wasmtime', base: 'v5.0.0', cacheDir, tool: 'rustdoc', offline: true });
      expect(r.findings.map((f) => [f.item, f.message])).toEqual([['wasmtime::Engine::config', 'method signature changed: parameters (&self) → (&mut self)']]);
    } finally {
      writeFileSync(lib(), original);
      await commitAll(ws, 'Revert');
    }
  });

  it('skips a crate without a library target (wasmtime-cli is a binary)', async () => {
    const r = await checkSemver({ workspaceRoot: ws, crate: 'wasmtime-cli', base: 'v5.0.0', cacheDir, tool: 'rustdoc', offline: true });
    expect(r).toMatchObject({ status: 'skipped', findings: [] });
    expect(r.reason).toMatch(/no library target/);
  });

  it('explains a base that does not exist and a crate that is not in the workspace', async () => {
    await expect(checkSemver({ workspaceRoot: ws, crate: 'wasmtime', base: 'v9.9.9', cacheDir, offline: true })).rejects.toThrow(
      /base revision 'v9\.9\.9' is not a commit.*pass --base=/,
    );
    await expect(checkSemver({ workspaceRoot: ws, crate: 'no-such-crate', base: 'v5.0.0', cacheDir, offline: true })).rejects.toThrow(
      /crate 'no-such-crate' is not a package of the Cargo workspace/,
    );
    expect(existsSync(join(cacheDir, 'target-current'))).toBe(true);
  });
});
