// When the index watcher asks about a crate: dense only around the moment the crate
// should show, so a dependent starts soon after it shows, at few requests.
import { nextPollAt } from './index-polling';

/** Every poll time from the upload (t = 0) until the first at or after `visibleAt`. */
function polls(o: { pollMs: number; minDelay?: number; visibleAt: number }): number[] {
  const times: number[] = [];
  let t = nextPollAt(0, { pollMs: o.pollMs, uploadedAt: 0, minDelay: o.minDelay });
  while (t < o.visibleAt) {
    times.push(t);
    t = nextPollAt(t, { pollMs: o.pollMs, uploadedAt: 0, minDelay: o.minDelay });
  }
  times.push(t);
  return times;
}

describe('nextPollAt', () => {
  it('before any crate has shown: every poll interval', () => {
    expect(polls({ pollMs: 500, visibleAt: 1700 })).toEqual([500, 1000, 1500, 2000]);
  });

  it.each([
    [500, 505],
    [2000, 2010],
    [2000, 2100],
    [30_000, 30_200],
  ])('a crate that shows when expected (delay %i ms, shows at %i ms) is seen within 1%% of the delay (20 ms at least), in few polls', (minDelay, visibleAt) => {
    const times = polls({ pollMs: 500, minDelay, visibleAt });
    const seen = times[times.length - 1];
    expect(seen - visibleAt).toBeLessThanOrEqual(Math.max(20, minDelay / 100));
    // Sparse before the window: about one poll per interval, then a score at most.
    expect(times.length).toBeLessThanOrEqual(Math.ceil(minDelay / 500) + 20);
  });

  it.each([500, 2000])('in the core of the window (delay %i ms) a crate is seen within 5 ms of showing, at most 12 polls there', (minDelay) => {
    // The shortest delay seen is an upper bound: the real one is often a little shorter.
    for (const early of [0, 1, 3, 7, 12, 19, 26, 33, 39]) {
      const times = polls({ pollMs: 500, minDelay, visibleAt: minDelay - early });
      expect(times[times.length - 1] - (minDelay - early)).toBeLessThanOrEqual(5);
    }
    const core = polls({ pollMs: 500, minDelay, visibleAt: minDelay + 10 }).filter((t) => t >= minDelay - 40);
    expect(core.length).toBeLessThanOrEqual(12);
  });

  it('lands on the dense window instead of jumping past it', () => {
    const times = polls({ pollMs: 500, minDelay: 1730, visibleAt: 1735 });
    expect(times).toContain(1730 - 1730 / 20);
    expect(times).toContain(1730 - 40);
  });

  it('a crate much later than expected: back to the poll interval after twice the delay', () => {
    const late = nextPollAt(10_000, { pollMs: 500, uploadedAt: 0, minDelay: 2000 });
    expect(late).toBe(10_500);
    const afterWindow = nextPollAt(2500, { pollMs: 500, uploadedAt: 0, minDelay: 2000 });
    expect(afterWindow).toBe(2600);
  });
});
