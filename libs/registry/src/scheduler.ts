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
import type { Uploader } from './cargo-publish';
import type { RegistryApi, SparseIndex } from './client';
import type { InflightJournal, LeftoverUpload } from './journal';
import type { PublishPlan } from './plan';
import type { Preflight } from './preflight';
import type { PublishAction, RateLimitModel } from './rate-budget';
import { PublishRun } from './publish-run/run';

export { RegistryTokenError } from './publish-run/token-error';

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
   * Before the first upload: when the run should finish at the registry's limits
   * (`at`, epoch ms), assuming `indexDelayMs` from upload to index. `rateFloorMs`: the
   * limits alone; `pathMs`: the dependency chain alone.
   */
  | {
      type: 'planned';
      uploads: number;
      at: number;
      finishMs: number;
      rateFloorMs: number;
      pathMs: number;
      waves: number;
      indexDelayMs: number;
      limits?: RateLimitModel;
    }
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
      /** For `upload`: what is uploading (a cargo process or one request). */
      via?: 'cargo' | 'direct';
    }
  /** The signal aborted: no upload starts any more; `inFlight` are waited for. */
  | { type: 'interrupted'; reason: string; inFlight: string[] }
  /** The registry answered 401/403 to the token in `envVar`: no upload starts any more. */
  | { type: 'token-rejected'; registry: string; envVar: string; detail: string; inFlight: string[] }
  | { type: 'waiting'; crate: string; on: string[] }
  | { type: 'upload-start'; crate: string; version: string; attempt: number; running: number; via?: 'cargo' | 'direct' }
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
  /** For messages: `cargo` (a cargo publish per crate) or `direct` (one HTTP request). Default cargo. */
  uploaderKind?: 'cargo' | 'direct';
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
  /** For the planned finish time: assumed time from upload to index. Default 2 s. */
  indexDelayEstimateMs?: number;
  /** For the planned finish time: assumed time of one upload. Default 0.3 s direct, 1.5 s with cargo. */
  uploadEstimateMs?: number;
  /** For messages about the token: the registry's name and the variable its token came from. */
  registryName?: string;
  tokenEnvVar?: string;
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
  /**
   * Why the run stopped starting uploads before the end (interrupted, or the token
   * rejected after earlier uploads were accepted); `notStarted` are left for a re-run.
   */
  stopped?: { reason: 'interrupted' | 'token-rejected'; message: string; notStarted: string[] };
}

/**
 * Publishes (or, with dryRun, plans) every crate of the plan. Never throws for a
 * crate's failure; throws PublishPreflightError when the preflight finds problems and
 * RegistryTokenError when the registry rejects the token before anything uploaded
 * (in both cases nothing was uploaded).
 */
export async function publishPlan(o: PublishRunOptions): Promise<PublishReport> {
  const run = new PublishRun(o);
  const onAbort = () => run.onAbort();
  o.signal?.addEventListener('abort', onAbort);
  try {
    return await run.run();
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}
