// When a publish run will finish, worked out before the first upload: the run is
// simulated with the scheduler's own rules — a crate uploads once its dependencies
// are in the index, critical path first, within the upload slots and the registry's
// rate limits (the same token buckets as RateBudget) — with an assumed upload time
// and index delay. Printed so a release manager knows at once whether the run takes
// minutes or an hour (crates.io: new versions burst 30, then 1 per minute), and used
// by the benchmark as the rate-limit bound.
import { RateBudget, type PublishAction, type RateLimitModel } from './rate-budget';

export interface FinishPlanCrate {
  name: string;
  deps: string[];
  /** Longest chain of dependents (the scheduler's priority). */
  chain: number;
  dependents: number;
  listIndex: number;
  action: PublishAction;
  /** Already on the registry: counts as in the index from the start. */
  done?: boolean;
}

export interface FinishPlanOptions {
  limits?: RateLimitModel;
  concurrency: number;
  /** Assumed time from an upload's start to the registry's answer. */
  uploadMs: number;
  /** Assumed time from the registry's answer to the version showing in the index. */
  indexDelayMs: number;
}

export interface FinishPlan {
  /** Milliseconds from the first upload to the last crate in the index. */
  finishMs: number;
  uploads: number;
  /** The rate limits alone: when the last token of each action comes (from a full bucket). */
  rateFloorMs: number;
  /** The dependency chain alone: waves × (upload + index delay). */
  pathMs: number;
  /** Upload order of the simulation (the burst goes to the longest chains). */
  order: string[];
  /** When each upload starts in the simulation (ms). */
  startAt: Record<string, number>;
}

/** Simulates the run (see the file comment). */
export function planFinish(crates: readonly FinishPlanCrate[], o: FinishPlanOptions): FinishPlan {
  const budget = new RateBudget(o.limits ?? {});
  const visibleAt = new Map<string, number>();
  for (const c of crates) if (c.done) visibleAt.set(c.name, 0);
  const todo = crates.filter((c) => !c.done);
  const byPriority = [...todo].sort((a, b) => b.chain - a.chain || b.dependents - a.dependents || a.listIndex - b.listIndex);
  const started = new Set<string>();
  const slotsFreeAt: number[] = Array.from({ length: Math.max(1, o.concurrency) }, () => 0);
  const order: string[] = [];
  const startAt: Record<string, number> = {};
  let now = 0;
  let finish = 0;
  // Only crates whose dependencies are in the index are known; a wave's depth bounds the loop.
  for (let guard = 0; started.size < todo.length && guard < 100_000; guard++) {
    let next = Infinity;
    for (const c of byPriority) {
      if (started.has(c.name)) continue;
      const depsAt = Math.max(0, ...c.deps.map((d) => visibleAt.get(d) ?? Infinity));
      if (depsAt > now) {
        next = Math.min(next, depsAt);
        continue;
      }
      const slot = slotsFreeAt.indexOf(Math.min(...slotsFreeAt));
      if (slotsFreeAt[slot] > now) {
        next = Math.min(next, slotsFreeAt[slot]);
        break;
      }
      const tokenAt = budget.nextSlot(c.action, now);
      if (tokenAt > now) {
        next = Math.min(next, tokenAt);
        continue;
      }
      budget.take(c.action, now);
      started.add(c.name);
      order.push(c.name);
      startAt[c.name] = now;
      slotsFreeAt[slot] = now + o.uploadMs;
      const visible = now + o.uploadMs + o.indexDelayMs;
      visibleAt.set(c.name, visible);
      finish = Math.max(finish, visible);
    }
    if (started.size === todo.length) break;
    if (!Number.isFinite(next)) break; // a dependency outside the plan that never shows: nothing more to simulate
    now = Math.max(now + 1, next);
  }
  const count = (a: PublishAction) => todo.filter((c) => c.action === a).length;
  const rateFloorMs = Math.max(
    RateBudget.floorMs(o.limits?.['publish-new'], count('publish-new')),
    RateBudget.floorMs(o.limits?.['publish-update'], count('publish-update')),
  );
  const depth = longestChain(todo, new Set(crates.filter((c) => c.done).map((c) => c.name)));
  return { finishMs: finish, uploads: todo.length, rateFloorMs, pathMs: depth * (o.uploadMs + o.indexDelayMs), order, startAt };
}

/** Waves among the crates still to upload. */
function longestChain(todo: readonly FinishPlanCrate[], done: ReadonlySet<string>): number {
  const byName = new Map(todo.map((c) => [c.name, c]));
  const memo = new Map<string, number>();
  const depth = (name: string): number => {
    if (memo.has(name)) return memo.get(name)!;
    memo.set(name, 1);
    const c = byName.get(name)!;
    const d = 1 + Math.max(0, ...c.deps.filter((x) => byName.has(x) && !done.has(x)).map(depth));
    memo.set(name, d);
    return d;
  };
  return Math.max(0, ...todo.map((c) => depth(c.name)));
}
