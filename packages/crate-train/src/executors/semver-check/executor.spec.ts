// The semver-check executor on a copy of the sample in a real git repo tagged
// v5.0.0, with real cargo rustdoc (through the built plugin and real nx: executor.nx.spec.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { checkSemver, defaultCacheDir } from '@crate-train/semver-check';
import { captureOutput, commitAll, copySample, git, tempDirs } from '@crate-train/testing';
import { ENVIRON, ENVIRON_FN, removeValidate, WASMTIME } from '../../testing/semver-sample';
import { latestVersionTag, readNxArgv, resolveBase } from './base';
import runExecutor, { INTERNAL_SKIP } from './executor';

// Real `cargo rustdoc` of the base tree and the working tree (2-3 s a check on a loaded machine): more than Jest's default 5 s.
jest.setTimeout(30_000);

const tmp = tempDirs();
// The executor keeps base trees and target dirs in a per-workspace cache under os.tmpdir().
const caches: string[] = [];
afterAll(() => {
  for (const c of caches) rmSync(c, { recursive: true, force: true });
  tmp.cleanup();
});

function context(root: string, project: string, projectRoot: string): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: project,
    projectsConfigurations: { version: 2, projects: { [project]: { root: projectRoot } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}

/** Runs the executor, capturing what it prints (stdout, then stderr). */
async function runCapturing(options: Parameters<typeof runExecutor>[0], ctx: ExecutorContext, env: Record<string, string | undefined> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    const r = await captureOutput(() => runExecutor(options, ctx));
    return { ...r, output: r.out + r.err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('readNxArgv', () => {
  it('reads --base of nx affected, in both spellings, and nothing from other nx commands', () => {
    expect(readNxArgv(['node', '/ws/node_modules/nx/dist/bin/nx.js', 'affected', '-t', 'semver-check', '--base=v5.0.0'])).toEqual({
      isNx: true,
      base: 'v5.0.0',
    });
    expect(readNxArgv(['node', '/ws/node_modules/.bin/nx', 'affected', '--base', 'v5.0.0', '-t', 'x'])).toEqual({ isNx: true, base: 'v5.0.0' });
    expect(readNxArgv(['node', '/ws/node_modules/.bin/nx', 'run', 'wasmtime:semver-check'])).toEqual({ isNx: true });
    expect(readNxArgv(['node', '/ws/node_modules/.bin/nx', 'affected', '-t', 'x'])).toEqual({ isNx: true });
    expect(readNxArgv(['node', '/usr/lib/jest.js', '--base=v1'])).toEqual({ isNx: false });
  });
});

describe('semver-check executor on the sample tagged v5.0.0', () => {
  let ws: string;
  let wasmtimeSrc: string;
  let environSrc: string;

  beforeAll(async () => {
    ws = copySample();
    caches.push(defaultCacheDir(ws));
    writeFileSync(join(ws, ENVIRON), readFileSync(join(ws, ENVIRON), 'utf8') + ENVIRON_FN);
    await git(ws, 'init', '-q', '-b', 'main');
    await commitAll(ws, 'Wasmtime 5.0.0');
    await git(ws, 'tag', 'v4.0.0');
    await git(ws, 'tag', 'v5.0.0');
    wasmtimeSrc = readFileSync(join(ws, WASMTIME), 'utf8');
    environSrc = readFileSync(join(ws, ENVIRON), 'utf8');
  });
  afterEach(() => {
    writeFileSync(join(ws, WASMTIME), wasmtimeSrc);
    writeFileSync(join(ws, ENVIRON), environSrc);
  });

  it('fails a public crate whose public function was removed, naming it and where it was', async () => {
    writeFileSync(join(ws, WASMTIME), removeValidate(wasmtimeSrc));
    const r = await runCapturing({ crate: 'wasmtime', base: 'v5.0.0', offline: true }, context(ws, 'wasmtime', 'crates/wasmtime'));
    expect(r.success).toBe(false);
    expect(r.output).toContain('semver-check wasmtime: 1 breaking change to the public API since v5.0.0');
    expect(r.output).toContain('error[item-removed]: wasmtime: `wasmtime::validate`: public function removed');
    expect(r.output).toContain('before: pub fn validate(bytes: &[u8]) -> Result<(), Error>');
    expect(r.output).toMatch(/--> crates\/wasmtime\/src\/lib\.rs:\d+ \(at v5\.0\.0\)/);
  });

  it('skips the same change in an internal crate, whose exact pins allow it', async () => {
    writeFileSync(join(ws, ENVIRON), environSrc.replace(ENVIRON_FN, '\n'));
    // The change is real and visible to the checker…
    const direct = await checkSemver({
      workspaceRoot: ws,
      crate: 'wasmtime-environ',
      base: 'v5.0.0',
      offline: true,
      tool: 'rustdoc',
      cacheDir: defaultCacheDir(ws),
    });
    expect(direct.findings.map((f) => f.item)).toEqual(['wasmtime_environ::page_size']);
    // …but the executor lets it pass because wasmtime-environ is not in PUBLIC_CRATES.
    const r = await runCapturing({ crate: 'wasmtime-environ', base: 'v5.0.0' }, context(ws, 'wasmtime-environ', 'crates/environ'));
    expect(r.success).toBe(true);
    expect(r.output).toContain(`semver-check wasmtime-environ: ${INTERNAL_SKIP}; wasmtime-environ is not in PUBLIC_CRATES of scripts/publish.rs`);
  });

  it('passes an added public function', async () => {
    writeFileSync(join(ws, WASMTIME), wasmtimeSrc + '\n/// New API.\npub fn engine_count() -> usize {\n    0\n}\n');
    const r = await runCapturing({ crate: 'wasmtime', base: 'v5.0.0', offline: true }, context(ws, 'wasmtime', 'crates/wasmtime'));
    expect(r.output).toContain('semver-check wasmtime: no breaking change to the public API since v5.0.0');
    expect(r.success).toBe(true);
  });

  it('prints JSON with --json', async () => {
    writeFileSync(join(ws, WASMTIME), removeValidate(wasmtimeSrc));
    const r = await runCapturing({ crate: 'wasmtime', base: 'v5.0.0', json: true, offline: true }, context(ws, 'wasmtime', 'crates/wasmtime'));
    expect(r.success).toBe(false);
    const result = JSON.parse(r.output);
    expect(result).toMatchObject({ crate: 'wasmtime', base: 'v5.0.0', status: 'breaking', tool: 'rustdoc-json' });
    expect(result.findings).toEqual([expect.objectContaining({ item: 'wasmtime::validate', kind: 'item-removed' })]);
  });

  it('takes the base from NX_BASE, else the highest v* tag reachable from HEAD, else says what to pass', async () => {
    expect(await resolveBase(undefined, ws, { NX_BASE: 'v4.0.0' })).toEqual({ base: 'v4.0.0', source: 'NX_BASE' });
    expect(await resolveBase(undefined, ws, {})).toEqual({ base: 'v5.0.0', source: 'latest v* tag' });
    expect(await latestVersionTag(ws)).toBe('v5.0.0');
    const bare = tmp.make('semver-notag');
    await git(bare, 'init', '-q', '-b', 'main');
    await expect(resolveBase(undefined, bare, {})).rejects.toThrow(/no base revision.*--base=v5\.0\.0.*NX_BASE/);
    writeFileSync(join(ws, WASMTIME), removeValidate(wasmtimeSrc));
    const r = await runCapturing({ crate: 'wasmtime', offline: true }, context(ws, 'wasmtime', 'crates/wasmtime'), { NX_BASE: 'v5.0.0' });
    expect(r.output).toContain('since v5.0.0 (');
    expect(r.output).toContain('from NX_BASE)');
  });

  it('explains a base that does not exist', async () => {
    const r = await runCapturing({ crate: 'wasmtime', base: 'v7.7.7' }, context(ws, 'wasmtime', 'crates/wasmtime'));
    expect(r.success).toBe(false);
    expect(r.output).toMatch(/base revision 'v7\.7\.7' is not a commit/);
  });
});
