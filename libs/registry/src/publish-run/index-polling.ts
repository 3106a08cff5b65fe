// Waiting for uploaded crates to show in the index, by polling it. One poll per
// waiting crate at a time, each with a short timeout and no inner retries (the next
// poll is the retry), so a hung request delays only its crate. Polls are dense only
// where a crate is likely to appear: from 90% of the shortest propagation delay seen
// so far; before that, one poll a second (the index could have sped up). Keeps the
// load on the registry low without adding latency.
import type { CrateEntry, RunContext } from './run-context';

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
    for (const entry of this.ctx.crates) {
      if (entry.state !== 'indexing' || entry.polling) continue;
      entry.nextPollAt ??= this.nextPoll(entry, now);
      if (entry.nextPollAt <= now) {
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
    const dense = now + this.ctx.settings.pollMs;
    if (this.minDelay === undefined || entry.result.uploadedAt === undefined) return dense;
    const windowStart = this.ctx.startedAt + entry.result.uploadedAt + 0.9 * this.minDelay;
    return now >= windowStart ? dense : Math.max(dense, Math.min(windowStart, now + 1000));
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
