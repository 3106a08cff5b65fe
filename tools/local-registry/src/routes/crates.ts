// Everything under `/api/v1/crates/NAME[/A[/B]]` but the upload: the crate, its
// versions, one version, its download, owners, yank and unyank. An unknown crate is
// a 404 whatever the method; a known path with another method is a 405.
import { crateJson, sortedVersions, versionJson } from '../crate-json';
import type { RegistryState } from '../registry-state';
import { fail, send } from '../reply';
import type { Exchange } from '../router';
import type { StoredCrate } from '../storage';
import { serveCrateFile } from './downloads';
import { crateOwners } from './owners';
import { setYanked } from './yank';

const CRATE_PATH = /^\/api\/v1\/crates\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?\/?$/;

export function crateRoutes(state: RegistryState, exchange: Exchange): void {
  const { res, path, method } = exchange;
  const match = CRATE_PATH.exec(path);
  if (!match) return fail(res, 404, 'Not Found');
  const [, name, second, third] = match;
  const crate = state.storage.get(name);
  if (!crate) return fail(res, 404, `crate \`${name}\` does not exist`);
  if (!second && method === 'GET') return send(res, 200, { crate: crateJson(crate), versions: sortedVersions(crate).map((v) => versionJson(crate, v)) });
  if (second === 'versions' && !third && method === 'GET') return listVersions(exchange, crate);
  if (second === 'owners' && !third) return crateOwners(state, exchange, crate);
  if (second && third === 'download' && method === 'GET') return serveCrateFile(state, res, crate.name, second);
  if (second && third === 'yank' && method === 'DELETE') return setYanked(state, exchange, crate, second, true);
  if (second && third === 'unyank' && method === 'PUT') return setYanked(state, exchange, crate, second, false);
  if (second && !third && method === 'GET') return showVersion(exchange, crate, second);
  fail(res, 405, `method ${method} not allowed on ${path}`);
}

/** `GET /api/v1/crates/NAME/versions`: all of them, newest first, on one page. */
function listVersions({ res }: Exchange, crate: StoredCrate): void {
  const versions = sortedVersions(crate).map((v) => versionJson(crate, v));
  send(res, 200, { versions, meta: { total: versions.length, next_page: null } });
}

/** `GET /api/v1/crates/NAME/VERSION`. */
function showVersion({ res }: Exchange, crate: StoredCrate, vers: string): void {
  const version = crate.versions.find((v) => v.entry.vers === vers);
  if (!version) return fail(res, 404, `crate \`${crate.name}\` does not have a version \`${vers}\``);
  send(res, 200, { version: versionJson(crate, version) });
}
