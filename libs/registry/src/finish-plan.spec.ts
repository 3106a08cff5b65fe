import { planFinish, type FinishPlanCrate } from './finish-plan';
import { CRATES_IO_RATE_LIMITS } from './rate-budget';

const crate = (name: string, deps: string[], chain: number, extra: Partial<FinishPlanCrate> = {}): FinishPlanCrate => ({
  name,
  deps,
  chain,
  dependents: 0,
  listIndex: 0,
  action: 'publish-update',
  ...extra,
});

// a <- b <- c (the critical path) and four leaves without dependencies.
const chainAndLeaves = [
  crate('l1', [], 0),
  crate('l2', [], 0),
  crate('l3', [], 0),
  crate('l4', [], 0),
  crate('a', [], 2),
  crate('b', ['a'], 1),
  crate('c', ['b'], 0),
];

describe('planFinish', () => {
  it('without limits: the dependency chain sets the finish (waves x (upload + index delay))', () => {
    const p = planFinish(chainAndLeaves, { concurrency: 8, uploadMs: 100, indexDelayMs: 1000 });
    expect(p.finishMs).toBe(3 * 1100);
    expect(p.pathMs).toBe(3 * 1100);
    expect(p.rateFloorMs).toBe(0);
    expect(p.uploads).toBe(7);
  });

  it('under a rate limit the burst goes to the critical path first, and the limit sets the finish', () => {
    const limits = { 'publish-update': { burst: 2, periodMs: 10_000 } };
    const p = planFinish(chainAndLeaves, { limits, concurrency: 8, uploadMs: 100, indexDelayMs: 1000 });
    expect(p.order[0]).toBe('a');
    // b, with the longer chain, takes the first token after the burst ahead of the waiting leaves.
    expect(p.startAt.b).toBe(10_000);
    // 7 uploads, 2 from the burst: the last token comes at 50 s.
    expect(p.rateFloorMs).toBe(50_000);
    expect(p.finishMs).toBe(50_000 + 1100);
  });

  it('crates already published count as in the index from the start', () => {
    const p = planFinish([crate('a', [], 1, { done: true }), crate('b', ['a'], 0)], { concurrency: 2, uploadMs: 100, indexDelayMs: 500 });
    expect(p.uploads).toBe(1);
    expect(p.finishMs).toBe(600);
  });

  it("Wasmtime at crates.io's limits: 58 new versions take about 28 minutes, whatever the index delay", () => {
    // 58 crates in 14 waves (a chain of 14 and 44 leaves).
    const crates = [
      ...Array.from({ length: 14 }, (_, i) => crate(`w${i}`, i ? [`w${i - 1}`] : [], 13 - i)),
      ...Array.from({ length: 44 }, (_, i) => crate(`leaf${i}`, [], 0)),
    ];
    const p = planFinish(crates, { limits: CRATES_IO_RATE_LIMITS, concurrency: 4, uploadMs: 300, indexDelayMs: 10_000 });
    expect(p.rateFloorMs).toBe(28 * 60_000);
    expect(p.finishMs).toBeGreaterThanOrEqual(28 * 60_000);
    expect(p.finishMs).toBeLessThan(28.5 * 60_000);
  });
});
