// One upload = one real `cargo publish --registry NAME --no-verify -p CRATE`.
// Verification belongs to `release:verify` (before release day), so nothing compiles
// here. Cargo's own wait for the index (60 s cap on stable; `publish.timeout` needs
// -Zpublish-timeout) is made harmless: once cargo prints "Uploaded", the upload is done
// and cargo is interrupted, as its own "press ctrl-c to skip waiting" suggests;
// crate-train then polls the index itself, without a cap turning into a failure.
//
// Spawned with node's child_process rather than @crate-train/proc's run(): the
// uploader must read stderr while cargo runs and stop it at that line.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { redact } from '@crate-train/proc';
import { parseTryAgainAfter } from './http';
import { withoutRegistryTokens, type ResolvedRegistry } from './cargo-config';
import type { InflightJournal } from './journal';
import { fixedTokenSource, type TokenSource } from './token-source';

export type UploadOutcome =
  | { kind: 'uploaded' }
  /** The registry (or cargo's own index check) already has this version. */
  | { kind: 'already-exists'; message: string }
  | { kind: 'rate-limited'; retryAt?: number; message: string }
  /** A dependency is not in the index yet (cargo could not resolve it). */
  | { kind: 'dependency-missing'; message: string }
  /** 5xx, network error, timeout: may or may not have reached the registry. */
  | { kind: 'transient'; message: string; reachedUpload: boolean }
  /** The registry refused the token itself (401, or a 403 about authentication): no upload can succeed. */
  | { kind: 'unauthorized'; message: string }
  | { kind: 'fatal'; message: string };

export interface UploadRequest {
  name: string;
  version: string;
  /** 0-based worker slot; each slot packages into its own target dir. */
  slot: number;
}

export type Uploader = (req: UploadRequest) => Promise<UploadOutcome>;

export interface CargoUploaderOptions {
  workspaceRoot: string;
  registry: ResolvedRegistry;
  /** Where per-slot target dirs and the in-flight journal live. */
  stateDir: string;
  journal?: InflightJournal;
  allowDirty?: boolean;
  /** Kill cargo after this long. Default 10 min. */
  timeoutMs?: number;
  /** cargo's `http.timeout` in seconds (how long a stalled transfer may hang). */
  httpTimeoutSecs?: number;
  /** cargo's `net.retry` (its own retries of index requests, with sleeps of 0.5-1.5 s, then 3.5 s...). */
  netRetry?: number;
  /** Extra environment for cargo (CARGO_HOME etc.). */
  env?: Record<string, string | undefined>;
  /** The token for each upload (asked before each one). Default: the registry's own variable. */
  tokens?: TokenSource;
  /** Each line cargo prints (already redacted). */
  onOutput?: (crate: string, line: string) => void;
  /** The cargo binary; default the toolchain's own (see resolveCargoBinary). */
  cargo?: string;
  /**
   * Give each slot its own CARGO_HOME (with a copy of the user's config.toml). cargo
   * holds a lock on CARGO_HOME while it updates the index, which would make
   * concurrent uploads queue behind one slow or retrying index request. Default true.
   */
  isolateCargoHome?: boolean;
}

/** A CARGO_HOME per slot under stateDir, carrying the user's cargo config (not credentials: tokens come from env). */
function slotCargoHome(stateDir: string, slot: number, env: NodeJS.ProcessEnv): string {
  const home = join(stateDir, `cargo-home-slot-${slot}`);
  mkdirSync(home, { recursive: true });
  const userHome = env.CARGO_HOME || join(homedir(), '.cargo');
  for (const f of ['config.toml', 'config']) {
    const src = join(userHome, f);
    if (existsSync(src)) {
      copyFileSync(src, join(home, 'config.toml'));
      return home;
    }
  }
  rmSync(join(home, 'config.toml'), { force: true });
  return home;
}

/** `--config` flags for cargo's http.timeout (s) and net.retry, when set. */
export function cargoNetConfig(httpTimeoutSecs?: number, netRetry?: number): string[] {
  const args: string[] = [];
  if (httpTimeoutSecs) args.push('--config', `http.timeout=${Math.max(1, Math.round(httpTimeoutSecs))}`);
  if (netRetry !== undefined) args.push('--config', `net.retry=${Math.max(0, Math.round(netRetry))}`);
  return args;
}

/** Classifies a failed cargo publish by its stderr. */
export function classifyCargoFailure(stderr: string, reachedUpload: boolean): UploadOutcome {
  const text = stderr;
  const message = lastError(text);
  if (/already exists on \S+ index|is already uploaded|crate version \S+ already exists|\bcrate \S+@\S+ already exists/i.test(text))
    return { kind: 'already-exists', message };
  // The publish itself refused by the rate limiter (an index fetch answered 429 is only transient).
  if (/status 429 Too Many Requests\)/.test(text)) return { kind: 'rate-limited', retryAt: parseTryAgainAfter(text), message };
  if (/got 429\b/.test(text)) return { kind: 'transient', message, reachedUpload };
  if (
    /status 5\d\d|\b50[0-4]\b.*(Server Error|Bad Gateway|Unavailable|Timeout)|timed out|Timeout was reached|Operation too slow|failed to get successful HTTP response|spurious network error|Connection reset|Couldn't connect|failed to send request|\[(7|28|52|55|56)\]|network failure|failed to download/i.test(
      text,
    )
  ) {
    return { kind: 'transient', message, reachedUpload };
  }
  if (
    /failed to select a version for the requirement|no matching package named|candidate versions found which didn't match|location searched: .*index/i.test(
      text,
    )
  ) {
    return { kind: 'dependency-missing', message };
  }
  const auth = authRejection(text);
  if (auth) return { kind: 'unauthorized', message: auth };
  return { kind: 'fatal', message };
}

/**
 * "403 Forbidden: this action requires authentication" when the registry refused the
 * token itself; undefined for a 403 about one crate (not an owner, a new crate a
 * trusted-publishing token may not create), which fails only that crate.
 */
export function authRejection(text: string): string | undefined {
  if (/no token found for `[^`]+`/.test(text)) return 'cargo found no token for the registry';
  const m = /\(status (40[13][^)]*)\):?\s*([^\n]*)/.exec(text);
  if (!m) return undefined;
  const detail = m[2].trim();
  const perCrate = /not? (seem to )?be an owner|not an owner|must already be an owner|do not support creating new crates|trusted publishing only/i;
  if (m[1].startsWith('401') || (!perCrate.test(detail) && /authenticat|token|credential|unauthori[sz]ed|log(ged)? ?in|forbidden|permission/i.test(detail))) {
    return `${m[1]}${detail ? `: ${detail}` : ''}`;
  }
  return undefined;
}

function lastError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trimEnd());
  const i = lines.findIndex((l) => l.startsWith('error:'));
  const relevant = (i >= 0 ? lines.slice(i) : lines.slice(-8)).filter(
    (l) => l.trim() && !/^\s*(Updating|Packaging|Packaged|Uploading|Blocking|warning: spurious)/.test(l),
  );
  return relevant.join(' ').replace(/\s+/g, ' ').trim().slice(0, 800) || 'cargo publish failed without a message';
}

/**
 * The toolchain's own cargo binary (what the rustup proxy would run in `cwd`, so a
 * rust-toolchain.toml is honoured), to skip the proxy's start-up on every upload.
 * Falls back to `cargo` on PATH.
 */
export function resolveCargoBinary(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve) => {
    execFile('rustup', ['which', 'cargo'], { cwd, env, timeout: 10_000 }, (err, stdout) => {
      const p = String(stdout ?? '').trim();
      resolve(!err && p && existsSync(p) ? p : 'cargo');
    });
  });
}

/** An Uploader that runs real cargo. */
export function cargoUploader(opts: CargoUploaderOptions): Uploader {
  const tokens = opts.tokens ?? fixedTokenSource(opts.registry.token);
  // No registry token but this registry's own (added back by cargoEnv()): cargo never
  // sees, and so never sends, another registry's.
  const baseEnv: NodeJS.ProcessEnv = withoutRegistryTokens({ ...process.env, ...opts.env });
  const homes = new Map<number, string>();
  const cargoBin = opts.cargo ? Promise.resolve(opts.cargo) : resolveCargoBinary(opts.workspaceRoot, baseEnv);
  const homeFor = (slot: number) => {
    if (!homes.has(slot)) homes.set(slot, slotCargoHome(opts.stateDir, slot, baseEnv));
    return homes.get(slot)!;
  };
  return async (req) => {
    const bin = await cargoBin;
    const token = await tokens.token();
    const secrets = token ? [token] : [];
    const outcome = await new Promise<UploadOutcome>((resolve) => {
      const args = ['publish'];
      if (opts.registry.passRegistryFlag) args.push('--registry', opts.registry.name);
      args.push('--no-verify', '-p', req.name);
      if (opts.allowDirty) args.push('--allow-dirty');
      args.push(...cargoNetConfig(opts.httpTimeoutSecs, opts.netRetry));
      const env: NodeJS.ProcessEnv = {
        ...baseEnv,
        ...(opts.isolateCargoHome === false ? {} : { CARGO_HOME: homeFor(req.slot) }),
        ...(token ? { [opts.registry.tokenEnvVar]: token } : {}),
        CARGO_TARGET_DIR: `${opts.stateDir}/target-slot-${req.slot}`,
        CARGO_TERM_COLOR: 'never',
        CARGO_TERM_PROGRESS_WHEN: 'never',
        // Publishing needs the network whatever the surrounding environment says.
        CARGO_NET_OFFLINE: 'false',
      };
      // rustc and friends from the same toolchain as cargo.
      if (bin !== 'cargo') env.PATH = `${dirname(bin)}${delimiter}${env.PATH ?? ''}`;
      for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
      // Its own process group: a Ctrl-C in the terminal reaches crate-train, which lets
      // uploads in flight finish, and not cargo in the middle of one.
      const child = spawn(bin, args, { cwd: opts.workspaceRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const key = `${req.name}@${req.version}`;
      if (child.pid) opts.journal?.add(key, child.pid);
      let stderr = '';
      let buf = '';
      let uploaded = false;
      let reachedUpload = false;
      let timedOut = false;
      const uploadedLine = new RegExp(`^\\s*Uploaded ${escapeRe(req.name)} v${escapeRe(req.version)} to registry`);
      const onLine = (line: string) => {
        const clean = redact(line, secrets);
        opts.onOutput?.(req.name, clean);
        if (/^\s*Uploading /.test(line)) reachedUpload = true;
        if (!uploaded && uploadedLine.test(line)) {
          uploaded = true;
          // The upload is done; skip cargo's own wait for the index.
          child.kill('SIGINT');
        }
      };
      child.stderr.on('data', (d: Buffer) => {
        const s = d.toString('utf8');
        stderr += s;
        buf += s;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
        }
      });
      child.stdout.on('data', () => undefined);
      const timer = setTimeout(
        () => {
          timedOut = true;
          child.kill('SIGKILL');
        },
        opts.timeoutMs ?? 10 * 60_000,
      );
      timer.unref();
      const finish = (code: number | null, err?: Error) => {
        clearTimeout(timer);
        if (buf) onLine(buf);
        opts.journal?.remove(key);
        if (uploaded) return resolve({ kind: 'uploaded' });
        if (err) return resolve({ kind: 'fatal', message: `cannot run cargo: ${err.message}` });
        if (timedOut)
          return resolve({ kind: 'transient', message: `cargo publish did not finish within ${opts.timeoutMs ?? 600_000} ms (killed)`, reachedUpload });
        if (code === 0) {
          // cargo finished without the line (an older cargo wording): it succeeded.
          return resolve({ kind: 'uploaded' });
        }
        resolve(classifyCargoFailure(redact(stderr, secrets), reachedUpload));
      };
      child.on('error', (e) => finish(null, e));
      child.on('close', (code) => finish(code));
    });
    if (outcome.kind === 'unauthorized' && token) tokens.invalidate?.(token);
    return outcome;
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
