// The `.crate` files a run uploads: packaged ahead by the preflight (one
// `cargo package --workspace`-style run, with the lockfile, exactly as
// `cargo publish --workspace` packages), or one crate at a time when that was not
// possible. The direct uploader reads them; nothing is packaged twice.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { withoutRegistryTokens, type ResolvedRegistry } from './cargo-config';
import { cargoNetConfig, resolveCargoBinary } from './cargo-publish';

/**
 * Packaged `.crate` files by crate and version, as they become ready: the preflight's
 * packaging streams them (a crate is ready once cargo has written it, before the
 * run ends), and an upload waits for its own with `wait`.
 */
export class PackagedCrates {
  private readonly files = new Map<string, string>();
  private readonly waiters = new Map<string, Array<(file: string | undefined) => void>>();
  private stopper = new AbortController();
  /** cargo runs still packaging (more files may come while there is one). */
  private running = 0;

  get(name: string, version: string): string | undefined {
    return this.files.get(`${name}@${version}`);
  }

  set(name: string, version: string, file: string): void {
    const key = `${name}@${version}`;
    this.files.set(key, file);
    for (const w of this.waiters.get(key) ?? []) w(file);
    this.waiters.delete(key);
  }

  get size(): number {
    return this.files.size;
  }

  /**
   * Packaging starts: `wait` waits for files until `finished`. After a stopped
   * packaging (a preflight redone for fewer crates), a fresh start: nothing of the
   * stopped one is kept.
   */
  started(): void {
    if (this.stopper.signal.aborted) {
      this.stopper = new AbortController();
      this.files.clear();
      this.running = 0;
    }
    this.running++;
  }

  /** A packaging run ended: once none runs, whatever is not here will not come. */
  finished(): void {
    this.running = Math.max(0, this.running - 1);
    if (this.running === 0) this.noMoreFiles();
  }

  /** The crate's file: at once, when packaging brings it, or undefined when packaging ended without it. */
  wait(name: string, version: string): Promise<string | undefined> {
    const have = this.get(name, version);
    if (have || this.running === 0) return Promise.resolve(have);
    const key = `${name}@${version}`;
    return new Promise((resolve) => this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]));
  }

  /** Aborts when the run ends: packaging still running is killed. */
  get stopSignal(): AbortSignal {
    return this.stopper.signal;
  }

  stop(): void {
    this.stopper.abort();
    this.running = 0;
    this.noMoreFiles();
  }

  private noMoreFiles(): void {
    for (const ws of this.waiters.values()) for (const w of ws) w(undefined);
    this.waiters.clear();
  }
}

/** Where cargo puts a package under `--target-dir`. */
export const crateFileIn = (targetDir: string, name: string, version: string) => join(targetDir, 'package', `${name}-${version}.crate`);

export interface PackageOneOptions {
  workspaceRoot: string;
  registry: ResolvedRegistry;
  targetDir: string;
  allowDirty?: boolean;
  env?: NodeJS.ProcessEnv;
  name: string;
  version: string;
  timeoutMs?: number;
  httpTimeoutSecs?: number;
  netRetry?: number;
}

/** `cargo package -p NAME --no-verify` (with the lockfile, as `cargo publish -p` packages). */
export async function packageOne(o: PackageOneOptions): Promise<{ file: string } | { failed: string }> {
  const env: NodeJS.ProcessEnv = {
    ...withoutRegistryTokens({ ...process.env, ...o.env }),
    CARGO_TERM_COLOR: 'never',
    CARGO_TERM_PROGRESS_WHEN: 'never',
    CARGO_NET_OFFLINE: 'false',
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const bin = await resolveCargoBinary(o.workspaceRoot, env);
  if (bin !== 'cargo') env.PATH = `${dirname(bin)}${delimiter}${env.PATH ?? ''}`;
  mkdirSync(o.targetDir, { recursive: true });
  const args = ['package', '--no-verify', '-p', o.name, '--target-dir', o.targetDir];
  if (o.registry.passRegistryFlag) args.push('--registry', o.registry.name);
  if (o.allowDirty) args.push('--allow-dirty');
  args.push(...cargoNetConfig(o.httpTimeoutSecs, o.netRetry));
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: o.workspaceRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 5 * 60_000);
    timer.unref();
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ failed: `error: cannot run cargo: ${e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const file = crateFileIn(o.targetDir, o.name, o.version);
      if (code === 0 && existsSync(file)) resolve({ file });
      else resolve({ failed: stderr || `error: cargo package exited with ${code}` });
    });
  });
}
