// The index watcher: one loop (the run's upload loop) polls the sparse-index files of
// every crate that is awaited, each request conditional on the file's last ETag
// (If-None-Match, so an unchanged file costs a 304 and no body), one poll per crate at
// a time, each with a short timeout and no inner retries (the next poll is the retry),
// so a hung request delays only its crate. The interval adapts to when a crate is
// likely to appear (nextPollAt): after the first crate shows, the shortest
// upload-to-index delay seen so far predicts the next, and polls are dense only around
// that moment. Dense where it matters, so a dependent starts within a few tens of
// milliseconds of its last dependency showing, and light on the registry the rest of
// the time. At most 16 polls are in flight at once.
import type { CrateEntry, RunContext } from './run-context';

const MAX_POLLS_IN_FLIGHT = 16;

/**
 * When to ask the index next about a crate uploaded at `uploadedAt` (ms, as `now`).
 * Before any crate has shown (`minDelay` unknown): every `pollMs`. After: the crate
 * should show by `uploadedAt + minDelay`, the shortest delay seen so far (an upper
 * bound, as each was seen a poll late). Until shortly before that, every `pollMs`,
 * landing exactly on the dense window's start; in the window (a twentieth of the
 * delay either side, at least 60 ms) every hundredth of the delay (20 ms at least),
 * and in its core, just before the expected moment (two hundredths of the delay
 * before it, at least 40 ms, to half a hundredth after), every 400th (5 ms at
 * least): a dependent starts within a few milliseconds of its dependency showing,
 * and the shortest delay seen converges on the real one, for about ten more
 * requests per crate. After the window, every twentieth of the delay up to twice
 * the delay; then every `pollMs`.
 */
export function nextPollAt(now: number, o: { pollMs: number; uploadedAt?: number; minDelay?: number }): number {
  const { pollMs, uploadedAt, minDelay } = o;
  const steady = now + pollMs;
  if (minDelay === undefined || uploadedAt === undefined) return steady;
  const expected = uploadedAt + minDelay;
  const spread = Math.max(60, minDelay / 20);
  const core = Math.max(20, minDelay / 100);
  const every = (ms: number, least: number) => now + Math.min(pollMs, Math.max(least, ms));
  if (now < expected - spread) return Math.min(steady, expected - spread);
  if (now < expected - 2 * core) return Math.min(every(minDelay / 100, 20), expected - 2 * core);
  if (now <= expected + core / 2) return every(minDelay / 400, 5);
  if (now <= expected + spread) return every(minDelay / 100, 20);
  if (now <= uploadedAt + 2 * minDelay + pollMs) return every(minDelay / 20, 20);
  return steady;
}

export class IndexPolling {
  private readonly http: { attempts: number; timeoutMs: number };
  /** Shortest upload-to-visible delay seen so far. */
  private minDelay: number | undefined;

  constructor(
    private readonly ctx: RunContext,
    /** Called once for each crate the index shows (after its `visible` event). */
    private readonly onVisible: (entry: CrateEntry) => void,
  ) {
    this.http = { attempts: 1, timeoutMs: Math.max(2000, ctx.settings.pollMs * 4) };
  }

  /**
   * Starts the polls that are due for crates waiting for the index (`poke` when one
   * ends); returns when the next one is due (Infinity: none).
   */
  startDue(now: number, poke: () => void): number {
    let nextDue = Infinity;
    let inFlight = this.ctx.crates.filter((e) => e.polling).length;
    for (const entry of this.ctx.crates) {
      if (entry.state !== 'indexing' || entry.polling) continue;
      entry.nextPollAt ??= this.nextPoll(entry, now);
      if (entry.nextPollAt <= now && inFlight >= MAX_POLLS_IN_FLIGHT) {
        nextDue = Math.min(nextDue, now + 20);
      } else if (entry.nextPollAt <= now) {
        inFlight++;
        entry.polling = true;
        entry.nextPollAt = this.nextPoll(entry, now);
        void this.poll(entry).finally(() => {
          entry.polling = false;
          poke();
        });
      } else {
        nextDue = Math.min(nextDue, entry.nextPollAt);
      }
    }
    return nextDue;
  }

  private nextPoll(entry: CrateEntry, now: number): number {
    const uploaded = entry.result.uploadedAt === undefined ? undefined : this.ctx.startedAt + entry.result.uploadedAt;
    return nextPollAt(now, { pollMs: this.ctx.settings.pollMs, uploadedAt: uploaded, minDelay: this.minDelay });
  }

  private async poll(entry: CrateEntry): Promise<void> {
    const { crate, result } = entry;
    let visible = false;
    try {
      visible = await this.ctx.options.index.hasVersion(crate.name, crate.version, this.http);
    } catch {
      return; // asked again at the next poll
    }
    if (entry.state !== 'indexing') return;
    if (!visible) {
      const since = this.ctx.elapsed() - (entry.indexingSince ?? this.ctx.elapsed());
      if (since > this.ctx.settings.visibilityTimeoutMs) {
        this.ctx.fail(entry, `uploaded, but the index still does not show ${crate.name} ${crate.version} after ${Math.round(since / 1000)} s`);
      }
      return;
    }
    entry.state = 'done';
    result.visibleAt = this.ctx.elapsed();
    if (result.uploadedAt !== undefined) this.minDelay = Math.min(this.minDelay ?? Infinity, result.visibleAt - result.uploadedAt);
    this.announceVisible(entry, result.visibleAt);
    this.onVisible(entry);
  }

  /** The `visible` event: which dependents it unblocked, and what the others still wait for. */
  private announceVisible(entry: CrateEntry, visibleAt: number): void {
    const { crate, result } = entry;
    const unblocked = crate.dependents.filter((d) => this.ctx.entry(d).state === 'pending' && this.ctx.depsNotDone(this.ctx.entry(d)).length === 0);
    const stillWaiting = crate.dependents
      .map((d) => this.ctx.entry(d))
      .filter((d) => d.state === 'pending' && this.ctx.depsNotDone(d).length > 0)
      .map((d) => ({ crate: d.crate.name, on: this.ctx.depsNotDone(d) }));
    this.ctx.emit({
      type: 'visible',
      crate: crate.name,
      version: crate.version,
      afterMs: result.uploadedAt !== undefined ? visibleAt - result.uploadedAt : 0,
      unblocked,
      stillWaiting,
      alreadyPublished: result.outcome === 'already-published',
    });
  }
}
