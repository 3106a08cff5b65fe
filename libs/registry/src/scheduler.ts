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
//
// Before the first upload, the preflight checks every crate that will upload (cargo
// package): a problem stops the run with nothing uploaded. The first upload runs
// alone, so a token the registry rejects (401/403) is met once, stops the run and is
// reported once, naming its variable. A long wait (the index, a retry, a rate limit,
// a slow cargo) is reported every `progressIntervalMs`. When `signal` aborts, no
// further upload starts; those in flight finish, and the report says what was
// uploaded and what a re-run will resume.
import type { RegistryApi, SparseIndex } from './client';
import { backoffDelay } from './http';
import { isCargoAlive, type InflightJournal, type LeftoverUpload } from './journal';
import type { PlanCrate, PublishPlan } from './plan';
import { PublishPreflightError, type Preflight } from './preflight';
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

/** What a crate is waiting for in a `still-waiting` event. */
export type WaitKind = 'index' | 'upload' | 'retry' | 'rate-limit' | 'leftover';

export type PublishEvent =
  | { type: 'leftover'; uploads: LeftoverUpload[] }
  | { type: 'status'; published: string[]; toUpload: string[]; unknown: string[] }
  /** The preflight starts: `cargo package` of each crate that will upload. */
  | { type: 'preflight'; crates: string[] }
  | { type: 'preflight-ok'; crates: string[]; ms: number }
  /**
   * A crate has been waiting `elapsedMs` (sent every `progressIntervalMs` while it waits):
   * for the index after its upload (`timeoutMs` = visibilityTimeoutMs), for cargo to
   * finish an upload (`timeoutMs` = the upload timeout, when known), for its next
   * attempt (`attempt` of `maxAttempts`, at `until`), for the rate limit (until
   * `until`), or for a cargo publish left running by an earlier run.
   */
  | {
      type: 'still-waiting';
      crate: string;
      version: string;
      on: WaitKind;
      elapsedMs: number;
      timeoutMs?: number;
      until?: number;
      attempt?: number;
      maxAttempts?: number;
    }
  /** The signal aborted: no upload starts any more; `inFlight` are waited for. */
  | { type: 'interrupted'; reason: string; inFlight: string[] }
  /** The registry answered 401/403 to the token in `envVar`: no upload starts any more. */
  | { type: 'token-rejected'; registry: string; envVar: string; detail: string; inFlight: string[] }
  | { type: 'waiting'; crate: string; on: string[] }
  | { type: 'upload-start'; crate: string; version: string; attempt: number; running: number }
  | { type: 'uploaded'; crate: string; version: string; n: number; total: number; ms: number; note?: string }
  | {
      type: 'visible';
      crate: string;
      version: string;
      afterMs: number;
      unblocked: string[];
      stillWaiting: Array<{ crate: string; on: string[] }>;
      alreadyPublished: boolean;
    }
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
  /**
   * Checks every crate that will upload before the first upload (cargo package); a
   * problem throws PublishPreflightError and nothing is uploaded. Not run in a dry run.
   */
  preflight?: Preflight;
  /** Stop starting uploads when it aborts (SIGINT/SIGTERM); uploads in flight finish. */
  signal?: AbortSignal;
  /** A `still-waiting` event per waiting crate this often. Default 10 s. */
  progressIntervalMs?: number;
  /** How long the uploader lets one upload run (shown in `still-waiting`; not enforced here). */
  uploadTimeoutMs?: number;
  /** For messages about the token: the registry's name and the variable its token came from. */
  registryName?: string;
  tokenEnvVar?: string;
  onEvent?: (e: PublishEvent) => void;
}

/** The registry rejected the token before anything was uploaded. */
export class RegistryTokenError extends Error {
  constructor(
    readonly registry: string,
    readonly envVar: string,
    readonly detail: string,
  ) {
    super(
      `registry \`${registry}\` rejected the token in ${envVar} (${detail}) — set ${envVar} to a valid token for \`${registry}\` that may publish these crates, then run publish again; nothing was uploaded`,
    );
    this.name = 'RegistryTokenError';
  }
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
  /**
   * Why the run stopped starting uploads before the end (interrupted, or the token
   * rejected after earlier uploads were accepted); `notStarted` are left for a re-run.
   */
  stopped?: { reason: 'interrupted' | 'token-rejected'; message: string; notStarted: string[] };
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
  /** The current retry or rate-limit wait (set with notBefore). */
  waitOn?: 'retry' | 'rate-limit';
  waitSince?: number;
  /** Rate-limit model holds it back until then (set by the loop). */
  blockedUntil?: number;
  progress?: { key: string; at: number };
}

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (typeof r === 'string' && r) return r;
  if (r instanceof Error && r.name !== 'AbortError' && r.message) return r.message;
  return 'interrupted';
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]);
  });
  await Promise.all(workers);
}

/**
 * Publishes (or, with dryRun, plans) every crate of the plan. Never throws for a
 * crate's failure; throws PublishPreflightError when the preflight finds problems and
 * RegistryTokenError when the registry rejects the token before anything uploaded
 * (in both cases nothing was uploaded).
 */
export async function publishPlan(o: PublishRunOptions): Promise<PublishReport> {
  const hook = { onAbort: () => undefined as void };
  const onAbort = () => hook.onAbort();
  o.signal?.addEventListener('abort', onAbort);
  try {
    return await runPlan(o, hook);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}

async function runPlan(o: PublishRunOptions, hook: { onAbort: () => void }): Promise<PublishReport> {
  const t0 = Date.now();
  const rel = () => Date.now() - t0;
  const emit = (e: PublishEvent) => o.onEvent?.(e);
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const pollMs = o.pollIntervalMs ?? 500;
  const maxAttempts = o.maxAttempts ?? 6;
  const backoffMs = o.backoffMs ?? 2000;
  const maxBackoffMs = o.maxBackoffMs ?? 60_000;
  const budget = new RateBudget(o.rateLimits ?? {});
  const progressMs = Math.max(10, o.progressIntervalMs ?? 10_000);
  const visibilityTimeoutMs = o.visibilityTimeoutMs ?? 30 * 60_000;
  const signal = o.signal;

  if (o.journal && !o.dryRun) {
    const left = o.journal.leftovers();
    if (left.length > 0) {
      emit({ type: 'leftover', uploads: left });
      const since = Date.now();
      const leftoverWaitMs = o.leftoverWaitMs ?? 10 * 60_000;
      const tick = setInterval(() => {
        for (const u of left) {
          if (!isCargoAlive(u.pid)) continue;
          const at = u.key.lastIndexOf('@');
          emit({
            type: 'still-waiting',
            crate: at > 0 ? u.key.slice(0, at) : u.key,
            version: at > 0 ? u.key.slice(at + 1) : '',
            on: 'leftover',
            elapsedMs: Date.now() - since,
            timeoutMs: leftoverWaitMs,
          });
        }
      }, progressMs);
      try {
        await Promise.race([o.journal.waitForLeftovers(leftoverWaitMs), new Promise<void>((r) => (signal?.aborted ? r() : (hook.onAbort = r)))]);
      } finally {
        clearInterval(tick);
        hook.onAbort = () => undefined;
      }
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

  let stopped: PublishReport['stopped'];
  const report = (): PublishReport => {
    const crates = all.map((e) => e.r);
    const failed = crates.filter((r) => r.outcome === 'failed' || r.owner?.result === 'failed').map((r) => r.name);
    const skipped = crates.filter((r) => r.outcome === 'skipped').map((r) => r.name);
    return {
      ...(stopped ? { stopped } : {}),
      dryRun: !!o.dryRun,
      wallMs: rel(),
      crates,
      waves: o.plan.waves,
      warnings: o.plan.warnings,
      uploaded: crates.filter((r) => r.outcome === 'published').map((r) => r.name),
      alreadyPublished: crates.filter((r) => r.outcome === 'already-published').map((r) => r.name),
      failed,
      skipped,
      ok:
        !stopped &&
        failed.length === 0 &&
        skipped.length === 0 &&
        (o.dryRun || crates.every((r) => r.outcome === 'published' || r.outcome === 'already-published')),
    };
  };
  /** Ends the run early: what has not started is left for a re-run. */
  const stopHere = (reason: 'interrupted' | 'token-rejected', message: string): PublishReport => {
    const notStarted: string[] = [];
    for (const e of all) {
      if (e.state !== 'pending' && e.state !== 'ready') continue;
      e.state = 'skipped';
      e.r.outcome = 'skipped';
      e.r.error = reason === 'interrupted' ? 'not started: interrupted' : 'not started: the registry rejected the token';
      notStarted.push(e.c.name);
    }
    stopped = { reason, message, notStarted };
    return report();
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

  // Every check before the first upload.
  const toUpload = all.filter((e) => e.state === 'pending');
  if (signal?.aborted) return stopHere('interrupted', abortReason(signal));
  if (o.preflight && toUpload.length > 0) {
    const names = toUpload.map((e) => e.c.name);
    const started = Date.now();
    emit({ type: 'preflight', crates: names });
    const problems = await o.preflight(
      toUpload.map((e) => e.c),
      signal,
    );
    // Interrupted while packaging: the problems found so far may not be all of them.
    if (signal?.aborted) return stopHere('interrupted', abortReason(signal));
    if (problems.length > 0) throw new PublishPreflightError(problems);
    emit({ type: 'preflight-ok', crates: names, ms: Date.now() - started });
  }

  const total = toUpload.length;
  let uploadedCount = 0;
  let wake: () => void = () => undefined;
  const poke = () => wake();
  const freeSlots = Array.from({ length: concurrency }, (_, i) => i);
  const ownerTasks: Promise<void>[] = [];
  const announcedWaits = new Set<string>();
  // Until the registry has accepted the token once, one upload at a time: a rejected
  // token is then met by one request, not by every crate of the first wave.
  let tokenAccepted = false;
  let halt: { reason: 'interrupted' | 'token-rejected'; message: string; detail?: string } | undefined;
  const inFlight = () => all.filter((x) => x.state === 'uploading').map((x) => x.c.name);
  const checkAbort = () => {
    if (!signal?.aborted || halt) return;
    halt = { reason: 'interrupted', message: abortReason(signal) };
    emit({ type: 'interrupted', reason: halt.message, inFlight: inFlight() });
  };
  hook.onAbort = () => {
    checkAbort();
    poke();
  };

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
      if (since > visibilityTimeoutMs) {
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
      e.waitOn = 'retry';
      e.waitSince = Date.now();
      e.state = 'ready';
      emit({ type: 'retry', crate: e.c.name, attempt: e.r.attempts, reason, at });
    };
    if (out.kind === 'uploaded' || out.kind === 'already-exists' || out.kind === 'rate-limited') tokenAccepted = true;
    switch (out.kind) {
      case 'uploaded':
        return markUploaded();
      case 'already-exists':
        return markUploaded('the registry already had this version (an earlier attempt reached it)');
      case 'unauthorized': {
        // Not this crate's fault: the run stops starting uploads; a re-run resumes it.
        budget.refund(e.action);
        e.state = 'ready';
        if (halt?.reason !== 'token-rejected') {
          const envVar = o.tokenEnvVar ?? 'the registry token variable';
          const registry = o.registryName ?? 'the registry';
          halt = { reason: 'token-rejected', message: new RegistryTokenError(registry, envVar, out.message).message, detail: out.message };
          // Before any upload was accepted, the thrown RegistryTokenError says it (once).
          if (tokenAccepted) emit({ type: 'token-rejected', registry, envVar, detail: out.message, inFlight: inFlight().filter((n) => n !== e.c.name) });
        }
        return;
      }
      case 'rate-limited': {
        e.r.rateLimitWaits++;
        if (e.r.rateLimitWaits > (o.maxRateLimitWaits ?? 200)) return fail(e, `still rate-limited after ${e.r.rateLimitWaits} waits: ${out.message}`);
        let at = out.retryAt ?? now + backoffDelay(e.r.rateLimitWaits, backoffMs, maxBackoffMs);
        // A Retry-After already past (a registry that truncates to the second): 1 s more.
        if (at <= now) at = now + 1000;
        budget.learn429(e.action, at);
        e.notBefore = at;
        e.waitOn = 'rate-limit';
        e.waitSince = now;
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

  /** What an entry is waiting for now, when it is a wait worth reporting. */
  const waitOf = (
    e: Entry,
    now: number,
  ): { on: WaitKind; since: number; timeoutMs?: number; until?: number; attempt?: number; maxAttempts?: number } | undefined => {
    if (e.state === 'uploading' && e.uploadStart !== undefined) return { on: 'upload', since: e.uploadStart, timeoutMs: o.uploadTimeoutMs };
    if (e.state === 'indexing') return { on: 'index', since: t0 + (e.indexingSince ?? 0), timeoutMs: visibilityTimeoutMs };
    if (e.state === 'ready' && e.notBefore > now && e.waitOn && e.waitSince !== undefined) {
      return e.waitOn === 'retry'
        ? { on: 'retry', since: e.waitSince, until: e.notBefore, attempt: e.r.attempts + 1, maxAttempts }
        : { on: 'rate-limit', since: e.waitSince, until: e.notBefore };
    }
    if (e.state === 'ready' && e.blockedUntil !== undefined && e.blockedUntil > now)
      return { on: 'rate-limit', since: e.waitSince ?? now, until: e.blockedUntil };
    return undefined;
  };

  for (;;) {
    const now = Date.now();
    checkAbort();
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
      if (halt) break;
      if (freeSlots.length === 0) break;
      if (!tokenAccepted && all.some((x) => x.state === 'uploading')) break;
      if (e.notBefore > now) {
        nextWake = Math.min(nextWake, e.notBefore);
        continue;
      }
      const slotAt = budget.nextSlot(e.action, now);
      if (slotAt > now) {
        nextWake = Math.min(nextWake, slotAt);
        if (e.blockedUntil === undefined || e.blockedUntil <= now) e.waitSince = now;
        e.blockedUntil = slotAt;
        const b = blockedBy.get(e.action) ?? { until: slotAt, crates: [] };
        b.crates.push(e.c.name);
        blockedBy.set(e.action, b);
        continue;
      }
      e.blockedUntil = undefined;
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

    // A line at least every progressMs for each crate that waits.
    for (const e of all) {
      const w = waitOf(e, now);
      if (!w) {
        e.progress = undefined;
        continue;
      }
      const key = `${w.on}@${w.since}`;
      if (e.progress?.key !== key) e.progress = { key, at: w.since + progressMs };
      if (e.progress.at <= now) {
        const { since, ...rest } = w;
        emit({ type: 'still-waiting', crate: e.c.name, version: e.c.version, ...rest, elapsedMs: now - since });
        e.progress.at = now + progressMs;
      }
      nextWake = Math.min(nextWake, e.progress.at);
    }

    if (halt && !all.some((e) => e.state === 'uploading')) break;
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
  if (halt) {
    if (halt.reason === 'token-rejected' && uploadedCount === 0) {
      throw new RegistryTokenError(o.registryName ?? 'the registry', o.tokenEnvVar ?? 'the registry token variable', halt.detail ?? '');
    }
    return stopHere(halt.reason, halt.message);
  }
  return report();
}
