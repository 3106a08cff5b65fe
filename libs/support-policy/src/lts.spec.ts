import { parseReleaseBranch } from '@crate-train/git';
import { addMonths } from './dates';
import { branchesToPatch, evaluateSupport, ReleaseBranchState, renderSupportTable, SupportPolicy, WASMTIME_POLICY } from './index';
import { firstLtsMajorOf, isLts } from './policy';

/** A release branch as git reads it: its name's line, plus the version it carries and its release date. */
const rb = (branch: string, version: string, releaseDate: string | null, dateSource?: 'releases-md' | 'tag'): ReleaseBranchState => ({
  ...parseReleaseBranch(branch)!,
  version,
  releaseDate,
  ...(dateSource ? { dateSource } : {}),
});

/**
 * Wasmtime's release branches 10.0.0 … 35.0.0 as git shows them on `today`.
 * Major N is released on the 20th, one major a month: 24.0.0 on 2024-08-20, so
 * N.0.0 on the 20th of (2024-08 + (N - 24) months). Its branch is cut on the 5th
 * of that month and carries N.0.0 with no release date until the 20th.
 */
function wasmtimeHistoryOn(today: string): ReleaseBranchState[] {
  const branches: ReleaseBranchState[] = [];
  for (let n = 10; n <= 35; n++) {
    const released = addMonths('2024-08-20', n - 24);
    const cut = `${released.slice(0, 8)}05`;
    if (cut > today) continue;
    branches.push(rb(`release-${n}.0.0`, `${n}.0.0`, released <= today ? released : null, 'releases-md'));
  }
  return branches;
}

const patchedOn = (today: string, policy: SupportPolicy = WASMTIME_POLICY) =>
  branchesToPatch(evaluateSupport(wasmtimeHistoryOn(today), { today, policy })).map((r) => r.branch);

describe("Wasmtime's real history: 12.0.0 was a normal release, LTS starts at 24.0.0", () => {
  it('builds the history with the real dates (12.0.0 on 2023-08-20, 24.0.0 on 2024-08-20, 35.0.0 on 2025-07-20)', () => {
    const all = wasmtimeHistoryOn('2025-12-31');
    expect(all).toHaveLength(26);
    const date = (b: string) => all.find((x) => x.branch === b)?.releaseDate;
    expect(date('release-10.0.0')).toBe('2023-06-20');
    expect(date('release-12.0.0')).toBe('2023-08-20');
    expect(date('release-24.0.0')).toBe('2024-08-20');
    expect(date('release-35.0.0')).toBe('2025-07-20');
  });

  it.each([
    // 2025-06-24: 35.0.0 not cut yet; 32.0.0's two months ended 2025-06-20.
    ['2025-06-24'],
    // 2025-07-18: release-35.0.0 is cut but unreleased; 33.0.0 is supported through 2025-07-20.
    ['2025-07-18'],
  ])('on the security-release day %s patches release-24.0.0, 33.0.0 and 34.0.0, and not release-12.0.0', (today) => {
    const patched = patchedOn(today);
    expect(patched).not.toContain('release-12.0.0');
    expect(patched).toContain('release-24.0.0');
    expect(patched).toEqual(['release-24.0.0', 'release-33.0.0', 'release-34.0.0']);
  });

  it('on 2025-07-18 shows release-12.0.0 as a regular line whose support ended in 2023', () => {
    const t = evaluateSupport(wasmtimeHistoryOn('2025-07-18'), { today: '2025-07-18' });
    expect(t.rows.find((r) => r.branch === 'release-12.0.0')).toMatchObject({
      lts: false,
      endOfSupport: '2023-10-20',
      status: 'ended',
      patched: false,
      reason: 'support ended 2023-10-20',
    });
    expect(t.rows.find((r) => r.branch === 'release-24.0.0')).toMatchObject({ lts: true, endOfSupport: '2026-08-20', patched: true });
    expect(t.rows.find((r) => r.branch === 'release-35.0.0')).toMatchObject({ status: 'unreleased', patched: false });
    expect(t.policy.firstLtsMajor).toBe(24);
  });

  it('would patch release-12.0.0 on both days if 12 were an LTS (what the old rule did)', () => {
    const oldRule = { ...WASMTIME_POLICY, firstLtsMajor: 12 };
    expect(patchedOn('2025-06-24', oldRule)).toEqual(['release-12.0.0', 'release-24.0.0', 'release-33.0.0', 'release-34.0.0']);
    expect(patchedOn('2025-07-18', oldRule)).toEqual(['release-12.0.0', 'release-24.0.0', 'release-33.0.0', 'release-34.0.0']);
  });
});

describe('firstLtsMajor', () => {
  it("defaults to 24 in Wasmtime's policy", () => {
    expect(WASMTIME_POLICY.firstLtsMajor).toBe(24);
    expect(WASMTIME_POLICY.ltsEvery).toBe(12);
  });

  it('with 24: 12 is not LTS, 24 and 36 are, 25 and 30 are not', () => {
    expect(isLts(12, WASMTIME_POLICY)).toBe(false);
    expect(isLts(24, WASMTIME_POLICY)).toBe(true);
    expect(isLts(36, WASMTIME_POLICY)).toBe(true);
    expect(isLts(48, WASMTIME_POLICY)).toBe(true);
    expect(isLts(25, WASMTIME_POLICY)).toBe(false);
    expect(isLts(30, WASMTIME_POLICY)).toBe(false);
  });

  it('a custom firstLtsMajor of 12 makes 12 an LTS (and still not 6 or 0)', () => {
    const from12: SupportPolicy = { ...WASMTIME_POLICY, firstLtsMajor: 12 };
    expect(isLts(12, from12)).toBe(true);
    expect(isLts(24, from12)).toBe(true);
    expect(isLts(6, from12)).toBe(false);
    expect(isLts(0, { ...WASMTIME_POLICY, firstLtsMajor: 0 })).toBe(false);
  });

  it('a firstLtsMajor that is no multiple of ltsEvery starts at the next multiple', () => {
    const from30: SupportPolicy = { ...WASMTIME_POLICY, firstLtsMajor: 30 };
    expect(isLts(24, from30)).toBe(false);
    expect(isLts(36, from30)).toBe(true);
  });

  it('a policy without firstLtsMajor gets 24, and the table records it', () => {
    const legacy: SupportPolicy = { ltsEvery: 12, ltsMonths: 24, regularMonths: 2 };
    expect(firstLtsMajorOf(legacy)).toBe(24);
    expect(isLts(12, legacy)).toBe(false);
    const t = evaluateSupport([rb('release-12.0.0', '12.0.0', '2023-08-20')], {
      today: '2025-07-18',
      policy: legacy,
    });
    expect(t.policy).toEqual({ ltsEvery: 12, firstLtsMajor: 24, ltsMonths: 24, regularMonths: 2 });
    expect(t.rows[0]).toMatchObject({ lts: false, patched: false });
    expect(legacy).not.toHaveProperty('firstLtsMajor');
  });

  it('names the first LTS major in the table title', () => {
    const t = evaluateSupport([], { today: '2025-07-18', policy: { ...WASMTIME_POLICY, firstLtsMajor: 36 } });
    expect(renderSupportTable(t).split('\n')[0]).toBe(
      'Support table for 2025-07-18 (LTS every 12 majors from 36 on, for 24 months, others 2 months; --affected=auto)',
    );
  });

  it.each([[-1], [1.5], [Number.NaN]])('rejects firstLtsMajor %p', (bad) => {
    expect(() => evaluateSupport([], { today: '2025-07-18', policy: { ...WASMTIME_POLICY, firstLtsMajor: bad } })).toThrow(
      'support policy: firstLtsMajor must be a whole number >= 0',
    );
  });
});
