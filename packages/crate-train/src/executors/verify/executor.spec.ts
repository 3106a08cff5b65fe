import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copySample, tempDirs, executorContext, captureOutput } from '@crate-train/testing';
import runExecutor from './executor';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

describe('release:verify executor', () => {
  it('passes on the sample: a table of every published crate, packaged offline', async () => {
    const dir = copySample(tmp.make('verify-exec-ok'));
    const r = await captureOutput(() => runExecutor({}, executorContext(dir, 'verify')));
    expect(r.err).toBe('');
    expect(r.success).toBe(true);
    expect(r.out).toContain('cargo package wasmtime-cli 5.0.0\n');
    expect(r.out).toContain('verify: Wasmtime 5.0.0, 11 published crates (CRATES_TO_PUBLISH order)\n');
    expect(r.out).toContain('\n  wasmtime                5.0.0    yes     crates/wasmtime/Cargo.toml         ok\n');
    expect(r.out).toContain('packaging: cargo package --offline --no-verify');
    expect(r.out).toContain('version file crates/c-api/include/wasmtime.h: ok (5.0.0)\n');
    expect(r.out).toContain('verify: ok — the tree is publishable\n');
  });

  it('fails listing every error (C header out of date, a rule), non-zero', async () => {
    const dir = copySample(tmp.make('verify-exec-bad'));
    const header = join(dir, 'crates/c-api/include/wasmtime.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace('#define WASMTIME_VERSION "5.0.0"', '#define WASMTIME_VERSION "4.0.0"'));
    const root = join(dir, 'Cargo.toml');
    writeFileSync(
      root,
      readFileSync(root, 'utf8').replace(
        'wasmtime = { path = "crates/wasmtime", version = "5.0.0" }',
        'wasmtime = { path = "crates/wasmtime", version = "=5.0.0" }',
      ),
    );
    const r = await captureOutput(() => runExecutor({ skipPackage: true }, executorContext(dir, 'verify')));
    expect(r.success).toBe(false);
    expect(r.out).toContain('packaging: skipped (--skip-package)\n');
    expect(r.out).toContain(
      'verify: 2 error(s):\n' +
        '  - Cargo.toml:53: [workspace.dependencies] wasmtime (used by wasmtime-wasi, wasmtime-cli) requires wasmtime with "=5.0.0", but wasmtime is in PUBLIC_CRATES, so the requirement must not be exact (its API follows semver) — write "5.0.0"\n' +
        '  - crates/c-api/include/wasmtime.h:16: version is "4.0.0" but the workspace version is 5.0.0 (expected "5.0.0"): run `nx run release:bump` or fix the line by hand\n',
    );
  });
});
