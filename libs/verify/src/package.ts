// `cargo package` of every published crate, offline, in list order, the way
// Wasmtime's verify does it: a directory registry stands in for crates.io
// (third-party crates vendored into it from the local cargo cache), and each
// crate packaged is unpacked into it so the crates after it resolve.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '@crate-train/proc';

export interface PackageTarget {
  name: string;
  version: string;
  manifestPath: string;
  /** Published crates this one needs in the registry first; if one failed, this one is skipped. */
  needs?: string[];
}

export interface PackageResult {
  name: string;
  version: string;
  status: 'ok' | 'failed' | 'skipped';
  /** Cargo's error, trimmed to its `error:` lines and what follows (no temp paths when avoidable). */
  error?: string;
  /** Size of the packaged `.crate` file in bytes. */
  bytes?: number;
  /** Packaged, but the `.crate` is over the registry's upload limit (`error` says by how much). */
  tooLarge?: boolean;
}

/** crates.io's upload limit for a `.crate` file (its default `max_upload_size`). */
export const CRATES_IO_MAX_CRATE_BYTES = 10 * 1024 * 1024;

export interface PackageOptions {
  /** Also compile each packaged crate (cargo package without --no-verify). */
  build?: boolean;
  /** Target dir for the .crate files and builds; default a scratch dir (a shared one reuses builds). */
  targetDir?: string;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Largest `.crate` the registry accepts; default crates.io's 10 MiB. */
  maxCrateBytes?: number;
}

export interface PackageRun {
  results: PackageResult[];
  /** Whether third-party crates had to be vendored (and whether that worked). */
  vendored: 'none-needed' | 'ok' | 'failed';
  vendorError?: string;
  /**
   * What cargo package did to the workspace's Cargo.lock, which was put back byte for byte
   * afterwards: `unchanged`, `updated` (it was out of date with the manifests), `created` (there was none).
   */
  lockfile: 'unchanged' | 'updated' | 'created';
}

/** As Wasmtime writes it: an empty file list, so the directory source takes the unpacked files as they are. */
const CHECKSUM = '{"files":{}}';

/** Cargo's error lines, with the scratch and workspace paths made relative so the report is the same on every machine. */
function cargoError(stderr: string, scratch: string, root: string): string {
  const lines = stderr.split('\n');
  const first = lines.findIndex((l) => /^(error|Caused by)/.test(l.trim()));
  const text = (first >= 0 ? lines.slice(first) : lines.slice(-8)).join('\n').trim();
  return text
    .split(scratch)
    .join('<scratch>')
    .split(root + '/')
    .join('')
    .split(root)
    .join('.');
}

function hasRegistryPackages(root: string): boolean {
  const lock = join(root, 'Cargo.lock');
  return existsSync(lock) && /^source = "(registry|sparse|git)\+/m.test(readFileSync(lock, 'utf8'));
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * Keeps the workspace's Cargo.lock byte for byte: `cargo package` rewrites a lock that is
 * out of date with the manifests (and may create one). Returns what cargo did to it.
 */
function guardLockfile(root: string): () => PackageRun['lockfile'] {
  const path = join(root, 'Cargo.lock');
  const before = existsSync(path) ? readFileSync(path) : undefined;
  return () => {
    const after = existsSync(path) ? readFileSync(path) : undefined;
    if (before === undefined) {
      if (after === undefined) return 'unchanged';
      unlinkSync(path);
      return 'created';
    }
    if (after !== undefined && after.equals(before)) return 'unchanged';
    writeFileSync(path, before);
    return 'updated';
  };
}

export async function packageCrates(workspaceRoot: string, crates: readonly PackageTarget[], opts: PackageOptions = {}): Promise<PackageRun> {
  const root = resolve(workspaceRoot);
  const log = opts.log ?? (() => {});
  const maxBytes = opts.maxCrateBytes ?? CRATES_IO_MAX_CRATE_BYTES;
  const scratch = mkdtempSync(join(tmpdir(), 'crate-train-verify-'));
  const restoreLock = guardLockfile(root);
  let lockfile: PackageRun['lockfile'];
  let done: Omit<PackageRun, 'lockfile'>;
  try {
    const registry = join(scratch, 'registry');
    const cargoHome = join(scratch, 'cargo-home');
    const targetDir = opts.targetDir ?? join(scratch, 'target');
    mkdirSync(registry, { recursive: true });
    mkdirSync(cargoHome, { recursive: true });

    let vendored: PackageRun['vendored'] = 'none-needed';
    let vendorError: string | undefined;
    if (hasRegistryPackages(root)) {
      // From the user's cargo cache (their CARGO_HOME), never the network.
      log('vendoring third-party crates from the local cargo cache (cargo vendor --offline)');
      const res = await run('cargo', ['vendor', '--offline', '--locked', '--versioned-dirs', '--quiet', registry], { cwd: root, reject: false });
      if (res.exitCode === 0) vendored = 'ok';
      else {
        vendored = 'failed';
        vendorError = cargoError(res.stderr, scratch, root);
      }
    }

    writeFileSync(
      join(cargoHome, 'config.toml'),
      [
        '[source.crates-io]',
        'replace-with = "crate-train-verify"',
        '',
        '[source.crate-train-verify]',
        `directory = ${JSON.stringify(registry)}`,
        '',
        '[net]',
        'offline = true',
        '',
      ].join('\n'),
    );
    const env = { CARGO_HOME: cargoHome, CARGO_TERM_COLOR: 'never' };

    const results: PackageResult[] = [];
    const failed = new Set<string>();
    for (const c of crates) {
      const blocked = (c.needs ?? []).filter((n) => failed.has(n));
      if (blocked.length) {
        failed.add(c.name);
        results.push({ name: c.name, version: c.version, status: 'skipped', error: `not packaged: needs ${blocked.join(', ')}, which could not be packaged` });
        continue;
      }
      log(`cargo package ${c.name} ${c.version}`);
      const args = ['package', '--offline', '--allow-dirty', '--manifest-path', join(root, c.manifestPath), '--target-dir', targetDir];
      if (!opts.build) args.push('--no-verify');
      const res = await run('cargo', args, { cwd: root, env, reject: false });
      if (res.exitCode !== 0) {
        failed.add(c.name);
        results.push({ name: c.name, version: c.version, status: 'failed', error: cargoError(res.stderr, scratch, root) });
        continue;
      }
      const crateFile = join(targetDir, 'package', `${c.name}-${c.version}.crate`);
      const bytes = statSync(crateFile).size;
      // Still unpacked into the registry: the crates after it are checked against it.
      await run('tar', ['-xzf', crateFile, '-C', registry]);
      writeFileSync(join(registry, `${c.name}-${c.version}`, '.cargo-checksum.json'), CHECKSUM);
      if (bytes > maxBytes) {
        results.push({
          name: c.name,
          version: c.version,
          status: 'failed',
          bytes,
          tooLarge: true,
          error:
            `its .crate is ${mib(bytes)} (${bytes} bytes), over the registry's upload limit of ${mib(maxBytes)}${maxBytes === CRATES_IO_MAX_CRATE_BYTES ? ' (crates.io)' : ''}, so the upload is refused — ` +
            `leave files out with exclude = [...] (or list what goes in with include = [...]) in [package] of ${c.manifestPath}; \`cargo package --list -p ${c.name}\` shows what is packaged`,
        });
        continue;
      }
      results.push({ name: c.name, version: c.version, status: 'ok', bytes });
    }
    done = { results, vendored, ...(vendorError ? { vendorError } : {}) };
  } finally {
    lockfile = restoreLock();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { ...done, lockfile };
}
