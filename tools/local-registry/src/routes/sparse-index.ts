// The sparse index: `GET /index/config.json` and one file per crate at cargo's paths
// (one JSON line per visible version), with ETag / If-None-Match.
import { createHash } from 'node:crypto';
import { crateNameFromIndexPath } from '../index-format';
import type { RegistryState, RenderedIndexFile } from '../registry-state';
import { send } from '../reply';
import type { Exchange } from '../router';
import type { StoredCrate } from '../storage';

/** `GET|HEAD /index/<path>`; `path` is relative to /index/. */
export function serveIndexFile(state: RegistryState, { req, res }: Exchange, path: string): void {
  if (path === 'config.json') {
    const base = state.baseUrl;
    return send(res, 200, { dl: state.opts.dlTemplate ? `${base}/dl/{crate}/{version}` : `${base}/api/v1/crates`, api: base });
  }
  const name = crateNameFromIndexPath(path);
  const crate = name ? state.storage.get(name) : undefined;
  const file = crate ? renderedIndexFile(state, crate) : undefined;
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

/** The crate's index file (undefined while no version is visible), from the cache while it is still valid. */
function renderedIndexFile(state: RegistryState, crate: StoredCrate): RenderedIndexFile | undefined {
  const now = Date.now();
  const hit = state.indexFiles.get(crate);
  if (hit && now < hit.validUntil && hit.indexDelayMs === state.indexDelayMs) return hit.data.length ? hit : undefined;
  const visible = crate.versions.filter((v) => state.isVisible(v, now));
  const pending = crate.versions.filter((v) => !state.isVisible(v, now)).map((v) => v.publishedAt + state.indexDelayMs);
  const data = visible.length ? Buffer.from(visible.map((v) => JSON.stringify(v.entry)).join('\n') + '\n') : Buffer.alloc(0);
  const file: RenderedIndexFile = {
    data,
    etag: `"${createHash('sha1').update(data).digest('hex')}"`,
    validUntil: pending.length ? Math.min(...pending) : Infinity,
    indexDelayMs: state.indexDelayMs,
  };
  state.indexFiles.set(crate, file);
  return data.length ? file : undefined;
}
