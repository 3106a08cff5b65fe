// A stand-in of Nx's self-hosted remote cache API (the OpenAPI spec Nx
// publishes for NX_SELF_HOSTED_REMOTE_CACHE_SERVER), kept in memory:
//   PUT /v1/cache/{hash}  body = the task's tar; 202 stored, 401 no/unknown
//                         token, 403 read-only token, 409 already stored
//   GET /v1/cache/{hash}  200 the tar, 403 no read access, 404 not stored
// It listens on 127.0.0.1 on a free port and records every request, so a
// test can tell hits, misses and uploads per task hash, and the bytes stored.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RemoteCacheStandInOptions {
  /** Tokens that may read and write. */
  writeTokens?: string[];
  /** Tokens that may only read (a PR build): PUT answers 403. */
  readTokens?: string[];
  /** Largest accepted body (default 512 MiB); larger answers 413. */
  maxBodyBytes?: number;
  /** Stop by itself after this long without a request (default 10 minutes; 0 = never). */
  idleStopMs?: number;
}

export interface CacheRequest {
  method: string;
  hash: string;
  status: number;
  /** Body bytes of a PUT, or of a 200 GET. */
  bytes: number;
  /** Which kind of token came with it, never the token itself. */
  access: 'write' | 'read' | 'none' | 'unknown';
}

export interface RemoteCacheStandIn {
  /** Base URL for NX_SELF_HOSTED_REMOTE_CACHE_SERVER, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Every request so far, in order (copies). */
  requests(): CacheRequest[];
  /** Stored entries: hash -> byte size. */
  entries(): Map<string, number>;
  /** Forget the request log (entries stay). */
  clearRequests(): void;
  stop(): Promise<void>;
}

const HASH = /^\/v1\/cache\/([A-Za-z0-9._-]{1,200})$/;

export async function startRemoteCacheStandIn(opts: RemoteCacheStandInOptions = {}): Promise<RemoteCacheStandIn> {
  const write = new Set(opts.writeTokens ?? []);
  const read = new Set(opts.readTokens ?? []);
  if (write.size === 0 && read.size === 0) throw new Error('startRemoteCacheStandIn: give at least one write or read token');
  const maxBody = opts.maxBodyBytes ?? 512 * 1024 * 1024;
  const store = new Map<string, Buffer>();
  const log: CacheRequest[] = [];
  const idleMs = opts.idleStopMs ?? 10 * 60_000;
  let idle: NodeJS.Timeout | undefined;

  const access = (req: IncomingMessage): CacheRequest['access'] => {
    const h = req.headers.authorization;
    if (!h) return 'none';
    const m = /^Bearer (.+)$/.exec(h);
    if (!m) return 'unknown';
    if (write.has(m[1])) return 'write';
    if (read.has(m[1])) return 'read';
    return 'unknown';
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer, tooBig: boolean) => {
    const method = req.method ?? 'GET';
    const m = HASH.exec((req.url ?? '').split('?')[0]);
    const who = access(req);
    const answer = (status: number, text?: string | Buffer, bytes = 0) => {
      log.push({ method, hash: m?.[1] ?? req.url ?? '', status, bytes, access: who });
      if (Buffer.isBuffer(text)) res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': text.length });
      else res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
    };
    if (!m) return answer(404, 'not found: the API is PUT/GET /v1/cache/{hash}');
    if (method !== 'GET' && method !== 'PUT') return answer(405, 'method not allowed');
    if (who === 'none' || who === 'unknown') return answer(401, 'missing or unknown bearer token');
    const hash = m[1];
    if (method === 'GET') {
      const hit = store.get(hash);
      return hit ? answer(200, hit, hit.length) : answer(404, 'not found');
    }
    if (who !== 'write') return answer(403, 'this token may only read');
    if (tooBig) return answer(413, `larger than ${maxBody} bytes`);
    if (store.has(hash)) return answer(409, 'cannot override an existing record');
    store.set(hash, body);
    return answer(202, undefined, body.length);
  };

  const server: Server = createServer((req, res) => {
    armIdle();
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => handle(req, res, Buffer.concat(chunks), tooBig));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (idle) clearTimeout(idle);
      server.close(() => resolve());
      server.closeAllConnections();
    });
  function armIdle() {
    if (!idleMs) return;
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => void stop(), idleMs);
    idle.unref();
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  armIdle();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => log.map((r) => ({ ...r })),
    entries: () => new Map([...store].map(([h, b]) => [h, b.length])),
    clearRequests: () => {
      log.length = 0;
    },
    stop,
  };
}
