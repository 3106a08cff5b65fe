// release:verify through real nx, with the BUILT plugin installed, and the Nx
// cache (the in-process tests are in executor.spec.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copySample, initRepoWithOrigin, installPlugin, runNx, tempDirs } from '@crate-train/testing';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

describe('release:verify executor', () => {
  it('through real nx: release:verify runs, and a second run with the same inputs comes from the Nx cache', async () => {
    const dir = copySample(tmp.make('verify-exec-nx'));
    await installPlugin(dir);
    await initRepoWithOrigin(dir);
    const first = await runNx(dir, ['run', 'release:verify']);
    expect(first.stdout).toContain('verify: ok — the tree is publishable');
    const second = await runNx(dir, ['run', 'release:verify']);
    expect(second.stdout).toContain('verify: ok — the tree is publishable');
    expect(second.stdout).toMatch(/existing outputs match the cache|read the output from the cache/);
    // A changed input (the C header) invalidates the cache and fails verify.
    const header = join(dir, 'crates/c-api/include/wasmtime.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace('#define WASMTIME_VERSION_PATCH 0', '#define WASMTIME_VERSION_PATCH 9'));
    const third = await runNx(dir, ['run', 'release:verify'], { reject: false });
    expect(third.exitCode).not.toBe(0);
    expect(third.stdout).toContain('wasmtime.h:28: patch is "9"');
  });
});
