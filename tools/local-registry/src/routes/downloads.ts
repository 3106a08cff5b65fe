// Downloads of .crate files: `GET /api/v1/crates/NAME/VERSION/download` (config.json's
// `dl` as an API base) and `GET /dl/NAME/VERSION` (`dl` as a template).
import type { ServerResponse } from 'node:http';
import type { RegistryState } from '../registry-state';
import { fail } from '../reply';

export function serveCrateFile(state: RegistryState, res: ServerResponse, name: string, vers: string): void {
  const crate = state.storage.get(name);
  const version = crate?.versions.find((v) => v.entry.vers === vers);
  const data = crate && version && state.storage.readCrateFile(crate.name, vers);
  if (!data) return fail(res, 404, `crate \`${name}\` does not have a version \`${vers}\``);
  res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(data.length) });
  res.end(data);
}
