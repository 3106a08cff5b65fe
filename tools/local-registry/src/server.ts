// A crate registry on 127.0.0.1 that real `cargo publish` talks to: the sparse index,
// the publish/versions/owners/yank/download parts of the crates.io web API, token
// auth, storage on disk, and knobs that make it behave like crates.io under load
// (index-propagation delay, crates.io's rate limits scaled, seeded faults).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as semver from 'semver';
import { FaultInjector, type FaultDecision, type FaultKind, type FaultOptions } from './faults';
import { BadPublishRequest, crateNameFromIndexPath, indexEntryFor, parsePublishBody, type IndexEntry } from './index-format';
import { httpDate, RATE_LIMIT_MESSAGES, RateLimiter, type ActionLimit, type LimitedAction, type RateLimitOptions } from './rate-limit';
import { Storage, type Owner, type StoredCrate, type StoredVersion } from './storage';

export interface RegistryUser {
  login: string;
  token: string;
}

export interface LocalRegistryOptions {
  /** Storage directory; reused (with its data and tokens) when it exists. Default: a new temp dir. */
  dir?: string;
  port?: number;
  /** Token of the default user (login `local-user`). Default: generated once and kept in `dir`. */
  token?: string;
  /** More users, e.g. to test owner checks. */
  users?: RegistryUser[];
  /** A new version shows in the index only this many ms after it was stored. Default 0. */
  indexDelayMs?: number;
  /** crates.io's publish rate limits, scaled; `false` turns them off. Default: on, unscaled. */
  rateLimit?: RateLimitOptions | false;
  faults?: FaultOptions;
  /** Largest accepted publish body. Default 10 MiB (crates.io's limit). */
  maxUploadBytes?: number;
  /** Called with one line per request (method, path, status). */
  log?: (line: string) => void;
  /**
   * Keep every request's method, path and headers (see `requests()`): a test asks what
   * credentials reached the registry. Off by default (a benchmark sends thousands).
   */
  recordRequests?: boolean;
  /**
   * config.json `dl` as a template (`…/dl/{crate}/{version}`) instead of the API base
   * cargo appends `/{crate}/{version}/download` to. Both download routes always work.
   */
  dlTemplate?: boolean;
}

export interface VersionState {
  vers: string;
  yanked: boolean;
  /** Shown in the index yet (the propagation delay has passed). */
  visible: boolean;
  publishedAt: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
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
  /**
   * Gives a user a new token (default: the default user's), as when a token is revoked
   * and replaced: from now on the old one is refused with 403.
   */
  setToken(token: string, login?: string): void;
  versions(name: string): VersionState[];
  setIndexDelay(ms: number): void;
  setFaults(faults: FaultOptions | undefined): void;
  /** The effective (scaled) limit of an action, or undefined when limits are off. */
  rateLimit(action: LimitedAction): ActionLimit | undefined;
  stop(): Promise<void>;
}

const DEFAULT_LOGIN = 'local-user';

/** Starts a registry on 127.0.0.1 (port 0 = a free port). */
export async function startLocalRegistry(opts: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'crate-train-registry-'));
  const storage = new Storage(dir);
  const users = loadUsers(storage, opts);
  let indexDelayMs = opts.indexDelayMs ?? 0;
  const limiter = opts.rateLimit === false ? undefined : new RateLimiter(opts.rateLimit ?? {});
  let faults = opts.faults ? new FaultInjector(opts.faults) : undefined;
  const faultCounts: Record<FaultKind, number> = { '500': 0, '429': 0, hang: 0 };
  const uploads = new Map<string, number>();
  const attempts = new Map<string, number>();
  let rateLimitedCount = 0;
  let requests = 0;
  const recorded: RecordedRequest[] = [];
  const maxUpload = opts.maxUploadBytes ?? 10 * 1024 * 1024;
  const hangTimers = new Set<NodeJS.Timeout>();
  let base = '';

  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const isVisible = (v: StoredVersion, now = Date.now()) => now >= v.publishedAt + indexDelayMs;

  function userFor(req: IncomingMessage): RegistryUser | undefined {
    const h = req.headers.authorization;
    if (!h) return undefined;
    const token = h.replace(/^Bearer\s+/i, '').trim();
    return users.find((u) => u.token === token);
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const data = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(data.length), ...headers });
    res.end(data);
  }
  const fail = (res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}) =>
    send(res, status, { errors: [{ detail }] }, headers);

  function hang(req: IncomingMessage, res: ServerResponse): void {
    const t = setTimeout(() => {
      hangTimers.delete(t);
      req.socket.destroy();
    }, faults?.opts.hangMs ?? 30_000);
    t.unref();
    hangTimers.add(t);
    res.on('close', () => {
      clearTimeout(t);
      hangTimers.delete(t);
    });
  }

  function injectFault(req: IncomingMessage, res: ServerResponse, d: FaultDecision): void {
    faultCounts[d.kind]++;
    if (d.kind === 'hang') return hang(req, res);
    if (d.kind === '500') return fail(res, 500, 'Internal Server Error (injected fault)');
    const until = Date.now() + (faults?.opts.retryAfterMs ?? 1000);
    fail(
      res,
      429,
      `You have published too many crates in a short period of time. Please try again after ${httpDate(until)} and see https://crates.io/docs/rate-limits for more details.`,
      {
        'retry-after': httpDate(until),
      },
    );
  }

  function versionJson(c: StoredCrate, v: StoredVersion) {
    return {
      id: `${c.name}@${v.entry.vers}`,
      crate: c.name,
      num: v.entry.vers,
      dl_path: `/api/v1/crates/${c.name}/${v.entry.vers}/download`,
      created_at: new Date(v.publishedAt).toISOString(),
      updated_at: new Date(v.publishedAt).toISOString(),
      yanked: v.entry.yanked,
      checksum: v.entry.cksum,
      crate_size: v.size,
      features: { ...v.entry.features, ...(v.entry.features2 ?? {}) },
      license: v.meta.license ?? null,
      rust_version: v.entry.rust_version ?? null,
      published_by: { login: v.publishedBy },
    };
  }

  function sortedVersions(c: StoredCrate): StoredVersion[] {
    return [...c.versions].sort((a, b) => b.publishedAt - a.publishedAt);
  }

  function crateJson(c: StoredCrate) {
    const live = c.versions.filter((v) => !v.entry.yanked);
    const newest = sortedVersions(c)[0];
    const desc = newest?.meta.description ?? null;
    return {
      id: c.name,
      name: c.name,
      description: desc,
      created_at: new Date(c.createdAt).toISOString(),
      updated_at: new Date(newest?.publishedAt ?? c.createdAt).toISOString(),
      newest_version: newest?.entry.vers ?? null,
      max_version: maxVersion(live.map((v) => v.entry.vers)) ?? '0.0.0',
      versions: c.versions.map((v) => `${c.name}@${v.entry.vers}`),
    };
  }

  function ownersJson(c: StoredCrate) {
    return {
      users: c.owners.map((o, i) => ({
        id: i + 1,
        login: o.login,
        kind: o.kind,
        name: o.kind === 'team' ? o.login.split(':').pop() : o.login,
      })),
    };
  }

  function handlePublish(req: IncomingMessage, res: ServerResponse, body: Buffer, fault?: FaultDecision): void {
    const user = userFor(req);
    if (!user) return fail(res, 403, 'this action requires authentication');
    let parsed;
    try {
      parsed = parsePublishBody(body);
    } catch (e) {
      if (e instanceof BadPublishRequest) return fail(res, 400, e.message);
      throw e;
    }
    const { metadata, crate } = parsed;
    const key = `${metadata.name}@${metadata.vers}`;
    const existing = storage.get(metadata.name);
    if (!existing) {
      const other = storage.findConflicting(metadata.name);
      if (other) return fail(res, 400, `crate was previously named \`${other.name}\``);
    } else {
      if (existing.name !== metadata.name) return fail(res, 400, `crate was previously named \`${existing.name}\``);
      if (!existing.owners.some((o) => o.kind === 'user' && o.login === user.login)) {
        return fail(
          res,
          403,
          "this crate exists but you don't seem to be an owner. If you believe this is a mistake, perhaps you need to accept an invitation to be an owner before publishing.",
        );
      }
      if (existing.versions.some((v) => v.entry.vers === metadata.vers)) {
        bump(attempts, key);
        return fail(res, 400, `crate version \`${metadata.vers}\` is already uploaded`);
      }
    }
    const action: LimitedAction = existing ? 'publish-update' : 'publish-new';
    const taken = limiter?.take(user.login, action) ?? { ok: true };
    if (!taken.ok) {
      rateLimitedCount++;
      const date = httpDate(taken.retryAfter);
      return fail(res, 429, `${RATE_LIMIT_MESSAGES[action]}. Please try again after ${date} and see https://crates.io/docs/rate-limits for more details.`, {
        'retry-after': date,
      });
    }
    const cksum = createHash('sha256').update(crate).digest('hex');
    const entry = indexEntryFor(metadata, cksum, [`${base}/index/`]);
    storage.writeCrateFile(metadata.name, metadata.vers, crate);
    const now = Date.now();
    const { deps: _d, features: _f, name: _n, vers: _v, ...meta } = metadata;
    const c: StoredCrate = existing
      ? { ...existing, versions: [...existing.versions] }
      : { name: metadata.name, createdAt: now, owners: [{ login: user.login, kind: 'user' }], versions: [] };
    c.versions.push({ entry, publishedAt: now, publishedBy: user.login, size: crate.length, meta });
    storage.save(c);
    bump(uploads, key);
    bump(attempts, key);
    if (fault?.afterCommit) return injectFault(req, res, fault);
    send(res, 200, { warnings: { invalid_categories: [], invalid_badges: [], other: [] } });
  }

  function handleYank(req: IncomingMessage, res: ServerResponse, c: StoredCrate, vers: string, yanked: boolean): void {
    const user = userFor(req);
    if (!user) return fail(res, 403, 'this action requires authentication');
    if (!c.owners.some((o) => o.kind === 'user' && o.login === user.login)) return fail(res, 403, 'must already be an owner to yank or unyank');
    const v = c.versions.find((x) => x.entry.vers === vers);
    if (!v) return fail(res, 404, `crate \`${c.name}\` does not have a version \`${vers}\``);
    const taken = limiter?.take(user.login, 'yank-unyank') ?? { ok: true };
    if (!taken.ok) {
      rateLimitedCount++;
      const date = httpDate(taken.retryAfter);
      return fail(
        res,
        429,
        `${RATE_LIMIT_MESSAGES['yank-unyank']}. Please try again after ${date} and see https://crates.io/docs/rate-limits for more details.`,
        {
          'retry-after': date,
        },
      );
    }
    const next: StoredCrate = { ...c, versions: c.versions.map((x) => (x === v ? { ...x, entry: { ...x.entry, yanked } } : x)) };
    storage.save(next);
    send(res, 200, { ok: true });
  }

  function handleOwners(req: IncomingMessage, res: ServerResponse, c: StoredCrate, body: Buffer): void {
    if (req.method === 'GET') return send(res, 200, ownersJson(c));
    const user = userFor(req);
    if (!user) return fail(res, 403, 'this action requires authentication');
    if (!c.owners.some((o) => o.kind === 'user' && o.login === user.login)) return fail(res, 403, 'only owners have permission to modify owners');
    let logins: string[];
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { users?: unknown; owners?: unknown };
      const list = parsed.users ?? parsed.owners;
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new Error('expected {"users": [logins]}');
      logins = list as string[];
    } catch (e) {
      return fail(res, 400, `invalid json request: ${(e as Error).message}`);
    }
    const owners = [...c.owners];
    const msgs: string[] = [];
    for (const login of logins) {
      const isTeam = login.startsWith('github:');
      if (isTeam && !/^github:[^:]+:[^:]+$/.test(login)) return fail(res, 400, `invalid team name \`${login}\`, expected github:org:team`);
      if (!isTeam && !users.some((u) => u.login === login)) return fail(res, 404, `could not find user with login \`${login}\``);
      const idx = owners.findIndex((o) => o.login === login);
      if (req.method === 'PUT') {
        if (idx >= 0) {
          msgs.push(`\`${login}\` is already an owner`);
          continue;
        }
        owners.push({ login, kind: isTeam ? 'team' : 'user' });
        msgs.push(isTeam ? `team ${login} has been added as an owner of crate ${c.name}` : `user ${login} has been added as an owner of crate ${c.name}`);
      } else if (idx >= 0) {
        owners.splice(idx, 1);
      }
    }
    if (!owners.some((o) => o.kind === 'user')) return fail(res, 400, 'cannot remove all individual owners of a crate');
    storage.save({ ...c, owners });
    send(res, 200, { ok: true, msg: req.method === 'PUT' ? msgs.join(', ') : 'owners successfully removed' });
  }

  function serveIndex(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (path === 'config.json') {
      return send(res, 200, { dl: opts.dlTemplate ? `${base}/dl/{crate}/{version}` : `${base}/api/v1/crates`, api: base });
    }
    const name = crateNameFromIndexPath(path);
    const c = name ? storage.get(name) : undefined;
    const file = c ? renderedIndexFile(c) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('not found');
    }
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { etag: file.etag });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(file.data.length), etag: file.etag, 'cache-control': 'max-age=0' });
    res.end(file.data);
  }

  // Rendered index files, kept until the crate changes or its next version becomes
  // visible: cargo revalidates every dependency's file on each run.
  const indexCache = new WeakMap<StoredCrate, { data: Buffer; etag: string; validUntil: number; delay: number }>();
  function renderedIndexFile(c: StoredCrate): { data: Buffer; etag: string } | undefined {
    const now = Date.now();
    const hit = indexCache.get(c);
    if (hit && now < hit.validUntil && hit.delay === indexDelayMs) return hit.data.length ? hit : undefined;
    const visible = c.versions.filter((v) => isVisible(v, now));
    const pending = c.versions.filter((v) => !isVisible(v, now)).map((v) => v.publishedAt + indexDelayMs);
    const data = visible.length ? Buffer.from(visible.map((v) => JSON.stringify(v.entry)).join('\n') + '\n') : Buffer.alloc(0);
    const entry = {
      data,
      etag: `"${createHash('sha1').update(data).digest('hex')}"`,
      validUntil: pending.length ? Math.min(...pending) : Infinity,
      delay: indexDelayMs,
    };
    indexCache.set(c, entry);
    return data.length ? entry : undefined;
  }

  function serveCrateFile(res: ServerResponse, name: string, vers: string): void {
    const c = storage.get(name);
    const v = c?.versions.find((x) => x.entry.vers === vers);
    const data = c && v && storage.readCrateFile(c.name, vers);
    if (!data) return fail(res, 404, `crate \`${name}\` does not have a version \`${vers}\``);
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(data.length) });
    res.end(data);
  }

  function route(req: IncomingMessage, res: ServerResponse, body: Buffer, fault?: FaultDecision): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';
    if (path.startsWith('/index/') && (method === 'GET' || method === 'HEAD')) return serveIndex(req, res, path.slice('/index/'.length));
    if (path === '/api/v1/crates/new' && method === 'PUT') return handlePublish(req, res, body, fault);
    const dl = /^\/dl\/([^/]+)\/([^/]+)$/.exec(path);
    if (dl && method === 'GET') return serveCrateFile(res, dl[1], dl[2]);
    // Counters for tests and benchmarks that run the registry in another process.
    if (path === '/api/private/stats' && method === 'GET') {
      return send(res, 200, {
        uploads: Object.fromEntries(uploads),
        uploadAttempts: Object.fromEntries(attempts),
        rateLimited: rateLimitedCount,
        faultsInjected: faultCounts,
        requests,
        // CPU of the whole process (meaningful when the registry runs alone, as from the CLI).
        cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
      });
    }
    const m = /^\/api\/v1\/crates\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?\/?$/.exec(path);
    if (!m) return fail(res, 404, 'Not Found');
    const [, name, second, third] = m;
    const c = storage.get(name);
    if (!c) return fail(res, 404, `crate \`${name}\` does not exist`);
    if (!second && method === 'GET') {
      return send(res, 200, { crate: crateJson(c), versions: sortedVersions(c).map((v) => versionJson(c, v)) });
    }
    if (second === 'versions' && !third && method === 'GET') {
      const vs = sortedVersions(c).map((v) => versionJson(c, v));
      return send(res, 200, { versions: vs, meta: { total: vs.length, next_page: null } });
    }
    if (second === 'owners' && !third) return handleOwners(req, res, c, body);
    if (second && third === 'download' && method === 'GET') return serveCrateFile(res, c.name, second);
    if (second && third === 'yank' && method === 'DELETE') return handleYank(req, res, c, second, true);
    if (second && third === 'unyank' && method === 'PUT') return handleYank(req, res, c, second, false);
    if (second && !third && method === 'GET') {
      const v = c.versions.find((x) => x.entry.vers === second);
      if (!v) return fail(res, 404, `crate \`${c.name}\` does not have a version \`${second}\``);
      return send(res, 200, { version: versionJson(c, v) });
    }
    fail(res, 405, `method ${method} not allowed on ${path}`);
  }

  const server: Server = createServer((req, res) => {
    requests++;
    if (opts.recordRequests) recorded.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxUpload) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const fault = faults?.decide(req.method ?? 'GET', path);
      res.on('finish', () => opts.log?.(`${req.method} ${req.url} ${res.statusCode}${fault ? ` (fault ${fault.kind})` : ''}`));
      if (fault && !fault.afterCommit) return injectFault(req, res, fault);
      if (tooBig) return fail(res, 413, `max upload size is: ${maxUpload}`);
      try {
        route(req, res, Buffer.concat(chunks), fault);
      } catch (e) {
        if (!res.headersSent) fail(res, 500, `internal error: ${(e as Error).message}`);
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    indexUrl: `sparse+${base}/index/`,
    port,
    get token() {
      return users[0].token;
    },
    login: users[0].login,
    storageDir: dir,
    uploads: () => new Map(uploads),
    uploadAttempts: () => new Map(attempts),
    rateLimited: () => rateLimitedCount,
    faultsInjected: () => ({ ...faultCounts }),
    requestCount: () => requests,
    requests: () => recorded.map((r) => ({ ...r, headers: { ...r.headers } })),
    setToken: (token, login = users[0].login) => {
      const u = users.find((x) => x.login === login);
      if (!u) throw new Error(`no user ${login} in the local registry`);
      u.token = token;
      storage.writeJson('users.json', users);
    },
    versions: (name) => {
      const c = storage.get(name);
      const now = Date.now();
      return (c?.versions ?? []).map((v) => ({ vers: v.entry.vers, yanked: v.entry.yanked, visible: isVisible(v, now), publishedAt: v.publishedAt }));
    },
    setIndexDelay: (ms) => {
      indexDelayMs = ms;
    },
    setFaults: (f) => {
      faults = f ? new FaultInjector(f) : undefined;
    },
    rateLimit: (action) => limiter?.limit(action),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of hangTimers) clearTimeout(t);
        hangTimers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

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

/** Highest of a list of versions by semver precedence. */
function maxVersion(versions: string[]): string | undefined {
  return semver.rsort(versions.filter((v) => semver.valid(v)))[0];
}

export type { IndexEntry, Owner };
