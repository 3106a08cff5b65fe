import { parseReleaseBranch } from '@crate-train/git';
import { addMonths } from './dates';
import {
  branchesToPatch,
  evaluateSupport,
  parseAffected,
  parseIsoDate,
  renderSupportTable,
  ReleaseBranchState,
  supportTableJson,
  WASMTIME_POLICY,
} from './index';

/** A release branch as git reads it: its name's line, plus the version it carries and its release date. */
const rb = (branch: string, version: string, releaseDate: string | null, dateSource?: 'releases-md' | 'tag'): ReleaseBranchState => ({
  ...parseReleaseBranch(branch)!,
  version,
  releaseDate,
  ...(dateSource ? { dateSource } : {}),
});

const regular: ReleaseBranchState = rb('release-5.0.0', '5.0.0', '2026-01-20', 'releases-md');
const lts: ReleaseBranchState = rb('release-24.0.0', '24.0.3', '2024-01-20', 'releases-md');
const rc: ReleaseBranchState = rb('release-26.0.0', '26.0.0-rc.1', '2026-03-01');
const unreleased: ReleaseBranchState = rb('release-25.0.0', '25.0.0', null);

function row(branches: ReleaseBranchState[], today: string, branch: string) {
  const t = evaluateSupport(branches, { today, policy: WASMTIME_POLICY });
  const r = t.rows.find((x) => x.branch === branch);
  if (!r) throw new Error(`no row for ${branch}`);
  return r;
}

describe('edge days (support lasts through the end day, inclusive)', () => {
  it('patches a regular release on the day its support ends', () => {
    const r = row([regular], '2026-03-20', 'release-5.0.0');
    expect(r).toMatchObject({ lts: false, endOfSupport: '2026-03-20', status: 'supported', patched: true });
    expect(r.reason).toBe('supported until 2026-03-20');
  });

  it('does not patch it the day after', () => {
    const r = row([regular], '2026-03-21', 'release-5.0.0');
    expect(r).toMatchObject({ status: 'ended', patched: false, affected: true });
    expect(r.reason).toBe('support ended 2026-03-20');
  });

  it('patches an LTS exactly two years old', () => {
    const r = row([lts], '2026-01-20', 'release-24.0.0');
    expect(r).toMatchObject({ lts: true, endOfSupport: '2026-01-20', patched: true });
    expect(r.reason).toBe('LTS (major divisible by 12) supported until 2026-01-20');
  });

  it('does not patch an LTS just over two years old', () => {
    const r = row([lts], '2026-01-21', 'release-24.0.0');
    expect(r).toMatchObject({ lts: true, status: 'ended', patched: false });
    expect(r.reason).toBe('LTS (major divisible by 12) support ended 2026-01-20');
  });

  it('treats a non-multiple of 12 as regular even when young', () => {
    const r = row([rb('release-25.0.0', '25.0.1', '2026-01-01')], '2026-03-02', 'release-25.0.0');
    expect(r).toMatchObject({ lts: false, endOfSupport: '2026-03-01', patched: false });
  });

  it('never patches a release candidate, even inside the window', () => {
    const r = row([rc], '2026-03-02', 'release-26.0.0');
    expect(r).toMatchObject({ status: 'release-candidate', patched: false, affected: false, endOfSupport: null });
    expect(r.reason).toBe('release candidate: never patched');
  });

  it('does not patch a branch with no release date', () => {
    const r = row([unreleased], '2026-03-02', 'release-25.0.0');
    expect(r).toMatchObject({ status: 'unreleased', patched: false, releaseDate: null, endOfSupport: null });
    expect(r.reason).toBe('not released yet');
  });

  it('follows the policy options (no LTS, longer regular support)', () => {
    const t = evaluateSupport([lts], { today: '2024-05-20', policy: { ltsEvery: 0, ltsMonths: 24, regularMonths: 4 } });
    expect(t.rows[0]).toMatchObject({ lts: false, endOfSupport: '2024-05-20', patched: true });
  });

  it('does not make major 0 an LTS', () => {
    const t = evaluateSupport([rb('release-0.40.0', '0.40.0', '2022-09-20')], { today: '2022-10-01' });
    expect(t.rows[0].lts).toBe(false);
  });
});

describe('dates', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths('2024-12-31', 2)).toBe('2025-02-28');
    expect(addMonths('2023-12-31', 2)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 24)).toBe('2026-02-28');
    expect(addMonths('2025-11-15', 2)).toBe('2026-01-15');
  });
  it('rejects malformed and impossible dates, naming the input', () => {
    expect(() => parseIsoDate('2026-02-30', 'today')).toThrow('today: "2026-02-30" is not a calendar day');
    expect(() => parseIsoDate('20/01/2026', '--today')).toThrow('--today: "20/01/2026" is not a date in the form YYYY-MM-DD');
    expect(() => evaluateSupport([{ ...regular, releaseDate: '2026-13-01' }], { today: '2026-01-01' })).toThrow('release date of release-5.0.0');
  });
});

describe('--affected', () => {
  const three: ReleaseBranchState[] = [
    rb('release-3.0.0', '3.0.1', '2025-12-20'),
    rb('release-4.0.0', '4.0.0', '2026-01-20'),
    rb('release-5.0.0', '5.0.0', '2026-02-20'),
  ];

  it('auto patches the supported lines, oldest first', () => {
    const t = evaluateSupport(three, { today: '2026-02-20' });
    expect(t.rows.map((r) => r.branch)).toEqual(['release-5.0.0', 'release-4.0.0', 'release-3.0.0']);
    expect(branchesToPatch(t).map((r) => r.branch)).toEqual(['release-3.0.0', 'release-4.0.0', 'release-5.0.0']);
    const t2 = evaluateSupport(three, { today: '2026-02-21', affected: parseAffected('auto') });
    expect(t2.affected).toBe('auto');
  });

  it('a list names the lines, and may include one whose support ended', () => {
    const t = evaluateSupport(three, { today: '2026-03-01', affected: parseAffected('3.0.0,release-5.0.0') });
    expect(branchesToPatch(t).map((r) => r.branch)).toEqual(['release-3.0.0', 'release-5.0.0']);
    const r3 = t.rows.find((r) => r.branch === 'release-3.0.0')!;
    expect(r3.reason).toBe('support ended 2026-02-20; listed in --affected, patched anyway');
    const r4 = t.rows.find((r) => r.branch === 'release-4.0.0')!;
    expect(r4).toMatchObject({ affected: false, patched: false });
    expect(r4.reason).toBe('not affected (--affected=3.0.0,release-5.0.0); supported until 2026-03-20');
  });

  it('a list entry that is no release branch is an error naming it', () => {
    expect(() => evaluateSupport(three, { today: '2026-03-01', affected: parseAffected('7.0.0') })).toThrow(
      '--affected: 7.0.0 is not a release branch (known release lines: 3.0.0, 4.0.0, 5.0.0)',
    );
  });

  it('a range filters, and the policy still decides', () => {
    const t = evaluateSupport(three, { today: '2026-02-20', affected: parseAffected('>=3.0.1 <5.0.0') });
    expect(branchesToPatch(t).map((r) => r.branch)).toEqual(['release-3.0.0', 'release-4.0.0']);
    const t2 = evaluateSupport(three, { today: '2026-03-01', affected: parseAffected('<5') });
    expect(branchesToPatch(t2).map((r) => r.branch)).toEqual(['release-4.0.0']);
  });

  it('rejects what is neither a list nor a range', () => {
    expect(() => parseAffected('3.0.0,four')).toThrow('--affected: "four" is not a version');
    expect(() => parseAffected('not a range!')).toThrow('neither "auto", a list of versions');
    expect(parseAffected(undefined)).toEqual({ kind: 'auto' });
  });
});

describe('rendering', () => {
  const t = evaluateSupport([regular, lts, rc, unreleased, rb('release-4.0.0', '4.0.2', '2025-12-20', 'tag')], {
    today: '2026-03-20',
  });

  it('prints an aligned text table, newest first', () => {
    expect(renderSupportTable(t)).toBe(
      [
        'Support table for 2026-03-20 (LTS every 12 majors from 24 on, for 24 months, others 2 months; --affected=auto)',
        'VERSION      BRANCH          LTS  RELEASED          END OF SUPPORT  PATCH  WHY',
        '26.0.0-rc.1  release-26.0.0  no   2026-03-01        -               no     release candidate: never patched',
        '25.0.0       release-25.0.0  no   -                 -               no     not released yet',
        '24.0.3       release-24.0.0  yes  2024-01-20        2026-01-20      no     LTS (major divisible by 12) support ended 2026-01-20',
        '5.0.0        release-5.0.0   no   2026-01-20        2026-03-20      yes    supported until 2026-03-20',
        '4.0.2        release-4.0.0   no   2025-12-20 (tag)  2026-02-20      no     support ended 2026-02-20',
      ].join('\n'),
    );
  });

  it('prints the same table as JSON', () => {
    const j = JSON.parse(supportTableJson(t));
    expect(j.today).toBe('2026-03-20');
    expect(j.rows).toHaveLength(5);
    expect(j.rows[3]).toEqual({
      branch: 'release-5.0.0',
      lineVersion: '5.0.0',
      version: '5.0.0',
      major: 5,
      lts: false,
      releaseDate: '2026-01-20',
      dateSource: 'releases-md',
      endOfSupport: '2026-03-20',
      status: 'supported',
      affected: true,
      patched: true,
      reason: 'supported until 2026-03-20',
    });
  });
});
