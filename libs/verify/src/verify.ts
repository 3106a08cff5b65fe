// `release:verify`: is the tree publishable? The crate-list rules, the version
// files, and `cargo package` of every published crate against a local
// directory registry. The report is deterministic (no times, no temp paths)
// so Nx can cache it.

import { readWorkspace, type CargoWorkspace } from '@crate-train/cargo';
import { crateListWithSource, type CrateList } from '@crate-train/crate-list';
import { currentVersion, isSemver, type VersionFileRule } from '@crate-train/versions';
import { packageCrates, type PackageRun, type PackageTarget } from './package';
import { checkCrateRules, scopeOf, type RuleViolation } from './rules';
import { checkVersionFiles, type VersionFileCheck } from './version-files-check';

export interface VerifyOptions {
  /** The crate list file; undefined = found; false = none (every publishable member). */
  crateList?: string | false;
  /** Without a crate list: the crates whose API follows semver. */
  publicCrates?: string[];
  /** Plugin option crateRoots (overrides the list's find_crates folders). */
  crateRoots?: string[];
  /** Warnings fail verify too (`--strict`). */
  strict?: boolean;
  versionFiles?: VersionFileRule[];
  /** Run `cargo package` (default true). */
  package?: boolean;
  /** Compile each packaged crate (no --no-verify). Default false. */
  build?: boolean;
  targetDir?: string;
  /** Largest `.crate` the registry accepts; default crates.io's 10 MiB. */
  maxCrateBytes?: number;
  log?: (line: string) => void;
  /** Already-read inputs. */
  workspace?: CargoWorkspace;
  list?: CrateList;
}

export interface VerifiedCrate {
  name: string;
  version: string;
  manifestPath: string;
  public: boolean;
  /** `too-large`: packaged, but the .crate is over the registry's upload limit. */
  package?: 'ok' | 'failed' | 'skipped' | 'too-large';
}

export interface VerifyReport {
  version: string;
  /** No crate list: the crates are the workspace's publishable members, in dependency order. */
  fromWorkspace?: true;
  crates: VerifiedCrate[];
  violations: RuleViolation[];
  versionFiles: VersionFileCheck[];
  packaging?: PackageRun;
  packaged: boolean;
  build: boolean;
  /** Every error, one line (or block) each. */
  errors: string[];
  /** Rules stricter than Wasmtime's own script (errors only under `strict`). */
  warnings: string[];
  /** Workspace members outside the folders the crate list governs (information). */
  ungoverned: string[];
  governedFolders?: string[];
  strict: boolean;
  ok: boolean;
}

export async function verifyWorkspace(root: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const ws = opts.workspace ?? readWorkspace(root);
  const { list, listFile } = crateListWithSource(root, opts.crateList, ws.crates, opts.publicCrates, opts.list);
  const version = currentVersion(root);
  const byName = new Map(ws.crates.map((c) => [c.name, c]));
  const input = { workspace: ws, list, listFile, crateRoots: opts.crateRoots };
  const scope = scopeOf(input);
  const listed = list.cratesToPublish.filter((n) => scope.published.has(n));
  const listedSet = new Set(listed);
  const isPublic = new Set(list.publicCrates);

  const doPackage = opts.package !== false;
  // With packaging, verify also checks the files published crates name (readme, license-file) first, as
  // cargo package will; without it (--skip-package) it checks the manifests only, as release steps do.
  const violations = checkCrateRules({ ...input, scope, files: doPackage });
  // A root version that is not semver is a rule error above; the version files cannot be compared with it.
  const versionFiles = isSemver(version)
    ? checkVersionFiles(root, opts.versionFiles ?? [], version)
    : (opts.versionFiles ?? []).map((f): VersionFileCheck => ({ path: f.path, status: 'skipped', problems: [] }));

  const crates: VerifiedCrate[] = listed.map((n) => {
    const c = byName.get(n)!;
    return { name: c.name, version: c.version, manifestPath: c.manifestPath, public: isPublic.has(n) };
  });

  let packaging: PackageRun | undefined;
  if (doPackage) {
    const targets: PackageTarget[] = listed.map((n) => {
      const c = byName.get(n)!;
      // What cargo needs from the registry: normal/build deps, and dev-deps that keep a version.
      const needs = c.dependencies.filter((d) => listedSet.has(d.name) && d.name !== n && (d.kind !== 'dev' || d.req !== undefined)).map((d) => d.name);
      return { name: c.name, version: c.version, manifestPath: c.manifestPath, needs: [...new Set(needs)] };
    });
    packaging = await packageCrates(root, targets, { build: opts.build, targetDir: opts.targetDir, log: opts.log, maxCrateBytes: opts.maxCrateBytes });
    const byCrate = new Map(packaging.results.map((r) => [r.name, r]));
    for (const c of crates) {
      const r = byCrate.get(c.name);
      c.package = r?.tooLarge ? 'too-large' : r?.status;
    }
  }

  const strict = opts.strict === true;
  const warnings = violations.filter((v) => v.severity === 'warning').map((v) => v.message);
  const errors: string[] = [
    ...violations.filter((v) => v.severity === 'error' || strict).map((v) => v.message),
    ...versionFiles.flatMap((f) => f.problems),
    ...(packaging?.vendorError
      ? [
          `cargo vendor --offline could not copy the third-party crates from the local cargo cache (run \`cargo fetch\` once with network access):\n${indent(packaging.vendorError)}`,
        ]
      : []),
    ...(packaging?.results ?? [])
      .filter((r) => r.status === 'failed')
      .map((r) =>
        r.tooLarge
          ? `${byName.get(r.name)!.manifestPath}: ${r.name} ${r.version} is too large to publish: ${r.error}`
          : `cargo package of ${r.name} ${r.version} (${byName.get(r.name)!.manifestPath}) failed:\n${indent(r.error ?? '')}`,
      ),
  ];
  return {
    version,
    ...(list.fromWorkspace ? { fromWorkspace: true as const } : {}),
    crates,
    violations,
    versionFiles,
    packaging,
    packaged: doPackage,
    build: !!opts.build,
    errors,
    warnings,
    ungoverned: scope.ungoverned,
    ...(scope.roots ? { governedFolders: scope.roots } : {}),
    strict,
    ok: errors.length === 0,
  };
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** The human report: a table of the published crates, what was checked, and every error. */
export function formatVerifyReport(r: VerifyReport, projectName = 'the workspace'): string {
  const lines: string[] = [];
  lines.push(
    `verify: ${projectName} ${r.version}, ${r.crates.length} published crates (${r.fromWorkspace ? 'no crate list: every member without publish = false, in dependency order' : 'CRATES_TO_PUBLISH order'})`,
  );
  lines.push('');
  const head = ['crate', 'version', 'public', 'manifest', ...(r.packaged ? ['cargo package'] : [])];
  const rows = r.crates.map((c) => [c.name, c.version, c.public ? 'yes' : 'no', c.manifestPath, ...(r.packaged ? [c.package ?? '-'] : [])]);
  lines.push(...table([head, ...rows]).map((l) => `  ${l}`));
  lines.push('');
  if (!r.packaged) {
    lines.push('packaging: skipped (--skip-package)');
    lines.push('           (readme and license-file existence and the .crate size limit not checked)');
  } else if (r.build) lines.push('packaging: cargo package --offline (each crate compiled from its .crate), against a local directory registry');
  else {
    lines.push('packaging: cargo package --offline --no-verify, against a local directory registry');
    lines.push('           (manifests and dependency resolution checked, crates not compiled; pass --build to compile them)');
  }
  if (r.packaging?.vendored === 'ok') lines.push('           third-party crates vendored from the local cargo cache');
  if (r.packaging?.lockfile === 'updated') {
    lines.push(
      'Cargo.lock: out of date with the manifests (cargo package updated it; verify put the file back unchanged) — run `cargo update --workspace --offline` and commit it',
    );
  } else if (r.packaging?.lockfile === 'created') {
    lines.push(
      'Cargo.lock: none in the tree (cargo package made one; verify removed it) — run `cargo generate-lockfile` and commit it so releases build what was tested',
    );
  }
  const ruleErrors = r.violations.filter((v) => v.severity === 'error').length;
  lines.push(
    `crate-list rules: ${r.violations.length === 0 ? 'ok' : `${ruleErrors} error(s), ${r.warnings.length} warning(s)${r.strict ? ' (--strict: warnings fail)' : ''}`}`,
  );
  if (r.governedFolders) {
    lines.push(`governed folders: ${r.governedFolders.join(', ')} (and the root package)`);
    if (r.ungoverned.length) lines.push(`not governed (never checked, bumped or published): ${r.ungoverned.join(', ')}`);
  }
  if (r.versionFiles.length === 0) lines.push('version files: none configured');
  for (const f of r.versionFiles) {
    const status =
      f.status === 'missing'
        ? 'not found, skipped'
        : f.status === 'skipped'
          ? `not checked (the root version "${r.version}" is not a semantic version)`
          : f.status === 'ok'
            ? `ok (${r.version})`
            : `${f.problems.length} error(s)`;
    lines.push(`version file ${f.path}: ${status}`);
  }
  lines.push('');
  if (r.warnings.length && !r.strict) {
    lines.push(`verify: ${r.warnings.length} warning(s) (they do not stop a release; --strict fails on them):`);
    for (const w of r.warnings) lines.push(`  - ${w}`);
    lines.push('');
  }
  if (r.ok) lines.push('verify: ok — the tree is publishable');
  else {
    lines.push(`verify: ${r.errors.length} error(s):`);
    for (const e of r.errors) lines.push(`  - ${e}`);
  }
  return lines.join('\n') + '\n';
}
