// Reads a Cargo workspace from its manifests alone (no `cargo metadata`):
// members and excludes, the root package, path dependencies that cargo makes
// members implicitly, versions (incl. `version.workspace = true`), dependencies.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { readDependencies, readWorkspaceDependencies } from './dependencies';
import { CargoManifestError } from './errors';
import { isTable, keyLine, parseManifest, readManifest, stringLine, type Manifest, type TomlTable } from './manifest';
import { exclusionRule, expandMemberPattern, isGlob, normalizeRel } from './members';
import type { CargoWorkspace, CrateDependency, CrateInfo } from './model';

export interface ReadWorkspaceOptions {
  /**
   * Manifest contents already in memory, by root-relative path (e.g. read once
   * to hash them); missing entries are read from disk.
   */
  manifests?: Map<string, string>;
  /**
   * Whether a root-relative file exists, for callers that already know (the
   * Nx plugin probes src/main.rs once for its cache key). Default: the disk.
   */
  exists?: (relPath: string) => boolean | undefined;
}

const manifestOf = (dir: string) => (dir === '.' ? 'Cargo.toml' : `${dir}/Cargo.toml`);
const isOutside = (rel: string) => rel === '..' || rel.startsWith('../');

/** Reads the Cargo workspace whose root manifest is `<root>/Cargo.toml`. Crates are sorted by name. */
export function readWorkspace(root: string, options: ReadWorkspaceOptions = {}): CargoWorkspace {
  const absRoot = resolve(root);
  const fileExists = (rel: string): boolean => options.manifests?.has(rel) || (options.exists?.(rel) ?? existsSync(join(absRoot, rel)));
  const load = (file: string): Manifest => {
    const cached = options.manifests?.get(file);
    return cached !== undefined ? parseManifest(cached, file) : readManifest(join(absRoot, file), file);
  };
  if (!fileExists('Cargo.toml')) {
    throw new CargoManifestError('Cargo.toml', `no Cargo.toml in ${absRoot} — run crate-train in the folder of your workspace's root manifest`);
  }
  const rootManifest = load('Cargo.toml');
  const ws = isTable(rootManifest.data.workspace) ? rootManifest.data.workspace : undefined;
  const wsPackage = ws && isTable(ws.package) ? ws.package : {};
  const workspaceDependencies = readWorkspaceDependencies(rootManifest);
  const hasRootPackage = isTable(rootManifest.data.package) || isTable(rootManifest.data.project);
  if (!ws && !hasRootPackage) {
    throw new CargoManifestError('Cargo.toml', 'neither [workspace] nor [package] found — this is not a Cargo workspace root');
  }

  const memberPatterns = stringArray(rootManifest, ws?.members, 'members');
  const exclude = stringArray(rootManifest, ws?.exclude, 'exclude');
  const literalMembers = memberPatterns.filter((p) => !isGlob(p)).map(normalizeRel);
  const isExcluded = exclusionRule(exclude, literalMembers);

  // Explicit members first (cargo errors on a listed folder without Cargo.toml).
  const queue: string[] = [];
  const members = new Set<string>();
  const addMember = (dir: string) => {
    if (!members.has(dir)) {
      members.add(dir);
      queue.push(dir);
    }
  };
  if (hasRootPackage) addMember('.');
  for (const pattern of memberPatterns) {
    const dirs = expandMemberPattern(absRoot, pattern);
    const line = () => stringLine(rootManifest.text, pattern); // only on error: it scans the file
    if (dirs.length === 0) {
      throw new CargoManifestError(
        'Cargo.toml',
        `workspace member pattern "${pattern}" matches no folder — create the crate or remove the pattern from [workspace] members`,
        line(),
      );
    }
    for (const dir of dirs) {
      if (isOutside(dir)) continue; // outside the root: not ours to read (cargo allows it; rare)
      if (isExcluded(dir)) continue;
      if (!fileExists(manifestOf(dir))) {
        const via = isGlob(pattern) ? ` (matched by "${pattern}")` : '';
        const what = existsSync(join(absRoot, dir)) ? 'has no Cargo.toml' : 'does not exist';
        throw new CargoManifestError(
          'Cargo.toml',
          `workspace member folder "${dir}"${via} ${what} — add its Cargo.toml, remove it from [workspace] members, or list it in [workspace] exclude`,
          line(),
        );
      }
      addMember(dir);
    }
  }

  // Read members; path dependencies inside the root that are not excluded become members too (cargo's rule).
  const manifests = new Map<string, Manifest>();
  const deps = new Map<string, CrateDependency[]>();
  const checkedPaths = new Set<string>();
  while (queue.length) {
    const dir = queue.shift()!;
    const manifest = dir === '.' ? rootManifest : load(manifestOf(dir));
    manifests.set(dir, manifest);
    const list = readDependencies(manifest, dir, workspaceDependencies, 'Cargo.toml');
    for (const d of list) {
      if (d.path === undefined) continue;
      if (isAbsolute(d.path) || /^[A-Za-z]:\//.test(d.path)) d.path = normalizeRel(relative(absRoot, d.path));
      if (!checkedPaths.has(d.path)) {
        checkPathDependency(absRoot, fileExists, manifest, rootManifest, d);
        checkedPaths.add(d.path);
      }
      if (!isOutside(d.path) && !members.has(d.path) && !isExcluded(d.path)) addMember(d.path);
    }
    deps.set(dir, list);
  }

  const crates: CrateInfo[] = [];
  for (const [dir, manifest] of manifests) crates.push(crateInfo(fileExists, dir, manifest, wsPackage, deps.get(dir)!));
  if (crates.length === 0) {
    throw new CargoManifestError('Cargo.toml', 'the workspace has no crates — list crate folders in [workspace] members');
  }
  crates.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  checkNames(crates, manifests);

  return {
    root: absRoot,
    crates,
    ...(typeof wsPackage.version === 'string' ? { workspaceVersion: wsPackage.version } : {}),
    workspaceDependencies,
  };
}

function stringArray(manifest: Manifest, value: unknown, key: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new CargoManifestError(manifest.file, `[workspace] ${key} must be an array of path strings, e.g. ${key} = ["crates/*"]`, keyLine(manifest.text, key));
  }
  return value as string[];
}

/** A path dependency must point at a folder with a Cargo.toml, as cargo requires. */
function checkPathDependency(absRoot: string, fileExists: (rel: string) => boolean, manifest: Manifest, rootManifest: Manifest, d: CrateDependency): void {
  if (fileExists(manifestOf(d.path!))) return;
  const folder = join(absRoot, d.path!);
  // For `workspace = true`, the path is written in the root manifest.
  const [file, text] = d.workspace ? [rootManifest.file, rootManifest.text] : [manifest.file, manifest.text];
  const line = keyLine(text, d.alias);
  const via = d.workspace ? ` (used by ${manifest.file})` : '';
  const exists = existsSync(folder) && statSync(folder).isDirectory();
  throw new CargoManifestError(
    file,
    `path dependency \`${d.alias}\`${via} points at "${d.path}", which ${exists ? 'has no Cargo.toml' : 'does not exist'} — fix the path or create the crate there`,
    line,
  );
}

function crateInfo(fileExists: (rel: string) => boolean, dir: string, manifest: Manifest, wsPackage: TomlTable, dependencies: CrateDependency[]): CrateInfo {
  const pkg = (isTable(manifest.data.package) ? manifest.data.package : manifest.data.project) as TomlTable | undefined;
  if (!isTable(pkg)) {
    throw new CargoManifestError(manifest.file, 'no [package] section — a workspace member must be a crate (or remove it from [workspace] members)');
  }
  if (pkg.name === undefined || pkg.name === '') {
    throw new CargoManifestError(manifest.file, '[package] has no `name` — add `name = "your-crate"`', keyLine(manifest.text, 'package'));
  }
  if (typeof pkg.name !== 'string') {
    const line = packageKeyLine(manifest.text, 'name');
    const written = line ? manifest.text.split('\n')[line - 1]!.replace(/#.*$/, '').trim() : undefined;
    if (isTable(pkg.name) && pkg.name.workspace === true) {
      throw new CargoManifestError(
        manifest.file,
        `[package] \`name.workspace = true\`: cargo never inherits a crate's name from the workspace — write \`name = "my-crate"\``,
        line,
      );
    }
    const what = `${tomlTypeOf(pkg.name)}${written ? ` (\`${written}\`)` : ''}`;
    throw new CargoManifestError(
      manifest.file,
      `[package] \`name\` has the wrong type: it is ${what}, but a crate name must be a string — write it in quotes, e.g. \`name = "my-crate"\` (cargo refuses this manifest too)`,
      line ?? keyLine(manifest.text, 'package'),
    );
  }
  const inherit = (key: string): { value: unknown; fromWorkspace: boolean } => {
    const v = pkg[key];
    if (isTable(v) && v.workspace === true) {
      if (!(key in wsPackage)) {
        throw new CargoManifestError(
          manifest.file,
          `\`${key}.workspace = true\` but the root Cargo.toml has no \`${key}\` in [workspace.package] — add it there`,
          keyLine(manifest.text, key),
        );
      }
      return { value: wsPackage[key], fromWorkspace: true };
    }
    return { value: v, fromWorkspace: false };
  };
  const version = inherit('version');
  if (version.value !== undefined && typeof version.value !== 'string') {
    throw new CargoManifestError(manifest.file, '`version` must be a string like "1.2.3"', keyLine(manifest.text, 'version'));
  }
  const publishValue = inherit('publish').value;
  // Cargo: no version means 0.0.0 and not publishable.
  const explicit = publishValue === undefined ? undefined : publishValue === true || (Array.isArray(publishValue) && publishValue.length > 0);
  const publish = explicit ?? version.value !== undefined;
  const description = inherit('description').value;
  const info: CrateInfo = {
    name: pkg.name,
    version: (version.value as string | undefined) ?? '0.0.0',
    versionFromWorkspace: version.fromWorkspace,
    root: dir,
    manifestPath: manifestOf(dir),
    publish,
    ...(typeof description === 'string' ? { description } : {}),
    dependencies,
  };
  const { hasLib, bins } = crateTargets(fileExists, dir, manifest, pkg);
  info.hasLib = hasLib;
  info.bins = bins;
  return info;
}

/** Whether the crate has a library target, and its binaries (explicit `[[bin]]` or `src/main.rs`). */
function crateTargets(fileExists: (rel: string) => boolean, dir: string, manifest: Manifest, pkg: TomlTable): { hasLib: boolean; bins: string[] } {
  const bins = new Set<string>();
  let mainRsClaimed = false;
  if (Array.isArray(manifest.data.bin)) {
    for (const b of manifest.data.bin) {
      if (!isTable(b) || typeof b.name !== 'string') continue;
      bins.add(b.name);
      if (typeof b.path === 'string' && normalizeRel(b.path) === 'src/main.rs') mainRsClaimed = true;
    }
  }
  // Cargo infers a binary named after the package from src/main.rs, unless a [[bin]] already uses that file.
  const inDir = (f: string) => (dir === '.' ? f : `${dir}/${f}`);
  if (!mainRsClaimed && pkg.autobins !== false && fileExists(inDir('src/main.rs'))) bins.add(pkg.name as string);
  // A crate without a binary has a library (cargo refuses a crate with no target), so
  // src/lib.rs is only looked for next to a binary.
  const hasLib = isTable(manifest.data.lib) || bins.size === 0 || fileExists(inDir('src/lib.rs'));
  return { hasLib, bins: [...bins].sort() };
}

/** Cargo refuses two members with one name, and a path dependency whose crate has another name. */
function checkNames(crates: CrateInfo[], manifests: Map<string, Manifest>): void {
  const byRoot = new Map<string, CrateInfo>();
  const byName = new Map<string, CrateInfo>();
  for (const c of crates) {
    const other = byName.get(c.name);
    if (other) {
      throw new CargoManifestError(
        c.manifestPath,
        `crate name "${c.name}" is also used by ${other.manifestPath} — two workspace members cannot share a name; rename one`,
        keyLine(manifests.get(c.root)!.text, 'name'),
      );
    }
    byName.set(c.name, c);
    byRoot.set(c.root, c);
  }
  for (const c of crates) {
    for (const d of c.dependencies) {
      const target = d.path !== undefined ? byRoot.get(d.path) : undefined;
      if (target && target.name !== d.name) {
        throw new CargoManifestError(
          c.manifestPath,
          `dependency \`${d.alias}\` points at "${d.path}", which is crate "${target.name}", not "${d.name}" — add \`package = "${target.name}"\` or fix the path`,
          keyLine(manifests.get(c.root)!.text, d.alias),
        );
      }
    }
  }
}

/** What a TOML value is, for messages: `an integer`, `a boolean`, … */
function tomlTypeOf(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(v) || typeof v === 'bigint' ? 'an integer' : 'a float';
  if (typeof v === 'boolean') return 'a boolean';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  return `a ${typeof v}`;
}

/** Line of `key = ...` (or `key.x = ...`) inside the manifest's [package] (or [project]) table. */
function packageKeyLine(text: string, key: string): number | undefined {
  const lines = text.split('\n');
  let section: string | undefined = ''; // '' = the root table, before any header
  const k = `(?:${key}|"${key}"|'${key}')`;
  const inTable = new RegExp(`^\\s*${k}\\s*[=.]`);
  const dotted = new RegExp(`^\\s*(?:package|project)\\s*\\.\\s*${k}\\s*[=.]`);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.replace(/#.*$/, '');
    const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(l);
    if (header) section = header[1];
    else if ((section === 'package' || section === 'project') && inTable.test(l)) return i + 1;
    else if (section === '' && dotted.test(l)) return i + 1;
  }
  return undefined;
}
