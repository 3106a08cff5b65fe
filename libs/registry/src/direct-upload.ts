// One upload = one `PUT /api/v1/crates/new` from this process, with the `.crate`
// made by the preflight's `cargo package` run (the way `cargo publish --workspace`
// packages, lockfiles included; it streams the packages in dependency order while
// the first waves upload and wait for the index) and the metadata built from it
// exactly as cargo builds it (publish-metadata.ts). No cargo process runs on the
// critical path: an upload costs one HTTP request. A crate that run could not
// package (a dependency only the registry has, not visible yet) is packaged on its
// own at upload time, as `cargo publish -p` would.
//
// Errors read like cargo's ("the remote server responded with an error (status 403
// Forbidden): …"), so the outcome rules and messages are the same for both uploaders.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '@crate-train/proc';
import type { ResolvedRegistry } from './cargo-config';
import { authRejection, classifyCargoFailure, type Uploader, type UploadOutcome } from './cargo-publish';
import { errorDetail, parseTryAgainAfter, retryAfterMs, USER_AGENT } from './http';
import { newCrateFromPackage, publishBody } from './publish-metadata';
import { packageOne, type PackagedCrates } from './packaging';
import type { TokenSource } from './token-source';

export interface DirectUploaderOptions {
  workspaceRoot: string;
  registry: ResolvedRegistry;
  /** The registry's web API base (config.json `api`). */
  apiBase: string;
  tokens: TokenSource;
  /** `.crate` files packaged ahead (by the preflight); others are packaged at upload time. */
  packaged: PackagedCrates;
  /** Where a crate packaged at upload time goes (a target dir per slot). */
  stateDir: string;
  allowDirty?: boolean;
  /** No answer to the upload within this long: a transient failure (the registry may have stored it). Default 30 s (cargo's http.timeout). */
  requestTimeoutMs?: number;
  /** cargo's http.timeout (s) and net.retry for a crate packaged at upload time. */
  cargoHttpTimeoutSecs?: number;
  cargoNetRetry?: number;
  env?: NodeJS.ProcessEnv;
  onOutput?: (crate: string, line: string) => void;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** What a publish answer means, in the uploader's outcomes. */
export function classifyPublishResponse(apiBase: string, status: number, headers: Headers, text: string, now = Date.now()): UploadOutcome {
  if (status >= 200 && status < 300) return { kind: 'uploaded' };
  const detail = errorDetail(text).trim();
  const message =
    `failed to publish to registry at ${apiBase}: the remote server responded with an error (status ${status} ${REASONS[status] ?? ''}): ${detail}`.replace(
      / \)/,
      ')',
    );
  if (status === 429) {
    const wait = retryAfterMs(headers.get('retry-after'), text, now);
    return { kind: 'rate-limited', retryAt: wait !== undefined ? now + wait : parseTryAgainAfter(text), message };
  }
  if (status >= 500) return { kind: 'transient', message, reachedUpload: true };
  if (/already uploaded|already exists/i.test(detail)) return { kind: 'already-exists', message };
  if (status === 401 || status === 403) {
    const auth = authRejection(message);
    if (auth) return { kind: 'unauthorized', message: auth };
  }
  if (/no known crate named|does not match any|version requirement .* cannot be satisfied/i.test(detail)) return { kind: 'dependency-missing', message };
  return { kind: 'fatal', message };
}

/** An Uploader that sends the prepared package itself. */
export function directUploader(opts: DirectUploaderOptions): Uploader {
  const url = `${opts.apiBase.replace(/\/$/, '')}/api/v1/crates/new`;
  const target = { indexUrl: opts.registry.indexUrl, isCratesIo: opts.registry.isCratesIo };

  const send = async (body: Buffer, token: string | undefined, timeoutMs: number): Promise<UploadOutcome> => {
    if (!token) return { kind: 'unauthorized', message: 'no token for the registry' };
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'PUT',
        headers: { accept: 'application/json', authorization: token, 'user-agent': USER_AGENT, 'content-length': String(body.length) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const refused = err.cause?.code === 'ECONNREFUSED' || err.cause?.code === 'ENOTFOUND';
      const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
      return { kind: 'transient', message: `failed to publish to registry at ${opts.apiBase}: ${why}`, reachedUpload: !refused };
    }
    let text = '';
    try {
      text = await res.text();
    } catch (e) {
      return {
        kind: 'transient',
        message: `failed to publish to registry at ${opts.apiBase}: the answer broke off (${(e as Error).message})`,
        reachedUpload: true,
      };
    }
    return classifyPublishResponse(opts.apiBase, res.status, res.headers, text);
  };

  return async (req) => {
    let file = await opts.packaged.wait(req.name, req.version);
    if (!file) {
      const packaged = await packageOne({
        workspaceRoot: opts.workspaceRoot,
        registry: opts.registry,
        targetDir: join(opts.stateDir, `target-slot-${req.slot}`),
        allowDirty: opts.allowDirty,
        httpTimeoutSecs: opts.cargoHttpTimeoutSecs,
        netRetry: opts.cargoNetRetry,
        env: opts.env,
        name: req.name,
        version: req.version,
      });
      if ('failed' in packaged) return classifyCargoFailure(packaged.failed, false);
      file = packaged.file;
      opts.packaged.set(req.name, req.version, file);
    }
    if (!existsSync(file)) return { kind: 'fatal', message: `the package ${file} is gone (was the target dir cleaned during the run?)` };
    const crate = readFileSync(file);
    let body: Buffer;
    try {
      body = publishBody(newCrateFromPackage(crate, target), crate);
    } catch (e) {
      return { kind: 'fatal', message: `cannot read the package of ${req.name} ${req.version} (${file}): ${(e as Error).message}` };
    }
    // cargo's http.timeout is for a stalled transfer; allow ~100 KB/s on top for a big package.
    const timeoutMs = (opts.requestTimeoutMs ?? 30_000) + Math.round(body.length / 100);
    opts.onOutput?.(req.name, `Uploading ${req.name} v${req.version} (${body.length} bytes, direct)`);
    let token = await opts.tokens.token();
    let out = await send(body, token, timeoutMs);
    if (out.kind === 'unauthorized' && token && opts.tokens.invalidate) {
      // A minted token may have expired between minting and use: one fresh try.
      opts.tokens.invalidate(token);
      token = await opts.tokens.token();
      out = await send(body, token, timeoutMs);
    }
    const secrets = token ? [token] : [];
    if ('message' in out) out = { ...out, message: redact(out.message, secrets) };
    if (out.kind === 'uploaded') opts.onOutput?.(req.name, `Uploaded ${req.name} v${req.version} to registry \`${opts.registry.name}\``);
    else if ('message' in out) opts.onOutput?.(req.name, `error: ${out.message}`);
    return out;
  };
}
