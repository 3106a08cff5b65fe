import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { copySample, tempDirs, executorContext, captureOutput } from '@crate-train/testing';
import { snapshot } from '../../testing/file-snapshot';
import runExecutor from './executor';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

describe('release:bump executor', () => {
  it('--dry-run prints a unified diff and the summary, writes nothing', async () => {
    const dir = copySample(tmp.make('bump-exec-dry'));
    const before = snapshot(dir);
    const r = await captureOutput(() => runExecutor({ kind: 'major', dryRun: true }, executorContext(dir, 'bump')));
    expect(r.err).toBe('');
    expect(r.success).toBe(true);
    expect(snapshot(dir)).toEqual(before);
    expect(r.out).toContain('diff --git a/Cargo.toml b/Cargo.toml\n');
    expect(r.out).toContain('-version = "5.0.0"\n+version = "6.0.0"\n');
    expect(r.out).toContain('-#define WASMTIME_VERSION_MAJOR 5\n+#define WASMTIME_VERSION_MAJOR 6\n');
    expect(r.out).toContain('bump --kind=major: Wasmtime 5.0.0 -> 6.0.0 (dry run: nothing written)\n');
    expect(r.out).toContain('\n  cranelift-codegen       0.92.0 -> 0.93.0\n');
    expect(r.out).toContain('\n  wasmtime-c-api          5.0.0  -> 6.0.0  (not published: inherits [workspace.package] version)\n');
    expect(r.out).toContain('files to change (10):\n  Cargo.toml\n');
    // The diff is real: git apply on the copy yields what a real bump writes.
    const diff = r.out.slice(0, r.out.indexOf('bump --kind='));
    await run('git', ['apply', '-'], { cwd: dir, input: diff });
    const applied = snapshot(dir);
    const other = copySample(tmp.make('bump-exec-real'));
    const real = await captureOutput(() => runExecutor({ kind: 'major' }, executorContext(other, 'bump')));
    expect(real.success).toBe(true);
    expect(real.out).toContain('files changed (10):\n');
    expect(snapshot(other)).toEqual(applied);
    await run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline'], { cwd: other });
  });

  it('a wrong --version fails with the current and expected versions and writes nothing', async () => {
    const dir = copySample(tmp.make('bump-exec-version'));
    const before = snapshot(dir);
    const r = await captureOutput(() => runExecutor({ kind: 'patch', version: '5.0.2' }, executorContext(dir, 'bump')));
    expect(r.success).toBe(false);
    expect(r.err).toBe(
      'error: the bump was not applied (no file changed):\n  - --version 5.0.2 is not the next patch version: current is 5.0.0, expected 5.0.1\n',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('a crate-list rule violation stops the bump before anything is written', async () => {
    const dir = copySample(tmp.make('bump-exec-rule'));
    const p = join(dir, 'crates/environ/Cargo.toml');
    writeFileSync(p, readFileSync(p, 'utf8').replace('version  = "=0.92.0"', 'version  = "0.92.0"'));
    const before = snapshot(dir);
    const r = await captureOutput(() => runExecutor({ kind: 'major' }, executorContext(dir, 'bump')));
    expect(r.success).toBe(false);
    expect(r.err).toContain(
      '  - crates/environ/Cargo.toml:12: wasmtime-environ depends on cranelift-entity with "0.92.0", but cranelift-entity is not in PUBLIC_CRATES, so the requirement must be exact',
    );
    expect(snapshot(dir)).toEqual(before);
  });
});
