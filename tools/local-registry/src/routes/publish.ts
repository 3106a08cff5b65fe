// `PUT /api/v1/crates/new`: cargo's binary upload. Checks the token, the body, name
// conflicts, ownership, an existing version and the rate limit, then stores the
// .crate file and the version (visible in the index after the propagation delay).
import { createHash } from 'node:crypto';
import { injectFault } from '../inject-fault';
import { BadPublishRequest, indexEntryFor, parsePublishBody, type PublishMetadata } from '../index-format';
import { RATE_LIMIT_MESSAGES, type LimitedAction } from '../rate-limit';
import { countOne, type CapturedPublish, type RegistryState } from '../registry-state';
import { fail, failRateLimited, send } from '../reply';
import type { Exchange } from '../router';
import type { StoredCrate } from '../storage';
import { NO_NEW_CRATES } from './trusted-publishing';

const NOT_AN_OWNER =
  "this crate exists but you don't seem to be an owner. If you believe this is a mistake, perhaps you need to accept an invitation to be an owner before publishing.";

export function publishCrate(state: RegistryState, exchange: Exchange): void {
  if (!state.opts.capturePublishes) return handlePublish(state, exchange);
  const { res, body } = exchange;
  const capture: CapturedPublish = { json: '', crate: Buffer.alloc(0) };
  if (body.length >= 8) {
    const jsonLen = body.readUInt32LE(0);
    capture.json = body.subarray(4, 4 + jsonLen).toString('utf8');
    capture.crate = Buffer.from(body.subarray(8 + jsonLen));
  }
  state.capturedPublishes.push(capture);
  res.on('finish', () => (capture.status = res.statusCode));
  handlePublish(state, exchange);
}

function handlePublish(state: RegistryState, { req, res, body, fault }: Exchange): void {
  const user = state.userFor(req);
  if (!user) return fail(res, 403, state.authFailure(req));
  let upload: { metadata: PublishMetadata; crate: Buffer };
  try {
    upload = parsePublishBody(body);
  } catch (e) {
    if (e instanceof BadPublishRequest) return fail(res, 400, e.message);
    throw e;
  }
  const { metadata, crate: crateFile } = upload;
  const key = `${metadata.name}@${metadata.vers}`;
  const existing = state.storage.get(metadata.name);
  if (!existing) {
    if (user.trustedPublishing) return fail(res, 403, NO_NEW_CRATES);
    const other = state.storage.findConflicting(metadata.name);
    if (other) return fail(res, 400, `crate was previously named \`${other.name}\``);
  } else {
    if (existing.name !== metadata.name) return fail(res, 400, `crate was previously named \`${existing.name}\``);
    if (!existing.owners.some((o) => o.kind === 'user' && o.login === user.login)) return fail(res, 403, NOT_AN_OWNER);
    if (existing.versions.some((v) => v.entry.vers === metadata.vers)) {
      countOne(state.uploadAttempts, key);
      return fail(res, 400, `crate version \`${metadata.vers}\` is already uploaded`);
    }
  }
  const action: LimitedAction = existing ? 'publish-update' : 'publish-new';
  const retryAt = state.takeRateLimit(user.login, action);
  if (retryAt !== undefined) return failRateLimited(res, RATE_LIMIT_MESSAGES[action], retryAt);

  const cksum = createHash('sha256').update(crateFile).digest('hex');
  const entry = indexEntryFor(metadata, cksum, [`${state.baseUrl}/index/`]);
  state.storage.writeCrateFile(metadata.name, metadata.vers, crateFile);
  const now = Date.now();
  const { deps: _d, features: _f, name: _n, vers: _v, ...meta } = metadata;
  const stored: StoredCrate = existing
    ? { ...existing, versions: [...existing.versions] }
    : { name: metadata.name, createdAt: now, owners: [{ login: user.login, kind: 'user' }], versions: [] };
  stored.versions.push({ entry, publishedAt: now, publishedBy: user.login, size: crateFile.length, meta });
  state.storage.save(stored);
  countOne(state.uploads, key);
  countOne(state.uploadAttempts, key);
  if (fault?.afterCommit) return injectFault(state, req, res, fault);
  send(res, 200, { warnings: { invalid_categories: [], invalid_badges: [], other: [] } });
}
