// Release candidates (`X.Y.Z-rc.N`) are published on the cut and yanked once a newer
// release of the same crate supersedes them, so nobody resolves to an rc by accident.
import * as semver from 'semver';
import type { RegistryApi } from './client';

export interface RcYank {
  crate: string;
  version: string;
  /** The release that supersedes it. */
  supersededBy: string;
  result: 'yanked' | 'would-yank' | 'failed';
  error?: string;
}

export interface YankOldRcsOptions {
  api: RegistryApi;
  crates: string[];
  dryRun?: boolean;
  onYank?: (y: RcYank) => void;
}

const RC = /^\d+\.\d+\.\d+-rc\.\d+$/;

/** The rc versions of one crate that a newer non-yanked release supersedes (with that release). */
export function supersededRcs(versions: Array<{ num: string; yanked: boolean }>): Array<{ version: string; supersededBy: string }> {
  const releases = versions.filter((v) => !v.yanked && semver.valid(v.num) && semver.prerelease(v.num) === null).map((v) => v.num);
  const newest = semver.rsort([...releases])[0];
  if (!newest) return [];
  return versions
    .filter((v) => !v.yanked && RC.test(v.num) && semver.gt(newest, v.num))
    .map((v) => ({ version: v.num, supersededBy: releases.filter((r) => semver.gt(r, v.num)).sort(semver.compare)[0] }))
    .sort((a, b) => semver.compare(a.version, b.version));
}

export async function yankOldRcs(o: YankOldRcsOptions): Promise<RcYank[]> {
  const out: RcYank[] = [];
  for (const crate of o.crates) {
    const versions = await o.api.versions(crate);
    if (!versions) continue;
    for (const s of supersededRcs(versions)) {
      const y: RcYank = { crate, ...s, result: o.dryRun ? 'would-yank' : 'yanked' };
      if (!o.dryRun) {
        try {
          await o.api.yank(crate, s.version);
        } catch (e) {
          y.result = 'failed';
          y.error = (e as Error).message;
        }
      }
      o.onYank?.(y);
      out.push(y);
    }
  }
  return out;
}
