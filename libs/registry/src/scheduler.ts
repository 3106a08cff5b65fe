// The publish scheduler. Every crate of the plan goes
//   pending -> ready -> uploading -> indexing -> done
// (or failed / skipped). A crate is ready once every dependency is visible in the
// index; ready crates upload concurrently, bounded by `concurrency` and by the
// rate-limit budget, critical path first. What the registry already has is skipped
// (asked of its API, so a re-run after a crash resumes without sending anything
// twice). Visibility is awaited by polling the index, not by sleeping. A 429 waits
// exactly until its Retry-After; 5xx, timeouts and a dependency the index does not
// show yet retry with backoff; a crate that still fails only takes its dependents
// down with it.
import type { RegistryApi, SparseIndex } from './client';
import { backoffDelay } from './http';
import type { InflightJournal, LeftoverUpload } from './journal';
import type { PlanCrate, PublishPlan } from './plan';
import { RateBudget, type PublishAction, type RateLimitModel } from './rate-budget';
import type { UploadOutcome, Uploader } from './cargo-publish';

export type CrateOutcome = 'published' | 'already-published' | 'would-publish' | 'failed' | 'skipped';

export interface CrateResult {
  name: string;
  version: string;
  wave: number;
  outcome: CrateOutcome;
  /** The crate did not exist on the registry before this run. */
  isNew?: boolean;
  /** cargo publish runs. */
  attempts: number;
  rateLimitWaits: number;
  /** Milliseconds since the start of the run. */
  startedAt?: number;
  uploadedAt?: number;
  visibleAt?: number;
  note?: string;
  error?: string;
  owner?: { login: string; result: 'added' | 'present' | 'failed'; error?: string };
}

export type PublishEvent =
  | { type: 'leftover'; uploads: LeftoverUpload[] }
  | { type: 'status'; published: string[]; toUpload: string[]; unknown: string[] }
  | { type: 'waiting'; crate: string; on: string[] }
  | { type: 'upload-start'; crate: string; version: string; attempt: number; running: number }
  | { type: 'uploaded'; crate: string; version: string; n: number; total: number; ms: number; note?: string }
  | { type: 'visible'; crate: string; version: string; afterMs: number; unblocked: string[]; stillWaiting: Array<{ crate: string; on: string[] }>; alreadyPublished: boolean }
  | { type: 'rate-limit-wait'; action: PublishAction; until: number; crates: string[]; fromRegistry: boolean }
  | { type: 'retry'; crate: string; attempt: number; reason: string; at: number }
  | { type: 'failed'; crate: string; error: string }
  | { type: 'skipped'; crate: string; because: string }
  | { type: 'owner'; crate: string; login: string; result: 'added' | 'present' }
  | { type: 'owner-failed'; crate: string; login: string; error: string };

export interface PublishRunOptions {
  plan: PublishPlan;
  index: SparseIndex;
  /** Undefined only for a dry run against a registry that could not be reached (see `unreachable`). */
  api?: RegistryApi;
  /** Why the registry could not be asked (dry run only): the plan is shown without what is published. */
  unreachable?: string;
  uploader: Uploader;
  dryRun?: boolean;
  /** Uploads at once. Default 4. */
  concurrency?: number;
  /** How often the index is asked about uploaded crates. Default 500 ms. */
  pollIntervalMs?: number;
  /** Give up on a crate the index does not show this long after its upload. Default 30 min. */
  visibilityTimeoutMs?: number;
  /** cargo runs per crate for 5xx/timeouts/missing dependencies. Default 6. */
  maxAttempts?: number;
  /** 429 waits per crate before giving up. Default 200. */
  maxRateLimitWaits?: number;
  /** First retry backoff (doubles). Default 2 s. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** The registry's publish limits, to pace uploads; unknown = learn from 429s only. */
  rateLimits?: RateLimitModel;
  /** Owner (e.g. `github:org:team`) every published crate must have. */
  ownerTeam?: string;
  journal?: InflightJournal;
  /** How long to wait for cargo left running by a killed earlier run. Default 10 min. */
  leftoverWaitMs?: number;
  onEvent?: (e: PublishEvent) => void;
}

export interface PublishReport {
  dryRun: boolean;
  wallMs: number;
  crates: CrateResult[];
  waves: string[][];
  warnings: string[];
  uploaded: string[];
  alreadyPublished: string[];
  failed: string[];
  skipped: string[];
  ok: boolean;
}

type State = 'pending' | 'ready' | 'uploading' | 'indexing' | 'done' | 'failed' | 'skipped';

interface Entry {
  c: PlanCrate;
  state: State;
  r: CrateResult;
  action: PublishAction;
  notBefore: number;
  transientAttempts: number;
  statusError?: string;
  uploadStart?: number;
  /** When it started waiting for the index (ms since the start of the run). */
  indexingSince?: number;
  polling?: boolean;
  nextPollAt?: number;
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]);
  });
  await Promise.all(workers);
}

/** Publishes (or, with dryRun, plans) every crate of the plan. Never throws for a crate's failure. */
export async function publishPlan(o: PublishRunOptions): Promise<PublishReport> {
  const t0 = Date.now();
  const rel = () => Date.now() - t0;
  const emit = (e: PublishEvent) => o.onEvent?.(e);
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const pollMs = o.pollIntervalMs ?? 500;
  const maxAttempts = o.maxAttempts ?? 6;
  const backoffMs = o.backoffMs ?? 2000;
  const maxBackoffMs = o.maxBackoffMs ?? 60_000;
  const budget = new RateBudget(o.rateLimits ?? {});

  if (o.journal && !o.dryRun) {
    const left = o.journal.leftovers();
    if (left.length > 0) {
      emit({ type: 'leftover', uploads: left });
      await o.journal.waitForLeftovers(o.leftoverWaitMs ?? 10 * 60_000);
    }
  }

  const entries = new Map<string, Entry>();
  for (const c of o.plan.crates) {
    entries.set(c.name, {
      c,
      state: 'pending',
      r: { name: c.name, version: c.version, wave: c.wave, outcome: 'skipped', attempts: 0, rateLimitWaits: 0 },
      action: 'publish-update',
      notBefore: 0,
      transientAttempts: 0,
    });
  }
  const all = [...entries.values()];

  // What the registry already has (its API knows at once; the index may lag).
  await mapLimit(all, 8, async (e) => {
    try {
      if (!o.api) throw new Error(o.unreachable ?? 'registry not reachable');
      const versions = await o.api.versions(e.c.name);
      e.r.isNew = versions === undefined;
      e.action = versions === undefined ? 'publish-new' : 'publish-update';
      if (versions?.some((v) => v.num === e.c.version)) {
        e.r.outcome = 'already-published';
        e.state = 'indexing';
        e.indexingSince = 0;
      }
    } catch (err) {
      e.statusError = (err as Error).message;
    }
  });
  emit({
    type: 'status',
    published: all.filter((e) => e.r.outcome === 'already-published').map((e) => e.c.name),
    toUpload: all.filter((e) => e.state === 'pending' && !e.statusError).map((e) => e.c.name),
    unknown: all.filter((e) => e.statusError).map((e) => e.c.name),
  });

  const report = (): PublishReport => {
    const crates = all.map((e) => e.r);
    const failed = crates.filter((r) => r.outcome === 'failed' || r.owner?.result === 'failed').map((r) => r.name);
    const skipped = crates.filter((r) => r.outcome === 'skipped').map((r) => r.name);
    return {
      dryRun: !!o.dryRun,
      wallMs: rel(),
      crates,
      waves: o.plan.waves,
      warnings: o.plan.warnings,
      uploaded: crates.filter((r) => r.outcome === 'published').map((r) => r.name),
      alreadyPublished: crates.filter((r) => r.outcome === 'already-published').map((r) => r.name),
      failed,
      skipped,
      ok: failed.length === 0 && skipped.length === 0 && (o.dryRun || crates.every((r) => r.outcome === 'published' || r.outcome === 'already-published')),
    };
  };

  if (!o.dryRun && !o.api) throw new Error(o.unreachable ?? 'registry not reachable');
  if (o.dryRun) {
    for (const e of all) {
      if (e.r.outcome === 'already-published') continue;
      e.r.outcome = 'would-publish';
      if (e.statusError) e.r.note = `registry not asked: ${e.statusError}`;
    }
    return report();
  }

  for (const e of all) {
    if (e.statusError) fail(e, `cannot ask the registry whether ${e.c.name} ${e.c.version} is published: ${e.statusError}`);
  }

  const total = all.filter((e) => e.state === 'pending').length;
  let uploadedCount = 0;
  let wake: () => void = () => undefined;
  const poke = () => wake();
  const freeSlots = Array.from({ length: concurrency }, (_, i) => i);
  const ownerTasks: Promise<void>[] = [];
  const announcedWaits = new Set<string>();

  function fail(e: Entry, error: string): void {
    e.state = 'failed';
    e.r.outcome = 'failed';
    e.r.error = error;
    emit({ type: 'failed', crate: e.c.name, error });
  }

  const depsNotDone = (e: Entry) => e.c.deps.filter((d) => entries.get(d)!.state !== 'done');

  for (const e of all) {
    if (e.state === 'pending' && e.c.deps.length > 0) emit({ type: 'waiting', crate: e.c.name, on: e.c.deps });
  }

  function ensureOwner(e: Entry): void {
    const login = o.ownerTeam;
    if (!login) return;
    ownerTasks.push(
      (async () => {
        try {
          const owners = await o.api!.owners(e.c.name);
          if (owners.some((x) => x.login === login)) {
            e.r.owner = { login, result: 'present' };
          } else {
            await o.api!.addOwners(e.c.name, [login]);
            e.r.owner = { login, result: 'added' };
            emit({ type: 'owner', crate: e.c.name, login, result: 'added' });
          }
        } catch (err) {
          e.r.owner = { login, result: 'failed', error: (err as Error).message };
          emit({ type: 'owner-failed', crate: e.c.name, login, error: (err as Error).message });
        }
      })(),
    );
  }

  // One poll per waiting crate at a time, each with a short timeout and no inner
  // retries (the next poll is the retry), so a hung request delays only its crate.
  const pollHttp = { attempts: 1, timeoutMs: Math.max(2000, pollMs * 4) };
  // Polls are dense only where a crate is likely to appear: from 90% of the shortest
  // propagation delay seen so far; before that, one poll a second (the index could
  // have sped up). Keeps the load on the registry low without adding latency.
  let minDelay: number | undefined;
  const nextPoll = (e: Entry, now: number): number => {
    const dense = now + pollMs;
    if (minDelay === undefined || e.r.uploadedAt === undefined) return dense;
    const windowStart = t0 + e.r.uploadedAt + 0.9 * minDelay;
    return now >= windowStart ? dense : Math.max(dense, Math.min(windowStart, now + 1000));
  };
  async function pollOne(e: Entry): Promise<void> {
    let visible = false;
    try {
      visible = await o.index.hasVersion(e.c.name, e.c.version, pollHttp);
    } catch {
      return; // asked again at the next poll
    }
    if (e.state !== 'indexing') return;
    if (!visible) {
      const since = rel() - (e.indexingSince ?? rel());
      if (since > (o.visibilityTimeoutMs ?? 30 * 60_000)) {
        fail(e, `uploaded, but the index still does not show ${e.c.name} ${e.c.version} after ${Math.round(since / 1000)} s`);
      }
      return;
    }
    e.state = 'done';
    e.r.visibleAt = rel();
    if (e.r.uploadedAt !== undefined) minDelay = Math.min(minDelay ?? Infinity, e.r.visibleAt - e.r.uploadedAt);
    const unblocked = e.c.dependents.filter((d) => entries.get(d)!.state === 'pending' && depsNotDone(entries.get(d)!).length === 0);
    const stillWaiting = e.c.dependents
      .map((d) => entries.get(d)!)
      .filter((d) => d.state === 'pending' && depsNotDone(d).length > 0)
      .map((d) => ({ crate: d.c.name, on: depsNotDone(d) }));
    emit({
      type: 'visible',
      crate: e.c.name,
      version: e.c.version,
      afterMs: e.r.uploadedAt !== undefined ? e.r.visibleAt - e.r.uploadedAt : 0,
      unblocked,
      stillWaiting,
      alreadyPublished: e.r.outcome === 'already-published',
    });
    ensureOwner(e);
  }

  async function afterFailureCheck(e: Entry): Promise<boolean | undefined> {
    try {
      const versions = await o.api!.versions(e.c.name);
      return !!versions?.some((v) => v.num === e.c.version);
    } catch {
      return undefined;
    }
  }

  async function handle(e: Entry, out: UploadOutcome): Promise<void> {
    const now = Date.now();
    const markUploaded = (note?: string) => {
      budget.confirm(e.action);
      e.state = 'indexing';
      e.r.outcome = 'published';
      e.r.uploadedAt = rel();
      e.indexingSince = e.r.uploadedAt;
      if (note) e.r.note = note;
      uploadedCount++;
      emit({ type: 'uploaded', crate: e.c.name, version: e.c.version, n: uploadedCount, total, ms: now - (e.uploadStart ?? now), note });
    };
    const retryLater = (reason: string) => {
      e.transientAttempts++;
      if (e.transientAttempts >= maxAttempts) return fail(e, `${reason} (gave up after ${e.r.attempts} attempts)`);
      const at = Date.now() + backoffDelay(e.transientAttempts, backoffMs, maxBackoffMs);
      e.notBefore = at;
      e.state = 'ready';
      emit({ type: 'retry', crate: e.c.name, attempt: e.r.attempts, reason, at });
    };
    switch (out.kind) {
      case 'uploaded':
        return markUploaded();
      case 'already-exists':
        return markUploaded('the registry already had this version (an earlier attempt reached it)');
      case 'rate-limited': {
        e.r.rateLimitWaits++;
        if (e.r.rateLimitWaits > (o.maxRateLimitWaits ?? 200)) return fail(e, `still rate-limited after ${e.r.rateLimitWaits} waits: ${out.message}`);
        let at = out.retryAt ?? now + backoffDelay(e.r.rateLimitWaits, backoffMs, maxBackoffMs);
        // A Retry-After already past (a registry that truncates to the second): 1 s more.
        if (at <= now) at = now + 1000;
        budget.learn429(e.action, at);
        e.notBefore = at;
        e.state = 'ready';
        emit({ type: 'rate-limit-wait', action: e.action, until: at, crates: [e.c.name], fromRegistry: true });
        return;
      }
      case 'dependency-missing':
        budget.refund(e.action);
        return retryLater(`a dependency is not in the index yet: ${out.message}`);
      case 'transient': {
        if (out.reachedUpload) {
          // The upload may have been stored though the answer was lost: ask before resending.
          const there = await afterFailureCheck(e);
          if (there) return markUploaded('stored by the registry although cargo saw an error');
        } else {
          budget.refund(e.action);
        }
        return retryLater(out.message);
      }
      case 'fatal':
        return fail(e, out.message);
    }
  }

  function start(e: Entry): void {
    const slot = freeSlots.shift()!;
    e.state = 'uploading';
    e.r.attempts++;
    e.uploadStart = Date.now();
    e.r.startedAt ??= rel();
    const running = all.filter((x) => x.state === 'uploading').length;
    emit({ type: 'upload-start', crate: e.c.name, version: e.c.version, attempt: e.r.attempts, running });
    o.uploader({ name: e.c.name, version: e.c.version, slot })
      .catch((err: Error): UploadOutcome => ({ kind: 'transient', message: err.message, reachedUpload: true }))
      .then((out) => handle(e, out))
      .catch((err: Error) => fail(e, `internal error: ${err.message}`))
      .finally(() => {
        freeSlots.push(slot);
        poke();
      });
  }

  for (;;) {
    const now = Date.now();
    // Failures take their dependents down; visibility makes dependents ready.
    for (const e of all) {
      if (e.state !== 'pending' && e.state !== 'ready') continue;
      const broken = e.c.deps.find((d) => ['failed', 'skipped'].includes(entries.get(d)!.state));
      if (broken) {
        e.state = 'skipped';
        e.r.outcome = 'skipped';
        const why = `dependency ${broken} ${entries.get(broken)!.state === 'failed' ? 'failed' : 'was skipped'}`;
        e.r.error = why;
        emit({ type: 'skipped', crate: e.c.name, because: why });
        continue;
      }
      if (e.state === 'pending' && depsNotDone(e).length === 0) e.state = 'ready';
    }
    let nextWake = Infinity;
    const ready = all
      .filter((e) => e.state === 'ready')
      .sort((a, b) => b.c.chain - a.c.chain || b.c.dependents.length - a.c.dependents.length || a.c.listIndex - b.c.listIndex);
    const blockedBy = new Map<PublishAction, { until: number; crates: string[] }>();
    for (const e of ready) {
      if (freeSlots.length === 0) break;
      if (e.notBefore > now) {
        nextWake = Math.min(nextWake, e.notBefore);
        continue;
      }
      const slotAt = budget.nextSlot(e.action, now);
      if (slotAt > now) {
        nextWake = Math.min(nextWake, slotAt);
        const b = blockedBy.get(e.action) ?? { until: slotAt, crates: [] };
        b.crates.push(e.c.name);
        blockedBy.set(e.action, b);
        continue;
      }
      budget.take(e.action, now);
      start(e);
    }
    for (const [action, b] of blockedBy) {
      const key = `${action}@${b.until}`;
      if (!announcedWaits.has(key)) {
        announcedWaits.add(key);
        emit({ type: 'rate-limit-wait', action, until: b.until, crates: b.crates, fromRegistry: false });
      }
    }

    for (const e of all) {
      if (e.state !== 'indexing' || e.polling) continue;
      e.nextPollAt ??= nextPoll(e, now);
      if (e.nextPollAt <= now) {
        e.polling = true;
        e.nextPollAt = nextPoll(e, now);
        void pollOne(e).finally(() => {
          e.polling = false;
          poke();
        });
      } else {
        nextWake = Math.min(nextWake, e.nextPollAt!);
      }
    }

    const active = all.some((e) => ['pending', 'ready', 'uploading', 'indexing'].includes(e.state));
    if (!active) break;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((r) => {
      wake = r;
      timer = setTimeout(r, Math.max(0, (Number.isFinite(nextWake) ? nextWake : Date.now() + 60_000) - Date.now()));
    });
    clearTimeout(timer);
  }
  await Promise.all(ownerTasks);
  return report();
}
