import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type RunResult } from '@crate-train/proc';
import { REPO_ROOT } from './paths';

export interface RunNxOptions {
  env?: Record<string, string>;
  /** false: return a non-zero exit instead of throwing. Default true. */
  reject?: boolean;
  /** Default 170 s, just under Jest's per-test timeout, so a hung nx never outlives its test. */
  timeoutMs?: number;
  /** The Node.js binary nx runs on (and so its executors). Default this process's. */
  node?: string;
}

/**
 * The environment of an inner nx: the outer one's NX_* variables removed (when
 * tests run under `nx run-many`, NX_WORKSPACE_ROOT_PATH etc. would point the
 * inner nx at this repo), no daemon, no cloud, no TUI, no colors, cargo offline.
 */
export function nxEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) if (key.startsWith('NX_')) env[key] = undefined;
  return {
    ...env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_SKIP_NX_CACHE: undefined,
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    CARGO_NET_OFFLINE: 'true',
    ...extra,
  };
}

/** The nx CLI script of this repo's node_modules (from nx's package.json `bin`; it moved to dist/ in Nx 22). */
export function nxBin(): string {
  const dir = join(REPO_ROOT, 'node_modules', 'nx');
  const bin = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).bin;
  return join(dir, typeof bin === 'string' ? bin : bin.nx);
}

/** Runs `nx <args>` in `wsDir` with this repo's nx (the one installPlugin links). */
export function runNx(wsDir: string, args: string[], opts: RunNxOptions = {}): Promise<RunResult> {
  return run(opts.node ?? process.execPath, [nxBin(), ...args], {
    cwd: wsDir,
    env: nxEnv(opts.env),
    reject: opts.reject ?? true,
    timeoutMs: opts.timeoutMs ?? 170_000,
    // nx exits without draining a pipe and cuts a long task output off (nrwl/nx#36606); a file gets all of it.
    outputToFiles: true,
  });
}
