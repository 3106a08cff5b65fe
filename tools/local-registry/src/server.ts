// A crate registry on 127.0.0.1 that real `cargo publish` talks to: the sparse index,
// the publish/versions/owners/yank/download parts of the crates.io web API, token
// auth, storage on disk, and knobs that make it behave like crates.io under load
// (index-propagation delay, crates.io's rate limits scaled, seeded faults).
//
// This file wires the server: it reads each request (counting, recording, size
// limit), lets the fault injector strike, and hands it to the router (router.ts,
// routes/); their shared state is a RegistryState (registry-state.ts).
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultInjector, type FaultKind, type FaultOptions } from './faults';
import { injectFault } from './inject-fault';
import type { LocalRegistryOptions } from './options';
import type { ActionLimit, LimitedAction } from './rate-limit';
import { RegistryState, type CapturedPublish, type RecordedRequest } from './registry-state';
import { fail } from './reply';
import { route } from './router';

export type { IndexEntry } from './index-format';
export type { LocalRegistryOptions, RegistryUser } from './options';
export type { RecordedRequest, CapturedPublish } from './registry-state';
export type { Owner } from './storage';

export interface VersionState {
  vers: string;
  yanked: boolean;
  /** Shown in the index yet (the propagation delay has passed). */
  visible: boolean;
  publishedAt: number;
}

export interface LocalRegistry {
  /** Base URL, `http://127.0.0.1:PORT` (also the API base of config.json). */
  url: string;
  /** What cargo's config wants: `sparse+http://127.0.0.1:PORT/index/`. */
  indexUrl: string;
  port: number;
  /** Token of the default user. */
  token: string;
  login: string;
  storageDir: string;
  /** Successful uploads per `name@version`. */
  uploads(): Map<string, number>;
  /**
   * Upload requests that reached the registry for a `name@version`: stored ones plus
   * those refused because the version already existed. More than 1 means the client
   * sent a version twice.
   */
  uploadAttempts(): Map<string, number>;
  /** Requests answered 429 by the rate limiter (not by fault injection). */
  rateLimited(): number;
  faultsInjected(): Record<FaultKind, number>;
  requestCount(): number;
  /** Every request with its headers, oldest first (with `recordRequests` only; [] otherwise). */
  requests(): RecordedRequest[];
  /** Every publish body that reached the route, oldest first (with `capturePublishes` only; [] otherwise). */
  captures(): CapturedPublish[];
  /**
   * Gives a user a new token (default: the default user's), as when a token is revoked
   * and replaced: from now on the old one is refused with 403.
   */
  setToken(token: string, login?: string): void;
  versions(name: string): VersionState[];
  setIndexDelay(ms: number): void;
  setFaults(faults: FaultOptions | undefined): void;
  /** Trusted-publishing tokens minted, revoked and live, and JWTs refused (undefined without `trustedPublishing`). */
  trustedPublishing(): { minted: number; revoked: number; live: number; refusedJwts: number } | undefined;
  /** Lifetime of the trusted-publishing tokens issued from now on (ms). */
  setTrustedTokenLifetime(ms: number): void;
  /** The effective (scaled) limit of an action, or undefined when limits are off. */
  rateLimit(action: LimitedAction): ActionLimit | undefined;
  stop(): Promise<void>;
}

/** Starts a registry on 127.0.0.1 (port 0 = a free port). */
export async function startLocalRegistry(opts: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const state = new RegistryState(opts.dir ?? mkdtempSync(join(tmpdir(), 'crate-train-registry-')), opts);
  const server: Server = createServer((req, res) => handleRequest(state, req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${port}`;
  return registryHandle(state, server, port);
}

/** Counts and records the request, reads its body (up to the upload limit), then answers: a fault, a 413, or the route. */
function handleRequest(state: RegistryState, req: IncomingMessage, res: ServerResponse): void {
  state.requestCount++;
  if (state.opts.recordRequests) state.recordedRequests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > state.maxUploadBytes) tooBig = true;
    else chunks.push(chunk);
  });
  req.on('end', () => {
    const path = (req.url ?? '/').split('?')[0];
    const fault = state.faults?.decide(req.method ?? 'GET', path);
    res.on('finish', () => state.opts.log?.(`${req.method} ${req.url} ${res.statusCode}${fault ? ` (fault ${fault.kind})` : ''}`));
    if (fault && !fault.afterCommit) return injectFault(state, req, res, fault);
    if (tooBig) return fail(res, 413, `max upload size is: ${state.maxUploadBytes}`);
    try {
      route(state, req, res, Buffer.concat(chunks), fault);
    } catch (e) {
      if (!res.headersSent) fail(res, 500, `internal error: ${(e as Error).message}`);
    }
  });
}

/** What a test holds: addresses, counters (copies), and the run-time knobs. */
function registryHandle(state: RegistryState, server: Server, port: number): LocalRegistry {
  const base = state.baseUrl;
  return {
    url: base,
    indexUrl: `sparse+${base}/index/`,
    port,
    get token() {
      return state.users[0].token;
    },
    login: state.users[0].login,
    storageDir: state.dir,
    uploads: () => new Map(state.uploads),
    uploadAttempts: () => new Map(state.uploadAttempts),
    rateLimited: () => state.rateLimitedCount,
    faultsInjected: () => ({ ...state.faultsInjected }),
    requestCount: () => state.requestCount,
    requests: () => state.recordedRequests.map((r) => ({ ...r, headers: { ...r.headers } })),
    captures: () => state.capturedPublishes.map((c) => ({ ...c })),
    setToken: (token, login) => state.setToken(token, login),
    versions: (name) => {
      const now = Date.now();
      const versions = state.storage.get(name)?.versions ?? [];
      return versions.map((v) => ({ vers: v.entry.vers, yanked: v.entry.yanked, visible: state.isVisible(v, now), publishedAt: v.publishedAt }));
    },
    setIndexDelay: (ms) => {
      state.indexDelayMs = ms;
    },
    setFaults: (faults) => {
      state.faults = faults ? new FaultInjector(faults) : undefined;
    },
    trustedPublishing: () => {
      const t = state.trustedTokens;
      return t && { minted: t.minted, revoked: t.revoked, live: t.live(), refusedJwts: t.refusedJwts };
    },
    setTrustedTokenLifetime: (ms) => {
      if (!state.trustedTokens) throw new Error('the local registry was started without trustedPublishing');
      state.trustedTokens.lifetimeMs = ms;
    },
    rateLimit: (action) => state.limiter?.limit(action),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of state.hangTimers) clearTimeout(timer);
        state.hangTimers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
