// One publish run (see scheduler.ts for the life of a crate in it): waits for cargo left
// running by a killed earlier run, asks the registry what it already has, runs the
// preflight, then the upload loop — ready crates upload, critical path first, within
// the free slots and the rate-limit budget; each upload's outcome marks the crate
// uploaded, retries it later or fails it; index polling makes dependents ready — and
// finally waits for the owner checks and reports.
import type { UploadOutcome } from '../cargo-publish';
import { backoffDelay } from '../http';
import { isCargoAlive, type InflightJournal } from '../journal';
import { PublishPreflightError, type PreflightProblem } from '../preflight';
import { planFinish } from '../finish-plan';
import { mapLimit } from '../map-limit';
import { RateBudget, type PublishAction } from '../rate-budget';
import type { PublishReport, PublishRunOptions } from '../scheduler';
import { IndexPolling } from './index-polling';
import { OwnerChecks } from './owners';
import { reportWaits } from './progress';
import { publishReport, stopRun, type StopReason } from './report';
import { RunContext, type CrateEntry } from './run-context';
import { RegistryTokenError } from './token-error';

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (typeof r === 'string' && r) return r;
  if (r instanceof Error && r.name !== 'AbortError' && r.message) return r.message;
  return 'interrupted';
}

const tokenEnvVar = (o: PublishRunOptions) => o.tokenEnvVar ?? 'the registry token variable';
const registryName = (o: PublishRunOptions) => o.registryName ?? 'the registry';

/** A preflight under way: since when, and how to stop it (its cargo runs are killed). */
interface RunningPreflight {
  started: number;
  problems: Promise<PreflightProblem[]>;
  cancel: () => void;
}

export class PublishRun {
  private readonly ctx: RunContext;
  private readonly budget: RateBudget;
  private readonly indexPolling: IndexPolling;
  private readonly owners: OwnerChecks;
  /** What the signal's abort does now (depends on the phase). */
  private onAbortNow: () => void = () => undefined;
  private stopped: PublishReport['stopped'];
  /** Crates that will upload, and how many of them have. */
  private total = 0;
  private uploadedCount = 0;
  /** Upload slots not in use (each slot has its own CARGO_HOME). */
  private readonly freeSlots: number[];
  /** Rate-limit waits already announced, by `action@until`. */
  private readonly announcedWaits = new Set<string>();
  /**
   * Until the registry has accepted the token once, one upload at a time: a rejected
   * token is then met by one request, not by every crate of the first wave.
   */
  private tokenAccepted = false;
  /** Set when no further upload may start; the loop ends once those in flight are done. */
  private halt: { reason: StopReason; message: string; detail?: string } | undefined;
  /** Ends the upload loop's current sleep. */
  private wake: () => void = () => undefined;
  private readonly poke = () => this.wake();

  constructor(private readonly options: PublishRunOptions) {
    this.ctx = new RunContext(options);
    this.budget = new RateBudget(options.rateLimits ?? {});
    this.owners = new OwnerChecks(this.ctx);
    this.indexPolling = new IndexPolling(this.ctx, (entry) => this.owners.ensure(entry));
    this.freeSlots = Array.from({ length: this.ctx.settings.concurrency }, (_, i) => i);
  }

  /** Called when the run's signal aborts. */
  onAbort(): void {
    this.onAbortNow();
  }

  async run(): Promise<PublishReport> {
    const options = this.options;
    if (options.journal && !options.dryRun) await this.waitForLeftovers(options.journal);
    // Packaging needs no answer from the registry: it starts with the questions, for
    // every crate (a fresh release uploads them all), and is redone for fewer if some
    // turn out to be published already (a resumed run).
    const early = options.dryRun || !options.api ? undefined : this.startPreflight(this.ctx.crates);
    await this.probeRegistry();
    if (!options.dryRun && !options.api) throw new Error(options.unreachable ?? 'registry not reachable');
    if (options.dryRun) return this.dryRunReport();
    for (const entry of this.ctx.crates) {
      if (entry.statusError)
        this.ctx.fail(entry, `cannot ask the registry whether ${entry.crate.name} ${entry.crate.version} is published: ${entry.statusError}`);
    }
    // Every check before the first upload.
    const toUpload = this.ctx.crates.filter((e) => e.state === 'pending');
    const stoppedEarly = await this.preflight(toUpload, early);
    if (stoppedEarly) return stoppedEarly;

    this.total = toUpload.length;
    this.announcePlan();
    this.onAbortNow = () => {
      this.checkAbort();
      this.poke();
    };
    for (const entry of this.ctx.crates) {
      if (entry.state === 'pending' && entry.crate.deps.length > 0) this.ctx.emit({ type: 'waiting', crate: entry.crate.name, on: entry.crate.deps });
    }
    await this.uploadLoop();
    await this.owners.settled();
    if (this.halt) {
      if (this.halt.reason === 'token-rejected' && this.uploadedCount === 0) {
        throw new RegistryTokenError(registryName(options), tokenEnvVar(options), this.halt.detail ?? '');
      }
      return this.stopHere(this.halt.reason, this.halt.message);
    }
    return this.report();
  }

  // --- Before the first upload -----------------------------------------------------

  /** Waits for cargo publish processes a killed earlier run left running (or the abort). */
  private async waitForLeftovers(journal: InflightJournal): Promise<void> {
    const left = journal.leftovers();
    if (left.length === 0) return;
    this.ctx.emit({ type: 'leftover', uploads: left });
    const since = Date.now();
    const leftoverWaitMs = this.options.leftoverWaitMs ?? 10 * 60_000;
    const tick = setInterval(() => {
      for (const u of left) {
        if (!isCargoAlive(u.pid)) continue;
        const at = u.key.lastIndexOf('@');
        this.ctx.emit({
          type: 'still-waiting',
          crate: at > 0 ? u.key.slice(0, at) : u.key,
          version: at > 0 ? u.key.slice(at + 1) : '',
          on: 'leftover',
          elapsedMs: Date.now() - since,
          timeoutMs: leftoverWaitMs,
        });
      }
    }, this.ctx.settings.progressMs);
    try {
      const aborted = new Promise<void>((resolve) => (this.options.signal?.aborted ? resolve() : (this.onAbortNow = resolve)));
      await Promise.race([journal.waitForLeftovers(leftoverWaitMs), aborted]);
    } finally {
      clearInterval(tick);
      this.onAbortNow = () => undefined;
    }
  }

  /** What the registry already has (its API knows at once; the index may lag). */
  private async probeRegistry(): Promise<void> {
    const { api, unreachable } = this.options;
    const all = this.ctx.crates;
    await mapLimit(all, 8, async (entry) => {
      try {
        if (!api) throw new Error(unreachable ?? 'registry not reachable');
        const versions = await api.versions(entry.crate.name);
        entry.result.isNew = versions === undefined;
        entry.action = versions === undefined ? 'publish-new' : 'publish-update';
        if (versions?.some((v) => v.num === entry.crate.version)) {
          entry.result.outcome = 'already-published';
          entry.state = 'indexing';
          entry.indexingSince = 0;
        }
      } catch (err) {
        entry.statusError = (err as Error).message;
      }
    });
    this.ctx.emit({
      type: 'status',
      published: all.filter((e) => e.result.outcome === 'already-published').map((e) => e.crate.name),
      toUpload: all.filter((e) => e.state === 'pending' && !e.statusError).map((e) => e.crate.name),
      unknown: all.filter((e) => e.statusError).map((e) => e.crate.name),
    });
  }

  private dryRunReport(): PublishReport {
    for (const entry of this.ctx.crates) {
      if (entry.result.outcome === 'already-published') continue;
      entry.result.outcome = 'would-publish';
      if (entry.statusError) entry.result.note = `registry not asked: ${entry.statusError}`;
    }
    return this.report();
  }

  /** The preflight for `entries`, started now (none without a preflight or crates); it also stops with the run's signal. */
  private startPreflight(entries: readonly CrateEntry[]): RunningPreflight | undefined {
    const { preflight, signal } = this.options;
    if (!preflight || entries.length === 0) return undefined;
    const cancel = new AbortController();
    return {
      started: Date.now(),
      problems: preflight(
        entries.map((e) => e.crate),
        signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal,
      ),
      cancel: () => cancel.abort('not needed'),
    };
  }

  /**
   * `cargo package` of every crate that will upload (the one started early, for every
   * crate, when none is published yet): a problem throws (nothing uploaded); an abort
   * before or during it ends the run (the report it returns).
   */
  private async preflight(toUpload: CrateEntry[], early: RunningPreflight | undefined): Promise<PublishReport | undefined> {
    const signal = this.options.signal;
    const names = toUpload.map((e) => e.crate.name);
    // `toUpload` keeps the run's order, so the same count means the same crates.
    const reuse = early && toUpload.length === this.ctx.crates.length;
    if (early && (!reuse || signal?.aborted)) {
      // Started for more crates than upload: stopped and done (its packages are not kept).
      early.cancel();
      await early.problems.catch(() => []);
    }
    if (signal?.aborted) return this.stopHere('interrupted', abortReason(signal));
    const running = reuse ? early : this.startPreflight(toUpload);
    if (!running) return undefined;
    this.ctx.emit({ type: 'preflight', crates: names });
    const problems = await running.problems;
    // Interrupted while packaging: the problems found so far may not be all of them.
    if (signal?.aborted) return this.stopHere('interrupted', abortReason(signal));
    if (problems.length > 0) throw new PublishPreflightError(problems);
    this.ctx.emit({ type: 'preflight-ok', crates: names, ms: Date.now() - running.started });
    return undefined;
  }

  /** The planned finish time at the registry's limits (finish-plan.ts), before the first upload. */
  private announcePlan(): void {
    const o = this.options;
    const todo = this.ctx.crates.filter((e) => e.state === 'pending');
    if (todo.length === 0) return;
    const indexDelayMs = o.indexDelayEstimateMs ?? 2000;
    const plan = planFinish(
      this.ctx.crates
        .filter((e) => e.state === 'pending' || e.state === 'indexing' || e.state === 'done')
        .map((e) => ({
          name: e.crate.name,
          deps: e.crate.deps,
          chain: e.crate.chain,
          dependents: e.crate.dependents.length,
          listIndex: e.crate.listIndex,
          action: e.action,
          done: e.state !== 'pending',
        })),
      {
        limits: o.rateLimits,
        concurrency: this.ctx.settings.concurrency,
        uploadMs: o.uploadEstimateMs ?? (o.uploaderKind === 'direct' ? 300 : 1500),
        indexDelayMs,
      },
    );
    const waves = new Set(todo.map((e) => e.crate.wave)).size;
    this.ctx.emit({
      type: 'planned',
      uploads: plan.uploads,
      at: Date.now() + plan.finishMs,
      finishMs: plan.finishMs,
      rateFloorMs: plan.rateFloorMs,
      pathMs: plan.pathMs,
      waves,
      indexDelayMs,
      limits: o.rateLimits,
    });
  }

  // --- The upload loop ---------------------------------------------------------------

  private async uploadLoop(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.checkAbort();
      this.settleDependencies();
      let nextWake = this.startReady(now);
      nextWake = Math.min(nextWake, this.indexPolling.startDue(now, this.poke));
      // A line at least every progressMs for each crate that waits.
      nextWake = Math.min(nextWake, reportWaits(this.ctx, now));

      if (this.halt && !this.ctx.anyUploading()) break;
      const active = this.ctx.crates.some((e) => ['pending', 'ready', 'uploading', 'indexing'].includes(e.state));
      if (!active) break;
      await this.sleepUntil(nextWake);
    }
  }

  /** Until `at` (or a minute when nothing is due), or until poked. */
  private async sleepUntil(at: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, Math.max(0, (Number.isFinite(at) ? at : Date.now() + 60_000) - Date.now()));
    });
    clearTimeout(timer);
  }

  private checkAbort(): void {
    const signal = this.options.signal;
    if (!signal?.aborted || this.halt) return;
    this.halt = { reason: 'interrupted', message: abortReason(signal) };
    this.ctx.emit({ type: 'interrupted', reason: this.halt.message, inFlight: this.ctx.inFlight() });
  }

  /** Failures take their dependents down; visibility makes dependents ready. */
  private settleDependencies(): void {
    for (const entry of this.ctx.crates) {
      if (entry.state !== 'pending' && entry.state !== 'ready') continue;
      const broken = entry.crate.deps.find((d) => ['failed', 'skipped'].includes(this.ctx.entry(d).state));
      if (broken) {
        entry.state = 'skipped';
        entry.result.outcome = 'skipped';
        const why = `dependency ${broken} ${this.ctx.entry(broken).state === 'failed' ? 'failed' : 'was skipped'}`;
        entry.result.error = why;
        this.ctx.emit({ type: 'skipped', crate: entry.crate.name, because: why });
        continue;
      }
      if (entry.state === 'pending' && this.ctx.depsNotDone(entry).length === 0) entry.state = 'ready';
    }
  }

  /**
   * Starts the ready crates that may start now (critical path first, then the most
   * dependents, then plan order), announces rate-limit waits; returns when the next
   * held-back crate may start (Infinity: none).
   */
  private startReady(now: number): number {
    let nextWake = Infinity;
    const ready = this.ctx.crates
      .filter((e) => e.state === 'ready')
      .sort((a, b) => b.crate.chain - a.crate.chain || b.crate.dependents.length - a.crate.dependents.length || a.crate.listIndex - b.crate.listIndex);
    const blockedBy = new Map<PublishAction, { until: number; crates: string[] }>();
    for (const entry of ready) {
      if (this.halt) break;
      if (this.freeSlots.length === 0) break;
      if (!this.tokenAccepted && this.ctx.anyUploading()) break;
      if (entry.notBefore > now) {
        nextWake = Math.min(nextWake, entry.notBefore);
        continue;
      }
      const slotAt = this.budget.nextSlot(entry.action, now);
      if (slotAt > now) {
        nextWake = Math.min(nextWake, slotAt);
        if (entry.blockedUntil === undefined || entry.blockedUntil <= now) entry.waitSince = now;
        entry.blockedUntil = slotAt;
        const blocked = blockedBy.get(entry.action) ?? { until: slotAt, crates: [] };
        blocked.crates.push(entry.crate.name);
        blockedBy.set(entry.action, blocked);
        continue;
      }
      entry.blockedUntil = undefined;
      this.budget.take(entry.action, now);
      this.start(entry);
    }
    for (const [action, blocked] of blockedBy) {
      const key = `${action}@${blocked.until}`;
      if (!this.announcedWaits.has(key)) {
        this.announcedWaits.add(key);
        this.ctx.emit({ type: 'rate-limit-wait', action, until: blocked.until, crates: blocked.crates, fromRegistry: false });
      }
    }
    return nextWake;
  }

  private start(entry: CrateEntry): void {
    const { crate, result } = entry;
    const slot = this.freeSlots.shift()!;
    entry.state = 'uploading';
    result.attempts++;
    entry.uploadStart = Date.now();
    result.startedAt ??= this.ctx.elapsed();
    const running = this.ctx.inFlight().length;
    this.ctx.emit({ type: 'upload-start', crate: crate.name, version: crate.version, attempt: result.attempts, running, via: this.options.uploaderKind });
    this.options
      .uploader({ name: crate.name, version: crate.version, slot })
      .catch((err: Error): UploadOutcome => ({ kind: 'transient', message: err.message, reachedUpload: true }))
      .then((out) => this.handleOutcome(entry, out))
      .catch((err: Error) => this.ctx.fail(entry, `internal error: ${err.message}`))
      .finally(() => {
        this.freeSlots.push(slot);
        this.poke();
      });
  }

  // --- What an upload's outcome does ---------------------------------------------------

  private async handleOutcome(entry: CrateEntry, out: UploadOutcome): Promise<void> {
    const now = Date.now();
    if (out.kind === 'uploaded' || out.kind === 'already-exists' || out.kind === 'rate-limited') this.tokenAccepted = true;
    switch (out.kind) {
      case 'uploaded':
        return this.markUploaded(entry, now);
      case 'already-exists':
        return this.markUploaded(entry, now, 'the registry already had this version (an earlier attempt reached it)');
      case 'unauthorized':
        return this.tokenRejected(entry, out.message);
      case 'rate-limited':
        return this.rateLimited(entry, now, out.message, out.retryAt);
      case 'dependency-missing':
        this.budget.refund(entry.action);
        return this.retryLater(entry, `a dependency is not in the index yet: ${out.message}`);
      case 'transient': {
        if (out.reachedUpload) {
          // The upload may have been stored though the answer was lost: ask before resending.
          const there = await this.isPublished(entry);
          if (there) return this.markUploaded(entry, now, 'stored by the registry although cargo saw an error');
        } else {
          this.budget.refund(entry.action);
        }
        return this.retryLater(entry, out.message);
      }
      case 'fatal':
        return this.ctx.fail(entry, out.message);
    }
  }

  /** `now`: when the outcome arrived. */
  private markUploaded(entry: CrateEntry, now: number, note?: string): void {
    const { crate, result } = entry;
    this.budget.confirm(entry.action);
    entry.state = 'indexing';
    result.outcome = 'published';
    result.uploadedAt = this.ctx.elapsed();
    entry.indexingSince = result.uploadedAt;
    if (note) result.note = note;
    this.uploadedCount++;
    this.ctx.emit({
      type: 'uploaded',
      crate: crate.name,
      version: crate.version,
      n: this.uploadedCount,
      total: this.total,
      ms: now - (entry.uploadStart ?? now),
      note,
    });
  }

  private retryLater(entry: CrateEntry, reason: string): void {
    const { backoffMs, maxBackoffMs, maxAttempts } = this.ctx.settings;
    entry.transientAttempts++;
    if (entry.transientAttempts >= maxAttempts) return this.ctx.fail(entry, `${reason} (gave up after ${entry.result.attempts} attempts)`);
    const at = Date.now() + backoffDelay(entry.transientAttempts, backoffMs, maxBackoffMs);
    entry.notBefore = at;
    entry.waitOn = 'retry';
    entry.waitSince = Date.now();
    entry.state = 'ready';
    this.ctx.emit({ type: 'retry', crate: entry.crate.name, attempt: entry.result.attempts, reason, at });
  }

  /** Not this crate's fault: the run stops starting uploads; a re-run resumes it. */
  private tokenRejected(entry: CrateEntry, detail: string): void {
    this.budget.refund(entry.action);
    entry.state = 'ready';
    if (this.halt?.reason === 'token-rejected') return;
    const envVar = tokenEnvVar(this.options);
    const registry = registryName(this.options);
    this.halt = { reason: 'token-rejected', message: new RegistryTokenError(registry, envVar, detail).message, detail };
    // Before any upload was accepted, the thrown RegistryTokenError says it (once).
    if (this.tokenAccepted) {
      this.ctx.emit({ type: 'token-rejected', registry, envVar, detail, inFlight: this.ctx.inFlight().filter((n) => n !== entry.crate.name) });
    }
  }

  /** A 429: waits exactly until its Retry-After (or backs off without one). */
  private rateLimited(entry: CrateEntry, now: number, message: string, retryAt: number | undefined): void {
    const { result } = entry;
    result.rateLimitWaits++;
    if (result.rateLimitWaits > (this.options.maxRateLimitWaits ?? 200))
      return this.ctx.fail(entry, `still rate-limited after ${result.rateLimitWaits} waits: ${message}`);
    let at = retryAt ?? now + backoffDelay(result.rateLimitWaits, this.ctx.settings.backoffMs, this.ctx.settings.maxBackoffMs);
    // A Retry-After already past (a registry that truncates to the second): 1 s more.
    if (at <= now) at = now + 1000;
    this.budget.learn429(entry.action, at);
    entry.notBefore = at;
    entry.waitOn = 'rate-limit';
    entry.waitSince = now;
    entry.state = 'ready';
    this.ctx.emit({ type: 'rate-limit-wait', action: entry.action, until: at, crates: [entry.crate.name], fromRegistry: true });
  }

  /** After an error that may have hidden a stored upload: does the registry have it? (undefined: could not ask) */
  private async isPublished(entry: CrateEntry): Promise<boolean | undefined> {
    try {
      const versions = await this.options.api!.versions(entry.crate.name);
      return !!versions?.some((v) => v.num === entry.crate.version);
    } catch {
      return undefined;
    }
  }

  // --- The report ----------------------------------------------------------------------

  private report(): PublishReport {
    return publishReport(this.ctx, this.stopped);
  }

  /** Ends the run early: what has not started is left for a re-run. */
  private stopHere(reason: StopReason, message: string): PublishReport {
    this.stopped = stopRun(this.ctx, reason, message);
    return this.report();
  }
}
