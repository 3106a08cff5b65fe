// release:publish through real nx, with the BUILT plugin installed, to the local
// registry (the in-process tests are in executor.spec.ts).
import { startLocalRegistry, writeCargoConfig } from '@crate-train/local-registry';
import { copySample, initRepoWithOrigin, installPlugin, runNx, tempDirs } from '@crate-train/testing';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

describe('nx run release:publish in a workspace with the built plugin', () => {
  it('publishes the sample through nx (never from cache) and a re-run uploads nothing', async () => {
    const registry = await startLocalRegistry({ dir: tmp.make('publish-nx-registry'), indexDelayMs: 200, rateLimit: false });
    try {
      const cargo = writeCargoConfig(registry, { cargoHome: tmp.make('publish-nx-cargo-home') });
      const dir = copySample(tmp.make('publish-nx'));
      await installPlugin(dir, { registry: 'local' });
      await initRepoWithOrigin(dir);
      const env = { ...cargo.env, CARGO_NET_OFFLINE: 'false' };
      const first = await runNx(dir, ['run', 'release:publish', '--concurrency=4', '--pollIntervalMs=50'], { env });
      expect(first.stdout).toMatch(/11 uploaded, 0 already published, 0 failed, 0 skipped/);
      expect(registry.uploads().size).toBe(11);
      const second = await runNx(dir, ['run', 'release:publish', '--pollIntervalMs=50'], { env });
      expect(second.stdout).not.toMatch(/existing outputs match the cache/);
      expect(second.stdout).toMatch(/0 uploaded, 11 already published, 0 failed, 0 skipped/);
      expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(registry.token);
      for (const [key, n] of registry.uploadAttempts()) expect([key, n]).toEqual([key, 1]);
    } finally {
      await registry.stop();
    }
  });
});
