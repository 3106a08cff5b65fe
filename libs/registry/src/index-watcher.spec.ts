// The index watcher polls with conditional requests (how fast it sees a version is
// measured by tools/bench/publish.ts, not here).
import { indexFilePath } from '@crate-train/local-registry';
import { writeScratchCrate } from '@crate-train/local-registry/testing';
import { makeTempDir, removeTempDirs } from '@crate-train/testing';
import { publishWorkspace } from './publish-workspace';
import type { PublishEvent } from './scheduler';
import { registryFixture } from './testing/e2e-support';

afterAll(removeTempDirs);

describe('the index watcher', () => {
  it('asks with If-None-Match once it has an ETag; the planned finish is announced before the upload', async () => {
    const fx = await registryFixture({ rateLimit: false, recordRequests: true });
    try {
      const dir = makeTempDir('watcher');
      // A previous release, so the index file exists (and has an ETag) while the new version propagates.
      const base = writeScratchCrate(dir, { name: 'watch-base', version: '0.1.0' });
      await publishWorkspace({ workspaceRoot: base, registry: 'local', env: fx.env, crateList: false, pollIntervalMs: 20, rateLimits: 'none' });
      // The delay counts from each version's upload, 0.1.0's too: let 0.1.0 be older than it.
      const first = fx.registry.versions('watch-base')[0].publishedAt;
      await new Promise((r) => setTimeout(r, Math.max(0, first + 1300 - Date.now())));
      fx.registry.setIndexDelay(1200);
      const next = writeScratchCrate(makeTempDir('watcher-next'), { name: 'watch-base', version: '0.2.0' });
      const events: Array<{ at: number; e: PublishEvent }> = [];
      const { report } = await publishWorkspace({
        workspaceRoot: next,
        registry: 'local',
        env: fx.env,
        crateList: false,
        pollIntervalMs: 200,
        rateLimits: 'none',
        onEvent: (e) => events.push({ at: Date.now(), e }),
      });
      expect(report.ok).toBe(true);
      const polls = fx.registry.requests().filter((r) => r.method === 'GET' && r.url.startsWith(`/index/${indexFilePath('watch-base')}`));
      const conditional = polls.filter((r) => typeof r.headers['if-none-match'] === 'string');
      expect(conditional.length).toBeGreaterThan(0);
      expect(conditional.length).toBeGreaterThanOrEqual(polls.length - 2);
      expect(events.some((x) => x.e.type === 'planned')).toBe(true);
    } finally {
      await fx.stop();
    }
  });
});
