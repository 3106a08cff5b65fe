// What every route of the local registry shares: storage, users, the knobs tests turn
// at run time (index delay, faults), the rate limiter and the counters the handle and
// `GET /api/private/stats` report.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { FaultInjector, type FaultKind } from './faults';
import type { LocalRegistryOptions, RegistryUser } from './options';
import { RateLimiter, type LimitedAction } from './rate-limit';
import { TrustedPublishingTokens } from './routes/trusted-publishing-tokens';
import { Storage, type StoredCrate, type StoredVersion } from './storage';

const DEFAULT_LOGIN = 'local-user';
const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
}

/** One `PUT /api/v1/crates/new` as the client sent it. */
export interface CapturedPublish {
  /** The JSON metadata exactly as sent (its bytes, decoded). */
  json: string;
  /** The `.crate` bytes. */
  crate: Buffer;
  /** What the registry answered. */
  status?: number;
}

/** A crate's sparse-index file as last rendered, valid until `validUntil` (or a change of the crate or of the delay). */
export interface RenderedIndexFile {
  data: Buffer;
  etag: string;
  validUntil: number;
  indexDelayMs: number;
}

export class RegistryState {
  readonly storage: Storage;
  /** The default user first; tokens can be replaced at run time (`setToken`). */
  readonly users: RegistryUser[];
  /** A new version shows in the index this long after it was stored. */
  indexDelayMs: number;
  /** crates.io's limits, or undefined when they are off. */
  readonly limiter: RateLimiter | undefined;
  faults: FaultInjector | undefined;
  readonly maxUploadBytes: number;
  /** Trusted-publishing tokens (with `trustedPublishing` only). */
  readonly trustedTokens: TrustedPublishingTokens | undefined;
  /** `http://127.0.0.1:PORT`, set once the server listens. */
  baseUrl = '';

  // Counters (the handle and GET /api/private/stats report them).
  readonly uploads = new Map<string, number>();
  readonly uploadAttempts = new Map<string, number>();
  readonly faultsInjected: Record<FaultKind, number> = { '500': 0, '429': 0, hang: 0 };
  rateLimitedCount = 0;
  requestCount = 0;
  readonly recordedRequests: RecordedRequest[] = [];
  /** Publish bodies as sent (with `capturePublishes` only). */
  readonly capturedPublishes: CapturedPublish[] = [];

  /** Timers of hung requests, cleared on stop. */
  readonly hangTimers = new Set<NodeJS.Timeout>();
  // Rendered index files, kept until the crate changes or its next version becomes
  // visible: cargo revalidates every dependency's file on each run.
  readonly indexFiles = new WeakMap<StoredCrate, RenderedIndexFile>();

  constructor(
    readonly dir: string,
    readonly opts: LocalRegistryOptions,
  ) {
    this.storage = new Storage(dir);
    this.users = loadUsers(this.storage, opts);
    this.indexDelayMs = opts.indexDelayMs ?? 0;
    this.limiter = opts.rateLimit === false ? undefined : new RateLimiter(opts.rateLimit ?? {});
    this.faults = opts.faults ? new FaultInjector(opts.faults) : undefined;
    this.maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    this.trustedTokens = opts.trustedPublishing ? new TrustedPublishingTokens(opts.trustedPublishing, this.users[0].login) : undefined;
  }

  /**
   * The user whose token the request carries (`Authorization: TOKEN` or `Bearer TOKEN`);
   * `trustedPublishing` when it is a live trusted-publishing token acting for that user.
   */
  userFor(req: IncomingMessage): (RegistryUser & { trustedPublishing?: boolean }) | undefined {
    const header = req.headers.authorization;
    if (!header) return undefined;
    const token = header.replace(/^Bearer\s+/i, '').trim();
    const user = this.users.find((u) => u.token === token);
    if (user) return user;
    const tp = this.trustedTokens?.lookup(token);
    if (tp && 'login' in tp) return { login: tp.login, token, trustedPublishing: true };
    return undefined;
  }

  /** Why a request without a usable token is refused (an expired or revoked trusted-publishing token says so). */
  authFailure(req: IncomingMessage): string {
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
    const tp = token ? this.trustedTokens?.lookup(token) : undefined;
    if (tp && 'refused' in tp) return `authentication failed: the Trusted Publishing token has ${tp.refused === 'expired' ? 'expired' : 'been revoked'}`;
    return 'this action requires authentication';
  }

  /** Shown in the index yet: the propagation delay has passed. */
  isVisible(version: StoredVersion, now = Date.now()): boolean {
    return now >= version.publishedAt + this.indexDelayMs;
  }

  /**
   * Takes a token from the user's bucket for `action`: undefined when allowed, else
   * when to come back (ms since epoch), counted as rate limited.
   */
  takeRateLimit(login: string, action: LimitedAction): number | undefined {
    const taken = this.limiter?.take(login, action) ?? { ok: true };
    if (taken.ok) return undefined;
    this.rateLimitedCount++;
    return taken.retryAfter;
  }

  /** Replaces a user's token (default: the default user's) and persists it. */
  setToken(token: string, login = this.users[0].login): void {
    const user = this.users.find((u) => u.login === login);
    if (!user) throw new Error(`no user ${login} in the local registry`);
    user.token = token;
    this.storage.writeJson('users.json', this.users);
  }
}

export function countOne(counter: Map<string, number>, key: string): void {
  counter.set(key, (counter.get(key) ?? 0) + 1);
}

/** The users of users.json (created with a random default token), with the options' token and users applied. */
function loadUsers(storage: Storage, opts: LocalRegistryOptions): RegistryUser[] {
  let users = storage.readJson<RegistryUser[]>('users.json');
  if (!users || users.length === 0) users = [{ login: DEFAULT_LOGIN, token: `crt_${randomBytes(18).toString('hex')}` }];
  if (opts.token) users[0] = { ...users[0], token: opts.token };
  for (const u of opts.users ?? []) {
    const i = users.findIndex((x) => x.login === u.login);
    if (i >= 0) users[i] = u;
    else users.push(u);
  }
  storage.writeJson('users.json', users);
  return users;
}
