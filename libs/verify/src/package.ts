// `cargo package` of every published crate, offline, in list order, the way
// Wasmtime's verify does it: a directory registry stands in for crates.io
// (third-party crates vendored into it from the local cargo cache), and each
// crate packaged is unpacked into it so the crates after it resolve.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
}

export interface PackageOptions {
  /** Also compile each packaged crate (cargo package without --no-verify). */
  build?: boolean;
  /** Target dir for the .crate files and builds; default a scratch dir (a shared one reuses builds). */
  targetDir?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface PackageRun {
  results: PackageResult[];
  /** Whether third-party crates had to be vendored (and whether that worked). */
  vendored: 'none-needed' | 'ok' | 'failed';
  vendorError?: string;
}

/** As Wasmtime writes it: an empty file list, so the directory source takes the unpacked files as they are. */
const CHECKSUM = '{"files":{}}';

/** Cargo's error lines, with the scratch and workspace paths made relative so the report is the same on every machine. */
function cargoError(stderr: string, scratch: string, root: string): string {
  const lines = stderr.split('\n');
  const first = lines.findIndex((l) => /^(error|Caused by)/.test(l.trim()));
  const text = (first >= 0 ? lines.slice(first) : lines.slice(-8)).join('\n').trim();
  return text.split(scratch).join('<scratch>').split(root + '/').join('').split(root).join('.');
}

function hasRegistryPackages(root: string): boolean {
  const lock = join(root, 'Cargo.lock');
  return existsSync(lock) && /^source = "(registry|sparse|git)\+/m.test(readFileSync(lock, 'utf8'));
}

export async function packageCrates(workspaceRoot: string, crates: readonly PackageTarget[], opts: PackageOptions = {}): Promise<PackageRun> {
  const root = resolve(workspaceRoot);
  const log = opts.log ?? (() => {});
  const scratch = mkdtempSync(join(tmpdir(), 'crate-train-verify-'));
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
      await run('tar', ['-xzf', crateFile, '-C', registry]);
      writeFileSync(join(registry, `${c.name}-${c.version}`, '.cargo-checksum.json'), CHECKSUM);
      results.push({ name: c.name, version: c.version, status: 'ok' });
    }
    return { results, vendored, ...(vendorError ? { vendorError } : {}) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
