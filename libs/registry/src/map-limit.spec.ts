import { mapLimit } from './map-limit';

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

describe('mapLimit', () => {
  it('runs at most `limit` at once, one call per slot at a time, and keeps the items’ order', async () => {
    let running = 0;
    let most = 0;
    const busy = new Set<number>();
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n, slot) => {
      expect(busy.has(slot)).toBe(false);
      busy.add(slot);
      most = Math.max(most, ++running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      busy.delete(slot);
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts nothing more once the signal aborts', async () => {
    const stop = new AbortController();
    const started: number[] = [];
    await mapLimit(
      [1, 2, 3, 4],
      1,
      async (n) => {
        started.push(n);
        if (n === 2) stop.abort();
      },
      stop.signal,
    );
    expect(started).toEqual([1, 2]);
  });
});
