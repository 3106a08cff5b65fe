// Dependencies declared in one manifest, with `workspace = true` resolved
// through the root's `[workspace.dependencies]` and paths made relative to the
// workspace root.
import { posix } from 'node:path';
import { CargoManifestError } from './errors';
import { isTable, keyLine, type Manifest, type TomlTable } from './manifest';
import type { CrateDependency, DepKind, WorkspaceDependency } from './model';

/** Dependency table names and their kind, including the legacy underscore spellings. */
export const DEPENDENCY_TABLES: ReadonlyArray<readonly [string, DepKind]> = [
  ['dependencies', 'normal'],
  ['dev-dependencies', 'dev'],
  ['dev_dependencies', 'dev'],
  ['build-dependencies', 'build'],
  ['build_dependencies', 'build'],
];

/** Resolves a path written in a manifest in folder `dir` (root-relative) to a root-relative path. */
export function resolvePath(dir: string, p: string): string {
  const fwd = p.replace(/\\/g, '/');
  if (posix.isAbsolute(fwd) || /^[A-Za-z]:\//.test(fwd)) return fwd; // caller makes it relative
  return joinNormalized(dir, fwd);
}

/** `normalizeRel(posix.join(dir, rel))` without the general-purpose machinery: it runs per dependency. */
function joinNormalized(dir: string, rel: string): string {
  const out = dir === '.' ? [] : dir.split('/');
  let ups = 0; // leading `..` beyond the root
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0) out.pop();
      else ups++;
    } else out.push(seg);
  }
  const parts = ups > 0 ? [...Array<string>(ups).fill('..'), ...out] : out;
  return parts.length === 0 ? '.' : parts.join('/');
}

/** Reads `[workspace.dependencies]` of the root manifest. */
export function readWorkspaceDependencies(root: Manifest): Record<string, WorkspaceDependency> {
  const ws = isTable(root.data.workspace) ? root.data.workspace : undefined;
  const table = ws && ws.dependencies;
  const out: Record<string, WorkspaceDependency> = {};
  if (table === undefined) return out;
  if (!isTable(table))
    throw new CargoManifestError(
      root.file,
      '[workspace.dependencies] must be a table — see https://doc.rust-lang.org/cargo/reference/workspaces.html',
      keyLine(root.text, 'dependencies'),
    );
  for (const [key, spec] of Object.entries(table)) {
    if (typeof spec === 'string') out[key] = { req: spec };
    else if (isTable(spec)) {
      const dep: WorkspaceDependency = {};
      if (typeof spec.version === 'string') dep.req = spec.version;
      if (typeof spec.path === 'string') dep.path = resolvePath('.', spec.path);
      if (typeof spec.package === 'string') dep.package = spec.package;
      out[key] = dep;
    } else {
      throw new CargoManifestError(
        root.file,
        `[workspace.dependencies] entry \`${key}\` must be a version string or a table — write \`${key} = "1.0"\` or \`${key} = { path = "..." }\``,
        keyLine(root.text, key),
      );
    }
  }
  return out;
}

/**
 * Every dependency of a manifest, in table order: `[dependencies]`, dev and build
 * dependencies, and the same under each `[target.'cfg(..)']`.
 */
export function readDependencies(
  manifest: Manifest,
  crateDir: string,
  workspaceDeps: Record<string, WorkspaceDependency>,
  rootFile: string,
): CrateDependency[] {
  const out: CrateDependency[] = [];
  const fromTables = (tables: TomlTable, target?: string) => {
    for (const [tableName, kind] of DEPENDENCY_TABLES) {
      const table = tables[tableName];
      if (table === undefined) continue;
      const where = target ? `[target.'${target}'.${tableName}]` : `[${tableName}]`;
      if (!isTable(table)) throw new CargoManifestError(manifest.file, `${where} must be a table`, keyLine(manifest.text, tableName));
      for (const [alias, spec] of Object.entries(table)) {
        out.push(readOne(manifest, crateDir, workspaceDeps, rootFile, alias, spec, kind, target, where));
      }
    }
  };
  fromTables(manifest.data);
  const targets = manifest.data.target;
  if (isTable(targets)) {
    for (const [target, tables] of Object.entries(targets)) if (isTable(tables)) fromTables(tables, target);
  }
  return out;
}

function readOne(
  manifest: Manifest,
  crateDir: string,
  workspaceDeps: Record<string, WorkspaceDependency>,
  rootFile: string,
  alias: string,
  spec: unknown,
  kind: DepKind,
  target: string | undefined,
  where: string,
): CrateDependency {
  // Plain object literals of one shape: this runs for every dependency of every crate.
  const dep: CrateDependency = { name: alias, alias, kind, workspace: false, optional: false };
  if (target !== undefined) dep.target = target;
  if (typeof spec === 'string') {
    dep.req = spec;
    return dep;
  }
  if (!isTable(spec)) {
    throw new CargoManifestError(
      manifest.file,
      `dependency \`${alias}\` in ${where} must be a version string or a table — write \`${alias} = "1.0"\` or \`${alias} = { path = "..." }\``,
      keyLine(manifest.text, alias),
    );
  }
  dep.optional = spec.optional === true;
  if (spec.workspace === true) {
    const wsDep = Object.hasOwn(workspaceDeps, alias) ? workspaceDeps[alias] : undefined;
    if (!wsDep) {
      throw new CargoManifestError(
        manifest.file,
        `dependency \`${alias}\` in ${where} has \`workspace = true\` but ${rootFile} has no \`${alias}\` in [workspace.dependencies] — add it there or declare the dependency here`,
        keyLine(manifest.text, alias),
      );
    }
    dep.workspace = true;
    if (wsDep.package !== undefined) dep.name = wsDep.package;
    if (wsDep.req !== undefined) dep.req = wsDep.req;
    if (wsDep.path !== undefined) dep.path = wsDep.path;
    return dep;
  }
  if (typeof spec.package === 'string') dep.name = spec.package;
  if (typeof spec.version === 'string') dep.req = spec.version;
  if (typeof spec.path === 'string') dep.path = resolvePath(crateDir, spec.path);
  return dep;
}
