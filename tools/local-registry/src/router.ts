// Which route answers a request. The order matters and is crates.io's: the sparse
// index, the upload, downloads, the stats, then everything under /api/v1/crates/NAME
// (an unknown crate is a 404 whatever the method).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision } from './faults';
import type { RegistryState } from './registry-state';
import { crateRoutes } from './routes/crates';
import { serveCrateFile } from './routes/downloads';
import { publishCrate } from './routes/publish';
import { serveIndexFile } from './routes/sparse-index';
import { serveStats } from './routes/stats';
import { TRUSTED_PUBLISHING_PATH, trustedPublishingTokens } from './routes/trusted-publishing';

/** One request as the routes see it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** Decoded path, without the query. */
  path: string;
  method: string;
  /** The whole request body. */
  body: Buffer;
  /** A fault drawn for this request that strikes after the work is done (an upload stored, then a 500 or a hang). */
  fault?: FaultDecision;
}

const DL_PATH = /^\/dl\/([^/]+)\/([^/]+)$/;

export function route(state: RegistryState, req: IncomingMessage, res: ServerResponse, body: Buffer, fault?: FaultDecision): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = decodeURIComponent(url.pathname);
  const method = req.method ?? 'GET';
  const exchange: Exchange = { req, res, path, method, body, fault };
  if (path.startsWith('/index/') && (method === 'GET' || method === 'HEAD')) return serveIndexFile(state, exchange, path.slice('/index/'.length));
  if (path === '/api/v1/crates/new' && method === 'PUT') return publishCrate(state, exchange);
  const dl = DL_PATH.exec(path);
  if (dl && method === 'GET') return serveCrateFile(state, res, dl[1], dl[2]);
  if (path === '/api/private/stats' && method === 'GET') return serveStats(state, res);
  if (path === TRUSTED_PUBLISHING_PATH) return trustedPublishingTokens(state, exchange);
  crateRoutes(state, exchange);
}
