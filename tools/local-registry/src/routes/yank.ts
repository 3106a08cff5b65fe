// `DELETE /api/v1/crates/NAME/VERSION/yank` and `PUT …/unyank`: owners only, rate limited.
import { RATE_LIMIT_MESSAGES } from '../rate-limit';
import type { RegistryState } from '../registry-state';
import { fail, failRateLimited, send } from '../reply';
import type { Exchange } from '../router';
import type { StoredCrate } from '../storage';

export function setYanked(state: RegistryState, { req, res }: Exchange, crate: StoredCrate, vers: string, yanked: boolean): void {
  const user = state.userFor(req);
  if (!user) return fail(res, 403, 'this action requires authentication');
  if (!crate.owners.some((o) => o.kind === 'user' && o.login === user.login)) return fail(res, 403, 'must already be an owner to yank or unyank');
  const version = crate.versions.find((v) => v.entry.vers === vers);
  if (!version) return fail(res, 404, `crate \`${crate.name}\` does not have a version \`${vers}\``);
  const retryAt = state.takeRateLimit(user.login, 'yank-unyank');
  if (retryAt !== undefined) return failRateLimited(res, RATE_LIMIT_MESSAGES['yank-unyank'], retryAt);
  const versions = crate.versions.map((v) => (v === version ? { ...v, entry: { ...v.entry, yanked } } : v));
  state.storage.save({ ...crate, versions });
  send(res, 200, { ok: true });
}
