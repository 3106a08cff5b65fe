// release:bump through real nx, with the BUILT plugin installed (the in-process tests are in executor.spec.ts).
import { copySample, git, initRepoWithOrigin, installPlugin, runNx, tempDirs } from '@crate-train/testing';
import { snapshot } from '../../testing/file-snapshot';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

describe('release:bump executor', () => {
  it('through real nx: nx run release:bump --kind=patch --dry-run', async () => {
    const dir = copySample(tmp.make('bump-exec-nx'));
    await installPlugin(dir);
    await initRepoWithOrigin(dir);
    const before = snapshot(dir);
    const r = await runNx(dir, ['run', 'release:bump', '--kind=patch', '--dry-run']);
    expect(r.stdout).toContain('diff --git a/crates/c-api/include/wasmtime.h b/crates/c-api/include/wasmtime.h');
    expect(r.stdout).toContain('-#define WASMTIME_VERSION "5.0.0"');
    expect(r.stdout).toContain('+#define WASMTIME_VERSION "5.0.1"');
    expect(r.stdout).toContain('bump --kind=patch: Wasmtime 5.0.0 -> 5.0.1 (dry run: nothing written)');
    expect(snapshot(dir)).toEqual(before);
    expect((await git(dir, 'status', '--porcelain')).trim()).toBe('');
  });
});
