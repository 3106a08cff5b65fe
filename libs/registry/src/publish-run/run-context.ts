// What every phase of a publish run shares: the options and the settings derived from
// them, the run's clock, its event sink, and its crates (each one's state and result).
import type { PlanCrate } from '../plan';
import type { CrateResult, PublishEvent, PublishRunOptions } from '../scheduler';
import type { PublishAction } from '../rate-budget';

export type CrateState = 'pending' | 'ready' | 'uploading' | 'indexing' | 'done' | 'failed' | 'skipped';

/** One crate of the plan during the run. */
export interface CrateEntry {
  crate: PlanCrate;
  state: CrateState;
  /** What the report says about it (filled in as the run goes). */
  result: CrateResult;
  /** What the rate-limit model counts its upload as (a new crate or a new version). */
  action: PublishAction;
  /** No upload before this (epoch ms): a retry's backoff or a 429's Retry-After. */
  notBefore: number;
  /** Failed attempts that may succeed later (5xx, timeouts, a dependency not indexed yet). */
  transientAttempts: number;
  /** Why the registry could not be asked whether this version is published. */
  statusError?: string;
  /** When the current upload started (epoch ms). */
  uploadStart?: number;
  /** When it started waiting for the index (ms since the start of the run). */
  indexingSince?: number;
  /** An index poll for it is in flight. */
  polling?: boolean;
  nextPollAt?: number;
  /** The current retry or rate-limit wait (set with notBefore). */
  waitOn?: 'retry' | 'rate-limit';
  waitSince?: number;
  /** Rate-limit model holds it back until then (set by the upload loop). */
  blockedUntil?: number;
  /** The wait last reported in a `still-waiting` event, and when the next report is due. */
  progress?: { key: string; at: number };
}

export interface RunSettings {
  concurrency: number;
  pollMs: number;
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  progressMs: number;
  visibilityTimeoutMs: number;
}

function settingsOf(o: PublishRunOptions): RunSettings {
  return {
    concurrency: Math.max(1, o.concurrency ?? 4),
    pollMs: o.pollIntervalMs ?? 500,
    maxAttempts: o.maxAttempts ?? 6,
    backoffMs: o.backoffMs ?? 2000,
    maxBackoffMs: o.maxBackoffMs ?? 60_000,
    progressMs: Math.max(10, o.progressIntervalMs ?? 10_000),
    visibilityTimeoutMs: o.visibilityTimeoutMs ?? 30 * 60_000,
  };
}

export class RunContext {
  /** Epoch ms the run started; times in the report are relative to it. */
  readonly startedAt = Date.now();
  readonly settings: RunSettings;
  /** Every crate, in plan order. */
  readonly crates: CrateEntry[];
  private readonly byName = new Map<string, CrateEntry>();

  constructor(readonly options: PublishRunOptions) {
    this.settings = settingsOf(options);
    for (const crate of options.plan.crates) {
      this.byName.set(crate.name, {
        crate,
        state: 'pending',
        result: { name: crate.name, version: crate.version, wave: crate.wave, outcome: 'skipped', attempts: 0, rateLimitWaits: 0 },
        action: 'publish-update',
        notBefore: 0,
        transientAttempts: 0,
      });
    }
    this.crates = [...this.byName.values()];
  }

  /** Milliseconds since the start of the run. */
  elapsed(): number {
    return Date.now() - this.startedAt;
  }

  emit(event: PublishEvent): void {
    this.options.onEvent?.(event);
  }

  entry(name: string): CrateEntry {
    return this.byName.get(name)!;
  }

  /** The entry's dependencies the index does not show yet. */
  depsNotDone(entry: CrateEntry): string[] {
    return entry.crate.deps.filter((d) => this.entry(d).state !== 'done');
  }

  /** Names of the crates uploading now. */
  inFlight(): string[] {
    return this.crates.filter((x) => x.state === 'uploading').map((x) => x.crate.name);
  }

  anyUploading(): boolean {
    return this.crates.some((x) => x.state === 'uploading');
  }

  fail(entry: CrateEntry, error: string): void {
    entry.state = 'failed';
    entry.result.outcome = 'failed';
    entry.result.error = error;
    this.emit({ type: 'failed', crate: entry.crate.name, error });
  }
}
