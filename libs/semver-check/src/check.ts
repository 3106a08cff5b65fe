// Orchestrates one crate's check: resolve the base, get both trees' public API
// (cargo-semver-checks when installed, else rustdoc JSON), diff them.
import { join } from 'node:path';
import { defaultCacheDir, extractBaseTree, resolveRev } from './base-tree';
import { workspacePackages } from './cargo-meta';
import { cargoSemverChecksAvailable, runCargoSemverChecks } from './cargo-semver-checks';
import { diffApi, type Finding } from './diff';
import { buildRustdocJson } from './rustdoc';
import { extractApi, TESTED_FORMAT_VERSION } from './surface';

export interface SemverCheckOptions {
  workspaceRoot: string;
  crate: string;
  /** Tag, branch or commit to compare the working tree with. */
  base: string;
  /**
   * Pass --offline to cargo (default false: the base tree's Cargo.lock may name
   * crate versions that are not downloaded yet; cargo honours CARGO_NET_OFFLINE).
   */
  offline?: boolean;
  /** 'auto' uses cargo-semver-checks when `cargo semver-checks --version` works. */
  tool?: 'auto' | 'rustdoc' | 'cargo-semver-checks';
  /** Where base trees and target dirs live (default under os.tmpdir()). */
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface SemverCheckResult {
  crate: string;
  base: string;
  baseSha: string;
  tool: 'rustdoc-json' | 'cargo-semver-checks' | 'none';
  status: 'ok' | 'breaking' | 'skipped';
  /** Why nothing was compared (bin-only crate, crate new since base). */
  reason?: string;
  findings: Finding[];
  notes: string[];
}

export async function checkSemver(o: SemverCheckOptions): Promise<SemverCheckResult> {
  const log = o.log ?? (() => undefined);
  const offline = o.offline ?? false;
  const baseSha = await resolveRev(o.workspaceRoot, o.base);
  const result = (r: Partial<SemverCheckResult>): SemverCheckResult => ({
    crate: o.crate,
    base: o.base,
    baseSha,
    tool: 'none',
    status: 'ok',
    findings: [],
    notes: [],
    ...r,
  });

  const current = await workspacePackages(o.workspaceRoot, offline);
  const pkg = current.get(o.crate);
  if (!pkg) {
    throw new Error(`semver-check: crate '${o.crate}' is not a package of the Cargo workspace at ${o.workspaceRoot}`);
  }
  if (!pkg.libName) {
    return result({ status: 'skipped', reason: `crate '${o.crate}' has no library target, so no Rust API to compare` });
  }

  const tool = o.tool ?? 'auto';
  if (tool === 'cargo-semver-checks' || (tool === 'auto' && (await cargoSemverChecksAvailable()))) {
    log(`semver-check ${o.crate}: cargo semver-checks against ${o.base} (${baseSha.slice(0, 10)})`);
    const findings = await runCargoSemverChecks(o.workspaceRoot, o.crate, baseSha);
    return result({ tool: 'cargo-semver-checks', status: findings.length ? 'breaking' : 'ok', findings });
  }

  const cacheDir = o.cacheDir ?? defaultCacheDir(o.workspaceRoot);
  const baseDir = await extractBaseTree(o.workspaceRoot, baseSha, cacheDir);
  const basePkgs = await workspacePackages(baseDir, offline);
  const basePkg = basePkgs.get(o.crate);
  if (!basePkg?.libName) {
    return result({
      tool: 'rustdoc-json',
      status: 'skipped',
      reason: `crate '${o.crate}' had no library at ${o.base}: nothing to break`,
    });
  }

  log(`semver-check ${o.crate}: rustdoc JSON of ${o.base} (${baseSha.slice(0, 10)}) and of the working tree`);
  const beforeDoc = await buildRustdocJson({
    treeDir: baseDir,
    crate: o.crate,
    libName: basePkg.libName,
    targetDir: join(cacheDir, `target-${baseSha}`),
    offline,
    label: `base ${o.base}`,
  });
  const afterDoc = await buildRustdocJson({
    treeDir: o.workspaceRoot,
    crate: o.crate,
    libName: pkg.libName,
    targetDir: join(cacheDir, 'target-current'),
    offline,
    label: 'the working tree',
  });
  const notes: string[] = [];
  if (afterDoc.format_version !== TESTED_FORMAT_VERSION) {
    notes.push(`rustdoc JSON format_version ${afterDoc.format_version} (tested with ${TESTED_FORMAT_VERSION}): some changes may be missed`);
  }
  const before = extractApi(beforeDoc, { treeRoot: baseDir });
  const after = extractApi(afterDoc, { treeRoot: o.workspaceRoot });
  const findings = diffApi(before, after);
  return result({ tool: 'rustdoc-json', status: findings.length ? 'breaking' : 'ok', findings, notes });
}
