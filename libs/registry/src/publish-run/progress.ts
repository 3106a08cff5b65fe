// Long waits speak: a `still-waiting` event at least every `progressIntervalMs` for
// each crate that waits (for cargo to finish its upload, for the index, for a retry,
// for the rate limit).
import type { WaitKind } from '../scheduler';
import type { CrateEntry, RunContext } from './run-context';

interface Wait {
  on: WaitKind;
  /** Epoch ms the wait began. */
  since: number;
  timeoutMs?: number;
  until?: number;
  attempt?: number;
  maxAttempts?: number;
  via?: 'cargo' | 'direct';
}

/** What an entry is waiting for now, when it is a wait worth reporting. */
function currentWait(ctx: RunContext, entry: CrateEntry, now: number): Wait | undefined {
  const { maxAttempts, visibilityTimeoutMs } = ctx.settings;
  if (entry.state === 'uploading' && entry.uploadStart !== undefined)
    return { on: 'upload', since: entry.uploadStart, timeoutMs: ctx.options.uploadTimeoutMs, via: ctx.options.uploaderKind };
  if (entry.state === 'indexing') return { on: 'index', since: ctx.startedAt + (entry.indexingSince ?? 0), timeoutMs: visibilityTimeoutMs };
  if (entry.state === 'ready' && entry.notBefore > now && entry.waitOn && entry.waitSince !== undefined) {
    return entry.waitOn === 'retry'
      ? { on: 'retry', since: entry.waitSince, until: entry.notBefore, attempt: entry.result.attempts + 1, maxAttempts }
      : { on: 'rate-limit', since: entry.waitSince, until: entry.notBefore };
  }
  if (entry.state === 'ready' && entry.blockedUntil !== undefined && entry.blockedUntil > now)
    return { on: 'rate-limit', since: entry.waitSince ?? now, until: entry.blockedUntil };
  return undefined;
}

/** Sends the `still-waiting` events that are due; returns when the next one is due (Infinity: none). */
export function reportWaits(ctx: RunContext, now: number): number {
  const { progressMs } = ctx.settings;
  let nextDue = Infinity;
  for (const entry of ctx.crates) {
    const wait = currentWait(ctx, entry, now);
    if (!wait) {
      entry.progress = undefined;
      continue;
    }
    const key = `${wait.on}@${wait.since}`;
    if (entry.progress?.key !== key) entry.progress = { key, at: wait.since + progressMs };
    if (entry.progress.at <= now) {
      const { since, ...rest } = wait;
      ctx.emit({ type: 'still-waiting', crate: entry.crate.name, version: entry.crate.version, ...rest, elapsedMs: now - since });
      entry.progress.at = now + progressMs;
    }
    nextDue = Math.min(nextDue, entry.progress.at);
  }
  return nextDue;
}
