import * as semver from 'semver';
import type { ReleaseBranch } from '@crate-train/git';
import { AffectedSpec, describeAffected } from './affected';
import { addMonths, compareDates, parseIsoDate } from './dates';

/**
 * Which release lines get security patches, and for how long.
 * A major is LTS when it is divisible by `ltsEvery` and at least `firstLtsMajor`
 * (Wasmtime, docs/stability-release.md: every 12th major from 24 on; 12.0.0 was a
 * normal release). `ltsEvery: 0` disables LTS.
 */
export interface SupportPolicy {
  ltsEvery: number;
  /** The first LTS major; earlier multiples of `ltsEvery` are regular releases. Absent: WASMTIME_POLICY's (24). */
  firstLtsMajor?: number;
  ltsMonths: number;
  regularMonths: number;
}

export const WASMTIME_POLICY: Required<SupportPolicy> = { ltsEvery: 12, firstLtsMajor: 24, ltsMonths: 24, regularMonths: 2 };

/** The policy's first LTS major (WASMTIME_POLICY's when absent); throws when it is not a whole number >= 0. */
export function firstLtsMajorOf(policy: SupportPolicy): number {
  const first = policy.firstLtsMajor ?? WASMTIME_POLICY.firstLtsMajor;
  if (!Number.isInteger(first) || first < 0) {
    throw new Error(`support policy: firstLtsMajor must be a whole number >= 0, got ${JSON.stringify(policy.firstLtsMajor)}`);
  }
  return first;
}

/**
 * A release branch (its name and line, from libs/git) with what the support
 * policy needs from its contents: the version it carries and its release date.
 */
export interface ReleaseBranchState extends ReleaseBranch {
  /** The version the branch carries now (root Cargo.toml): `3.0.2`, or `6.0.0-rc.1` for a release candidate. */
  version: string;
  /** Day its first release (X.Y.0) went out, `YYYY-MM-DD`; null when not released yet. */
  releaseDate: string | null;
  /** Where the date came from, for the table. */
  dateSource?: 'releases-md' | 'tag';
}

export type SupportStatus = 'supported' | 'ended' | 'release-candidate' | 'unreleased';

/** One line of the support table: the branch and its line (as ReleaseBranch names them), its state and the verdict. */
export interface SupportRow extends Pick<ReleaseBranch, 'branch' | 'lineVersion'> {
  /** The version on the branch now. */
  version: string;
  major: number;
  lts: boolean;
  releaseDate: string | null;
  dateSource: 'releases-md' | 'tag' | null;
  /** Last supported day (inclusive); null for RCs and unreleased lines. */
  endOfSupport: string | null;
  status: SupportStatus;
  affected: boolean;
  patched: boolean;
  reason: string;
}

export interface SupportTable {
  today: string;
  policy: SupportPolicy;
  affected: string;
  /** Newest line first. */
  rows: SupportRow[];
}

export interface EvaluateOptions {
  today: string;
  policy?: SupportPolicy;
  affected?: AffectedSpec;
}

export function isLts(major: number, policy: SupportPolicy): boolean {
  return policy.ltsEvery > 0 && major > 0 && major >= firstLtsMajorOf(policy) && major % policy.ltsEvery === 0;
}

/**
 * The support table for `today`.
 * Edge days: support lasts through the end day inclusive. A line released on
 * 2026-01-20 under a 2-month policy is still patched on 2026-03-20 and not on 2026-03-21.
 * End of support = release date + N calendar months (day clamped to the month's end).
 */
export function evaluateSupport(branches: readonly ReleaseBranchState[], opts: EvaluateOptions): SupportTable {
  const today = parseIsoDate(opts.today, 'today');
  const given = opts.policy ?? WASMTIME_POLICY;
  // The table records the first LTS major it used, also when the caller left it out.
  const policy: SupportPolicy = { ...given, firstLtsMajor: firstLtsMajorOf(given) };
  const affected = opts.affected ?? { kind: 'auto' };

  const rows = branches.map((b) => {
    const lineVersion = b.lineVersion;
    const major = semver.major(lineVersion);
    const lts = isLts(major, policy);
    const isRc = semver.prerelease(b.version) !== null;
    const releaseDate = b.releaseDate ? parseIsoDate(b.releaseDate, `release date of ${b.branch}`) : null;
    const row: SupportRow = {
      branch: b.branch,
      lineVersion,
      version: b.version,
      major,
      lts,
      releaseDate,
      dateSource: releaseDate ? (b.dateSource ?? null) : null,
      endOfSupport: null,
      status: 'unreleased',
      affected: false,
      patched: false,
      reason: '',
    };
    const ltsWhy = lts ? `LTS (major divisible by ${policy.ltsEvery}) ` : '';
    if (isRc) {
      row.status = 'release-candidate';
      row.reason = 'release candidate: never patched';
    } else if (!releaseDate) {
      row.status = 'unreleased';
      row.reason = 'not released yet';
    } else {
      row.endOfSupport = addMonths(releaseDate, lts ? policy.ltsMonths : policy.regularMonths);
      if (compareDates(today, row.endOfSupport) <= 0) {
        row.status = 'supported';
        row.reason = `${ltsWhy}supported until ${row.endOfSupport}`;
      } else {
        row.status = 'ended';
        row.reason = `${ltsWhy}support ended ${row.endOfSupport}`;
      }
    }
    return row;
  });

  applyAffected(rows, affected);
  rows.sort((a, b) => semver.rcompare(a.lineVersion, b.lineVersion));
  return { today, policy, affected: describeAffected(affected), rows };
}

function applyAffected(rows: SupportRow[], spec: AffectedSpec): void {
  const releasable = (r: SupportRow) => r.status === 'supported' || r.status === 'ended';
  if (spec.kind === 'list') {
    for (const entry of spec.entries) {
      if (!rows.some((r) => r.branch === entry || r.lineVersion === entry || r.version === entry)) {
        const known = rows.map((r) => r.lineVersion).join(', ') || 'none';
        throw new Error(`--affected: ${entry} is not a release branch (known release lines: ${known})`);
      }
    }
  }
  for (const r of rows) {
    switch (spec.kind) {
      case 'auto':
        r.affected = releasable(r);
        r.patched = r.status === 'supported';
        break;
      case 'list':
        r.affected = spec.entries.some((e) => e === r.branch || e === r.lineVersion || e === r.version);
        r.patched = r.affected && releasable(r);
        if (r.affected && r.status === 'ended') r.reason += '; listed in --affected, patched anyway';
        if (r.affected && !releasable(r)) r.reason += '; listed in --affected but has no release to patch';
        break;
      case 'range':
        // The line's current version is what a patch would fix.
        r.affected = semver.satisfies(r.version, spec.range) || semver.satisfies(r.lineVersion, spec.range);
        r.patched = r.affected && r.status === 'supported';
        break;
    }
    if (!r.affected && releasable(r)) r.reason = `not affected (--affected=${describeAffected(spec)}); ${r.reason}`;
  }
}

/** The rows to patch, oldest first (the order the release-day PRs are listed in). */
export function branchesToPatch(table: SupportTable): SupportRow[] {
  return table.rows.filter((r) => r.patched).sort((a, b) => semver.compare(a.lineVersion, b.lineVersion));
}
