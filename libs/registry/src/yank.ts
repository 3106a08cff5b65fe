// Release candidates (`X.Y.Z-rc.N`) are published from the release branch and yanked
// once something newer of the same crate is out, so nobody resolves to an rc by
// accident. Worked out per crate, from that crate's own version in the tree: the
// Cranelift crates keep their own `0.x` line (0.93.0-rc.1 beside 6.0.0-rc.1), which
// Wasmtime's script gets wrong by reading every crate's candidates off `wasmtime`.
// Yanks are paced to the registry's yank limit (crates.io: 100 at once, then 1 per
// minute), and the plan says when the last one will be done.
import * as semver from 'semver';
import type { RegistryApi } from './client';
import { sleep as defaultSleep } from './http';

/** A published crate and the version the tree is releasing (its version in the workspace). */
export interface ReleasingCrate {
  name: string;
  version: string;
}

/** One yank: the candidate, its line (X.Y.Z), and the version that supersedes it. */
export interface PlannedYank {
  crate: string;
  version: string;
  line: string;
  supersededBy: string;
}

export interface RcYank extends PlannedYank {
  result: 'yanked' | 'would-yank' | 'failed';
  error?: string;
}

/** A token bucket: `burst` yanks at once, then one every `periodMs`. */
export interface YankRate {
  burst: number;
  periodMs: number;
}

/** crates.io (https://crates.io/docs/rate-limits): yanks and unyanks, 100 then 1 per minute. */
export const CRATES_IO_YANK_RATE: YankRate = { burst: 100, periodMs: 60_000 };

export interface YankPlan {
  yanks: PlannedYank[];
  /** Crates asked (those the registry does not have are left out). */
  crates: number;
  /** The rate the yanks are paced to (undefined: not paced). */
  rate?: YankRate;
  startAt: number;
  /** When the last yank may start at that rate: startAt while the burst covers them all. */
  finishAt: number;
}

export interface YankOldRcsOptions {
  api: Pick<RegistryApi, 'versions' | 'yank'>;
  crates: ReleasingCrate[];
  dryRun?: boolean;
  /** Pace to this rate; undefined: no pacing (a 429 is still waited out by the HTTP layer). */
  rate?: YankRate;
  onPlan?: (plan: YankPlan) => void;
  onYank?: (y: RcYank) => void;
  /** Told before each wait the rate makes (how long, and how many yanks are left). */
  onWait?: (ms: number, left: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const RC = /^\d+\.\d+\.\d+-rc\.\d+$/;

/**
 * The candidates of one crate that its release supersedes. `releasing` is the
 * version the tree releases; the newest non-yanked published version up to it
 * (normally `releasing` itself, once published) is kept, and every non-yanked
 * `-rc.N` below that is superseded by it. So the version being released, and
 * anything newer (a later line's candidates), is never yanked; nor is the
 * newest candidate while the release it leads to is not published yet.
 */
export function supersededRcs(versions: Array<{ num: string; yanked: boolean }>, releasing: string): Array<{ version: string; supersededBy: string }> {
  if (!semver.valid(releasing)) return [];
  const live = versions.filter((v) => !v.yanked && semver.valid(v.num));
  const kept = semver.rsort(live.filter((v) => semver.lte(v.num, releasing)).map((v) => v.num))[0];
  if (!kept) return [];
  return live
    .filter((v) => RC.test(v.num) && semver.lt(v.num, kept))
    .map((v) => ({ version: v.num, supersededBy: kept }))
    .sort((a, b) => semver.compare(a.version, b.version));
}

/** When the i-th yank (from 0) may start, from a full bucket at `start`. */
function slot(i: number, start: number, rate: YankRate | undefined): number {
  if (!rate || i < rate.burst) return start;
  return start + (i - rate.burst + 1) * rate.periodMs;
}

/** Reads every crate's versions and works out the yanks, and when they will be done. */
export async function planYanks(o: Pick<YankOldRcsOptions, 'api' | 'crates' | 'rate' | 'now'>): Promise<YankPlan> {
  const yanks: PlannedYank[] = [];
  let crates = 0;
  for (const c of o.crates) {
    const versions = await o.api.versions(c.name);
    if (!versions) continue;
    crates++;
    const line = semver.valid(c.version) ? `${semver.major(c.version)}.${semver.minor(c.version)}.${semver.patch(c.version)}` : c.version;
    for (const s of supersededRcs(versions, c.version)) yanks.push({ crate: c.name, line, ...s });
  }
  const startAt = (o.now ?? Date.now)();
  return { yanks, crates, rate: o.rate, startAt, finishAt: slot(yanks.length - 1, startAt, o.rate) };
}

/** Plans, then yanks (paced to the rate); a failed yank is reported and the rest go on. */
export async function yankOldRcs(o: YankOldRcsOptions): Promise<{ plan: YankPlan; yanks: RcYank[] }> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? defaultSleep;
  const plan = await planYanks(o);
  o.onPlan?.(plan);
  const out: RcYank[] = [];
  // The registry starts its bucket at our first yank; counting from when that one is answered keeps us behind its refills.
  let anchor: number | undefined;
  for (const [i, p] of plan.yanks.entries()) {
    const y: RcYank = { ...p, result: o.dryRun ? 'would-yank' : 'yanked' };
    if (!o.dryRun) {
      const wait = slot(i, anchor ?? plan.startAt, o.rate) - now();
      if (wait > 0) {
        o.onWait?.(wait, plan.yanks.length - i);
        await sleep(wait);
      }
      try {
        await o.api.yank(p.crate, p.version);
      } catch (e) {
        y.result = 'failed';
        y.error = (e as Error).message;
      }
      anchor ??= now();
    }
    o.onYank?.(y);
    out.push(y);
  }
  return { plan, yanks: out };
}

/** The plan in words: how many, which lines, and the planned finish. */
export function formatYankPlan(plan: YankPlan): string[] {
  if (plan.yanks.length === 0) return [];
  const lines = new Map<string, Set<string>>();
  for (const y of plan.yanks) lines.set(y.line, (lines.get(y.line) ?? new Set()).add(y.crate));
  const byLine = [...lines].map(([line, crates]) => `${line} line: ${crates.size} crate${crates.size === 1 ? '' : 's'}`).join(', ');
  const n = plan.yanks.length;
  const at = new Date(plan.finishAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const pace = !plan.rate
    ? 'not paced'
    : n <= plan.rate.burst
      ? `within the registry's burst of ${plan.rate.burst}`
      : `${plan.rate.burst} at once, then 1 every ${formatDuration(plan.rate.periodMs)}: ${formatDuration(plan.finishAt - plan.startAt)} of waiting`;
  return [`yank plan: ${n} superseded release candidate${n === 1 ? '' : 's'} (${byLine}); ${pace}; planned finish ${at}`];
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 120 ? `${m} min${s % 60 ? ` ${s % 60} s` : ''}` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
