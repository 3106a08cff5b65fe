// `GET /api/v1/crates/NAME/owners`, and adding (PUT) or removing (any other method)
// owners: users by login, teams as `github:org:team`. Only an owner may change them,
// and a crate keeps at least one user. An invalid login changes nothing.
import { ownersJson } from '../crate-json';
import type { RegistryState } from '../registry-state';
import { fail, send } from '../reply';
import type { Exchange } from '../router';
import type { StoredCrate } from '../storage';

const TEAM = /^github:[^:]+:[^:]+$/;

export function crateOwners(state: RegistryState, { req, res, body }: Exchange, crate: StoredCrate): void {
  if (req.method === 'GET') return send(res, 200, ownersJson(crate));
  const user = state.userFor(req);
  if (!user) return fail(res, 403, 'this action requires authentication');
  if (!crate.owners.some((o) => o.kind === 'user' && o.login === user.login)) return fail(res, 403, 'only owners have permission to modify owners');
  let logins: string[];
  try {
    logins = parseLogins(body);
  } catch (e) {
    return fail(res, 400, `invalid json request: ${(e as Error).message}`);
  }
  const adding = req.method === 'PUT';
  const owners = [...crate.owners];
  const messages: string[] = [];
  for (const login of logins) {
    const isTeam = login.startsWith('github:');
    if (isTeam && !TEAM.test(login)) return fail(res, 400, `invalid team name \`${login}\`, expected github:org:team`);
    if (!isTeam && !state.users.some((u) => u.login === login)) return fail(res, 404, `could not find user with login \`${login}\``);
    const index = owners.findIndex((o) => o.login === login);
    if (adding) {
      if (index >= 0) {
        messages.push(`\`${login}\` is already an owner`);
        continue;
      }
      owners.push({ login, kind: isTeam ? 'team' : 'user' });
      messages.push(`${isTeam ? 'team' : 'user'} ${login} has been added as an owner of crate ${crate.name}`);
    } else if (index >= 0) {
      owners.splice(index, 1);
    }
  }
  if (!owners.some((o) => o.kind === 'user')) return fail(res, 400, 'cannot remove all individual owners of a crate');
  state.storage.save({ ...crate, owners });
  send(res, 200, { ok: true, msg: adding ? messages.join(', ') : 'owners successfully removed' });
}

/** The logins of `{"users": [...]}` (cargo) or `{"owners": [...]}`. */
function parseLogins(body: Buffer): string[] {
  const parsed = JSON.parse(body.toString('utf8')) as { users?: unknown; owners?: unknown };
  const list = parsed.users ?? parsed.owners;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new Error('expected {"users": [logins]}');
  return list as string[];
}
