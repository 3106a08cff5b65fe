// The semver-check executor through the BUILT plugin and real nx, on a copy of
// the sample in a real git repo tagged v5.0.0 (the in-process tests are in executor.spec.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from '@crate-train/semver-check';
import { commitAll, copySample, git, installPlugin, removeTempDirs, runNx } from '@crate-train/testing';
import { ENVIRON, ENVIRON_FN, removeValidate, WASMTIME } from '../../testing/semver-sample';

// The executor keeps base trees and target dirs in a per-workspace cache under os.tmpdir().
const caches: string[] = [];
afterAll(() => {
  for (const c of caches) rmSync(c, { recursive: true, force: true });
  removeTempDirs();
});

describe('semver-check through nx (built plugin)', () => {
  let ws: string;

  beforeAll(async () => {
    ws = copySample();
    caches.push(defaultCacheDir(ws));
    await installPlugin(ws);
    writeFileSync(join(ws, ENVIRON), readFileSync(join(ws, ENVIRON), 'utf8') + ENVIRON_FN);
    await git(ws, 'init', '-q', '-b', 'main');
    await commitAll(ws, 'Wasmtime 5.0.0');
    await git(ws, 'tag', 'v5.0.0');
  });

  it('`nx affected -t semver-check --base=v5.0.0` fails on a removed public function and skips the internal crate', async () => {
    writeFileSync(join(ws, WASMTIME), removeValidate(readFileSync(join(ws, WASMTIME), 'utf8')));
    writeFileSync(join(ws, ENVIRON), readFileSync(join(ws, ENVIRON), 'utf8').replace(ENVIRON_FN, '\n'));
    await commitAll(ws, 'Remove wasmtime::validate and wasmtime_environ::page_size');
    const r = await runNx(ws, ['affected', '-t', 'semver-check', '--base=v5.0.0', '--parallel=1'], { reject: false });
    const out = r.stdout + r.stderr;
    expect(r.exitCode).not.toBe(0);
    expect(out).toContain('`wasmtime::validate`: public function removed');
    // Nx does not hand --base to tasks; the executor read it from the nx command line.
    expect(out).toContain('since v5.0.0 (');
    expect(out).toContain('from nx affected --base)');
    // Internal crates have no semver-check target at all, so nothing runs for them.
    expect(out).not.toContain('page_size');
    // The base from the option, through `nx run`.
    const run = await runNx(ws, ['run', 'wasmtime:semver-check', '--base=v5.0.0'], { reject: false });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('from option)');
  });
});
