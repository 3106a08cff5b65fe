// yank-old-rcs: which candidates a release supersedes (per crate, from its own
// version), and pacing to the yank limit against the local registry's limiter.
import { buildPublishBody, startLocalRegistry, type LocalRegistry } from '@crate-train/local-registry';
import { makeTempDir, removeTempDirs } from '@crate-train/testing';
import { RegistryApi } from './client';
import { formatYankPlan, supersededRcs, yankOldRcs, type YankPlan } from './yank';

afterAll(removeTempDirs);

const v = (num: string, yanked = false) => ({ num, yanked });

describe('supersededRcs (per crate, from the version being released)', () => {
  const published = [v('5.0.0'), v('6.0.0-rc.1'), v('6.0.0-rc.2'), v('6.0.0'), v('7.0.0-rc.1')];

  it('the release supersedes every candidate of its line, and leftovers of older lines; a later line is left alone', () => {
    expect(supersededRcs([v('5.0.0-rc.3'), ...published], '6.0.0')).toEqual([
      { version: '5.0.0-rc.3', supersededBy: '6.0.0' },
      { version: '6.0.0-rc.1', supersededBy: '6.0.0' },
      { version: '6.0.0-rc.2', supersededBy: '6.0.0' },
    ]);
  });

  it('never the version being released: releasing rc.2 yanks rc.1 only', () => {
    expect(supersededRcs([v('6.0.0-rc.1'), v('6.0.0-rc.2')], '6.0.0-rc.2')).toEqual([{ version: '6.0.0-rc.1', supersededBy: '6.0.0-rc.2' }]);
  });

  it('before the release is published, its newest candidate stays (something must be left to resolve to)', () => {
    expect(supersededRcs([v('6.0.0-rc.1'), v('6.0.0-rc.2')], '6.0.0')).toEqual([{ version: '6.0.0-rc.1', supersededBy: '6.0.0-rc.2' }]);
  });

  it('the 0.x line of the Cranelift crates: its own candidates, not the 6.0.0 ones', () => {
    const cranelift = [v('0.92.0'), v('0.93.0-rc.1'), v('0.93.0-rc.2'), v('0.93.0')];
    expect(supersededRcs(cranelift, '0.93.0').map((s) => s.version)).toEqual(['0.93.0-rc.1', '0.93.0-rc.2']);
    // While the 0.93.0 release is not published, rc.2 stays.
    expect(supersededRcs(cranelift.slice(0, 3), '0.93.0').map((s) => s.version)).toEqual(['0.93.0-rc.1']);
  });

  it('yanked versions are neither yanked again nor kept as the release', () => {
    expect(supersededRcs([v('6.0.0-rc.1', true), v('6.0.0-rc.2'), v('6.0.0', true)], '6.0.0')).toEqual([]);
    expect(supersededRcs([v('6.0.0-rc.1', true), v('6.0.0-rc.2', true), v('6.0.0')], '6.0.0')).toEqual([]);
  });
});

describe('pacing to the yank limit (local registry, burst 3, then 1 per 150 ms)', () => {
  let registry: LocalRegistry;
  const statuses: string[] = [];
  beforeAll(async () => {
    registry = await startLocalRegistry({
      dir: makeTempDir('yank-registry'),
      rateLimit: { limits: { 'yank-unyank': { burst: 3, rateMs: 150 }, 'publish-new': { burst: 1000 }, 'publish-update': { burst: 1000 } } },
      log: (l) => statuses.push(l),
    });
    for (const name of ['alpha', 'beta']) {
      for (const vers of ['6.0.0-rc.1', '6.0.0-rc.2', '6.0.0-rc.3', '6.0.0-rc.4', '6.0.0']) {
        const res = await fetch(`${registry.url}/api/v1/crates/new`, {
          method: 'PUT',
          headers: { authorization: registry.token },
          body: buildPublishBody({ name, vers, deps: [], features: {}, description: 'rc', license: 'MIT' }, Buffer.from(vers)),
        });
        expect(res.status).toBe(200);
      }
    }
  });
  afterAll(() => registry.stop());

  it('plans the finish (3 at once, then 5 waits of one period), waits between yanks and is never refused with a 429', async () => {
    const api = new RegistryApi(registry.url, registry.token);
    const rate = { burst: 3, periodMs: 150 };
    let plan: YankPlan | undefined;
    const waits: number[] = [];
    const { yanks } = await yankOldRcs({
      api,
      crates: [
        { name: 'alpha', version: '6.0.0' },
        { name: 'beta', version: '6.0.0' },
      ],
      rate,
      onPlan: (p) => (plan = p),
      onWait: (_ms, left) => waits.push(left),
    });
    expect(plan!.yanks).toHaveLength(8);
    expect(plan!.finishAt - plan!.startAt).toBe(5 * 150);
    expect(formatYankPlan(plan!)[0]).toMatch(
      /^yank plan: 8 superseded release candidates \(6\.0\.0 line: 2 crates\); 3 at once, then 1 every 150 ms: 750 ms of waiting; planned finish \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(waits).toEqual([5, 4, 3, 2, 1]);
    expect(yanks.map((y) => y.result)).toEqual(Array(8).fill('yanked'));
    expect(statuses.filter((l) => l.startsWith('DELETE ')).map((l) => l.split(' ').pop())).toEqual(Array(8).fill('200'));
    for (const name of ['alpha', 'beta']) {
      expect(registry.versions(name).map((x) => `${x.vers}${x.yanked ? ' yanked' : ''}`)).toEqual([
        '6.0.0-rc.1 yanked',
        '6.0.0-rc.2 yanked',
        '6.0.0-rc.3 yanked',
        '6.0.0-rc.4 yanked',
        '6.0.0',
      ]);
    }
    // A re-run finds nothing left to yank.
    const again = await yankOldRcs({ api, crates: [{ name: 'alpha', version: '6.0.0' }], rate });
    expect(again.yanks).toEqual([]);
  });
});
