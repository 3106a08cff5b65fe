// Publishing a whole Cargo workspace: read it, check it against the crate list, plan,
// find the registry as cargo would, check every crate that will upload (cargo
// package), and run the scheduler with real `cargo publish`. The one entry point the
// publish executor, the benchmark and the demo share.
import { join } from 'node:path';
import { readWorkspace } from '@crate-train/cargo';
import { crateScope, findCrateList, readCrateList } from '@crate-train/crate-list';
import { otherRegistryTokenVars, resolveRegistry, type ResolvedRegistry } from './cargo-config';
import { connectRegistry, SparseIndex, type RegistryApi } from './client';
import { cargoUploader } from './cargo-publish';
import { directUploader } from './direct-upload';
import { PackagedCrates } from './packaging';
import { fixedTokenSource, type TokenSource } from './token-source';
import type { HttpOptions } from './http';
import { InflightJournal } from './journal';
import { planPublish, type PublishPlan } from './plan';
import { cargoPackagePreflight, CRATES_IO_MAX_CRATE_BYTES } from './preflight';
import { CRATES_IO_RATE_LIMITS, type RateLimitModel } from './rate-budget';
import { publishPlan, type PublishEvent, type PublishReport } from './scheduler';

export interface PublishWorkspaceOptions {
  workspaceRoot: string;
  /** cargo's `--registry NAME`; undefined = cargo's default (crates.io). */
  registry?: string;
  /** Crate list path relative to the root; `false` = every publishable crate. Default: found (findCrateList), else false. */
  crateList?: string | false;
  /** Plugin option crateRoots: the folders the list governs (default: its find_crates calls). */
  crateRoots?: string[];
  dryRun?: boolean;
  /** Uploads at once. Default 8 direct, 4 with cargo (and 4 cargo packages at once when each crate is checked on its own). */
  concurrency?: number;
  pollIntervalMs?: number;
  maxAttempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  visibilityTimeoutMs?: number;
  /** The registry's limits; default crates.io's for crates.io and none (learn from 429s) elsewhere. */
  rateLimits?: RateLimitModel | 'crates-io' | 'none';
  ownerTeam?: string;
  allowDirty?: boolean;
  /** Environment for config lookup and cargo (CARGO_HOME, tokens). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Registry HTTP (index polls, API) per-request timeout and retries. */
  http?: HttpOptions;
  /** Kill a cargo publish that runs longer. Default 10 min. */
  cargoTimeoutMs?: number;
  /** cargo's `http.timeout` (seconds) for a stalled transfer. */
  cargoHttpTimeoutSecs?: number;
  /** cargo's `net.retry`; default cargo's own (3). */
  cargoNetRetry?: number;
  /** Per-slot target dirs and the in-flight journal. Default <root>/target/crate-train/publish. */
  stateDir?: string;
  /**
   * `cargo package` of every crate that will upload, before the first upload (not in a
   * dry run). Default true; false skips it (the uploads then meet the problems).
   */
  preflight?: boolean;
  /** Largest `.crate` the registry takes (checked by the preflight). Default 10 MiB for crates.io, unchecked elsewhere. */
  maxCrateBytes?: number;
  /** Stop starting uploads when it aborts (wire SIGINT/SIGTERM to it, see abortOnSignals); uploads in flight finish. */
  signal?: AbortSignal;
  /** A `still-waiting` event per waiting crate this often. Default 10 s. */
  progressIntervalMs?: number;
  /**
   * How a crate is uploaded: `direct` (default) sends the package made before the first
   * upload with one HTTP request; `cargo` runs `cargo publish -p` per crate.
   */
  uploader?: UploaderKind;
  /** For the planned finish time printed before the first upload: the index delay to assume. Default 2 s. */
  indexDelayEstimateMs?: number;
  /** Where each upload's token comes from. Default: the registry's own variable (fixed). */
  tokens?: TokenSource;
  onEvent?: (e: PublishEvent) => void;
  onCargoOutput?: (crate: string, line: string) => void;
}

export type UploaderKind = 'direct' | 'cargo';

export interface PublishWorkspaceResult {
  registry: ResolvedRegistry;
  plan: PublishPlan;
  report: PublishReport;
}

/** Reads the workspace and crate list, and plans (throws PublishPlanError / CargoManifestError / CrateListError). */
export function planWorkspace(workspaceRoot: string, crateList: string | false = findCrateList(workspaceRoot) ?? false, crateRoots?: string[]): PublishPlan {
  const ws = readWorkspace(workspaceRoot);
  if (crateList === false) return planPublish(ws);
  const list = readCrateList(workspaceRoot, crateList);
  const scope = crateScope(ws.crates, list, { crateRoots, listFile: crateList, workspaceRoot });
  return planPublish(ws, { cratesToPublish: list.cratesToPublish, listFile: crateList, governed: scope.governed });
}

/** What a caller that checked the workspace at the registry first already has: not read or asked again. */
export interface KnownWorkspace {
  plan: PublishPlan;
  connection: { index: SparseIndex; api: RegistryApi };
}

/** The HTTP rules of a publish run's registry requests. */
export const publishHttp = (o: Pick<PublishWorkspaceOptions, 'http'>): HttpOptions => ({
  timeoutMs: 15_000,
  attempts: 6,
  backoffMs: 300,
  maxBackoffMs: 10_000,
  ...o.http,
});

/** The registry's index and API, asked as a publish run asks (a dry run tries twice at most). */
export function connectForPublish(registry: ResolvedRegistry, o: Pick<PublishWorkspaceOptions, 'http' | 'dryRun'>): Promise<KnownWorkspace['connection']> {
  const http = publishHttp(o);
  return connectRegistry(registry, o.dryRun ? { ...http, attempts: Math.min(2, http.attempts ?? 2) } : http);
}

export async function publishWorkspace(o: PublishWorkspaceOptions, known?: KnownWorkspace): Promise<PublishWorkspaceResult> {
  const env = o.env ?? process.env;
  const plan = known?.plan ?? planWorkspace(o.workspaceRoot, o.crateList, o.crateRoots);
  const registry = resolveRegistry({ name: o.registry, cwd: o.workspaceRoot, env });
  if (!o.dryRun && !registry.token && !o.tokens) {
    const others = otherRegistryTokenVars(registry, env);
    throw new Error(
      `no token for registry \`${registry.name}\`: set ${registry.tokenEnvVar} in the environment — crate-train never takes a token on the command line` +
        (others.length
          ? ` (${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} set, but ${others.length === 1 ? 'belongs' : 'belong'} to ${others.length === 1 ? 'another registry' : 'other registries'}: a token goes only to its own registry, as with cargo)`
          : ''),
    );
  }
  const stateDir = o.stateDir ?? join(o.workspaceRoot, 'target', 'crate-train', 'publish');
  const via: UploaderKind = o.uploader ?? 'direct';
  // Direct uploads send what the preflight packaged (or, without it, package each crate at its upload).
  const packaged = via === 'direct' ? new PackagedCrates() : undefined;
  // Made before connecting: it starts finding the cargo binary.
  const preflight =
    o.preflight === false || o.dryRun
      ? undefined
      : cargoPackagePreflight({
          workspaceRoot: o.workspaceRoot,
          registry,
          stateDir,
          allowDirty: o.allowDirty,
          env: { ...env },
          maxCrateBytes: o.maxCrateBytes ?? (registry.isCratesIo ? CRATES_IO_MAX_CRATE_BYTES : undefined),
          concurrency: o.concurrency,
          packaged,
          httpTimeoutSecs: o.cargoHttpTimeoutSecs,
          netRetry: o.cargoNetRetry,
        });
  const http = publishHttp(o);
  let index: SparseIndex;
  let api: RegistryApi | undefined;
  let unreachable: string | undefined;
  try {
    ({ index, api } = known?.connection ?? (await connectForPublish(registry, o)));
  } catch (e) {
    // A dry run still shows the plan; a real run cannot go on.
    if (!o.dryRun) throw e;
    unreachable = (e as Error).message;
    index = new SparseIndex(registry.indexBase, http);
  }
  const journal = new InflightJournal(join(stateDir, 'inflight'));
  const rateLimits =
    o.rateLimits === 'none'
      ? undefined
      : o.rateLimits === 'crates-io' || (o.rateLimits === undefined && registry.isCratesIo)
        ? CRATES_IO_RATE_LIMITS
        : o.rateLimits;
  const tokens = o.tokens ?? fixedTokenSource(registry.token);
  const uploader =
    via === 'direct'
      ? directUploader({
          workspaceRoot: o.workspaceRoot,
          registry,
          apiBase: api?.base ?? '',
          tokens,
          packaged: packaged!,
          stateDir,
          allowDirty: o.allowDirty,
          requestTimeoutMs: o.cargoHttpTimeoutSecs ? o.cargoHttpTimeoutSecs * 1000 : undefined,
          cargoHttpTimeoutSecs: o.cargoHttpTimeoutSecs,
          cargoNetRetry: o.cargoNetRetry,
          env: { ...env },
          onOutput: o.onCargoOutput,
        })
      : cargoUploader({
          workspaceRoot: o.workspaceRoot,
          registry,
          stateDir,
          journal,
          allowDirty: o.allowDirty,
          timeoutMs: o.cargoTimeoutMs,
          httpTimeoutSecs: o.cargoHttpTimeoutSecs,
          netRetry: o.cargoNetRetry,
          env: { ...env },
          tokens,
          onOutput: o.onCargoOutput,
        });
  const report = await publishPlan({
    plan,
    index,
    api,
    unreachable,
    uploader,
    uploaderKind: via,
    indexDelayEstimateMs: o.indexDelayEstimateMs,
    dryRun: o.dryRun,
    // A direct upload is one HTTP request, not a cargo process: a whole wave goes at once.
    concurrency: o.concurrency ?? (via === 'direct' ? 8 : undefined),
    pollIntervalMs: o.pollIntervalMs,
    maxAttempts: o.maxAttempts,
    backoffMs: o.backoffMs,
    maxBackoffMs: o.maxBackoffMs,
    visibilityTimeoutMs: o.visibilityTimeoutMs,
    rateLimits,
    ownerTeam: o.ownerTeam,
    journal,
    preflight,
    signal: o.signal,
    progressIntervalMs: o.progressIntervalMs,
    uploadTimeoutMs: o.cargoTimeoutMs ?? 10 * 60_000,
    registryName: registry.name,
    tokenEnvVar: registry.tokenEnvVar,
    onEvent: o.onEvent,
  }).finally(() => packaged?.stop());
  return { registry, plan, report };
}
