import { parseReleaseBranch } from '@crate-train/git';
import { addMonths } from './dates';
import { ciBranches, type ReleaseBranchState } from './index';

/** Wasmtime-like history: N.0.0 cut on the 5th and released on the 20th of (2024-08 + N - 24 months). */
function historyOn(today: string, from = 10, to = 40): ReleaseBranchState[] {
  const out: ReleaseBranchState[] = [];
  for (let n = from; n <= to; n++) {
    const released = addMonths('2024-08-20', n - 24);
    if (`${released.slice(0, 8)}05` > today) continue;
    out.push({ ...parseReleaseBranch(`release-${n}.0.0`)!, version: `${n}.0.0`, releaseDate: released <= today ? released : null, dateSource: 'releases-md' });
  }
  return out;
}

const names = (today: string, branches = historyOn(today)) => ciBranches(branches, { today }).map((b) => `${b.branch}:${b.why}`);

describe('ciBranches: the release branches the weekly CI keeps green', () => {
  it('the newest three (one cut, not released yet) plus the LTS lines still supported', () => {
    // 2025-10-10: 38.0.0 cut on the 5th, 37 and 36 released; 24.0.0 (LTS, until 2026-08-20) and 36.0.0 (LTS) supported.
    expect(names('2025-10-10')).toEqual(['release-38.0.0:newest', 'release-37.0.0:newest', 'release-36.0.0:newest', 'release-24.0.0:lts']);
  });

  it('an LTS line leaves the list when its support ends (24.0.0: 24 months after 2024-08-20)', () => {
    expect(names('2026-08-20')).toContain('release-24.0.0:lts');
    expect(names('2026-08-21')).not.toContain('release-24.0.0:lts');
    expect(names('2026-08-21')).toEqual(['release-40.0.0:newest', 'release-39.0.0:newest', 'release-38.0.0:newest', 'release-36.0.0:lts']);
  });

  it('follows the policy (no LTS) and the count; an empty list when there is no release branch', () => {
    const today = '2025-10-10';
    expect(ciBranches(historyOn(today), { today, policy: { ltsEvery: 0, ltsMonths: 0, regularMonths: 2 }, newest: 2 }).map((b) => b.branch)).toEqual([
      'release-38.0.0',
      'release-37.0.0',
    ]);
    expect(ciBranches([], { today })).toEqual([]);
  });

  it('orders by version, not by name (release-9.0.0 is older than release-10.0.0)', () => {
    const today = '2023-07-30';
    expect(names(today, historyOn(today, 8, 11))).toEqual(['release-11.0.0:newest', 'release-10.0.0:newest', 'release-9.0.0:newest']);
  });
});
