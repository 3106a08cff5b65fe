// Which release branches the weekly CI run keeps green: Wasmtime's
// ci/trigger-release-branch-ci.rs takes the newest three release branches (the
// two supported ones and the one cut but not yet released) plus the LTS
// branches; here the LTS branches are those the support policy still supports.
import * as semver from 'semver';
import { evaluateSupport, type ReleaseBranchState, type SupportPolicy, type SupportRow } from './policy';

export interface CiBranch {
  branch: string;
  version: string;
  lts: boolean;
  /** Why it is in the list: `newest` (one of the newest N) or `lts` (an LTS line still supported). */
  why: 'newest' | 'lts';
  endOfSupport: string | null;
}

export interface CiBranchOptions {
  today: string;
  policy?: SupportPolicy;
  /** How many of the newest release branches (default 3). */
  newest?: number;
}

/** The release branches to run CI on, newest first. */
export function ciBranches(branches: readonly ReleaseBranchState[], o: CiBranchOptions): CiBranch[] {
  const table = evaluateSupport(branches, { today: o.today, policy: o.policy });
  const rows = [...table.rows].sort((a, b) => semver.rcompare(a.lineVersion, b.lineVersion));
  const newest = o.newest ?? 3;
  const pick = (r: SupportRow, why: CiBranch['why']): CiBranch => ({ branch: r.branch, version: r.version, lts: r.lts, why, endOfSupport: r.endOfSupport });
  const out = rows.slice(0, newest).map((r) => pick(r, 'newest'));
  for (const r of rows.slice(newest)) if (r.lts && r.status === 'supported') out.push(pick(r, 'lts'));
  return out;
}
