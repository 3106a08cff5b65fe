// Finds, in one scanned Cargo.toml, the places that carry versions: the
// package's own version, the root's [workspace.package] version, and every
// dependency entry with its requirement string (if any), in all the forms a
// manifest can use: plain strings, inline tables, dotted keys, [dependencies.foo]
// tables, [target.'cfg(..)'.*] tables, [workspace.dependencies], renamed deps.

import { tomlLeaves, type TomlDocument, type TomlLeaf, type TomlString } from './toml-scan';

export type DepTableKind = 'normal' | 'dev' | 'build' | 'workspace';

export interface DepSite {
  /** Manifest path as given to the scanner (relative to the workspace root). */
  file: string;
  /** 1-based line of the requirement string, else of the dependency's first key. */
  line: number;
  kind: DepTableKind;
  /** `cfg(unix)` or a triple for [target.X.*]. */
  target?: string;
  /** The table as written in a header, for messages: `[dependencies]`, `[target.'cfg(unix)'.dependencies]`. */
  table: string;
  /** The key in the manifest. */
  key: string;
  /** The crate depended on: `package = "..."` when renamed, else the key. */
  name: string;
  /** The requirement string: the plain string form or the `version` field. */
  req?: TomlString;
  path?: string;
  /** `workspace = true`: the requirement lives in [workspace.dependencies]. */
  workspace: boolean;
}

export interface ManifestSites {
  file: string;
  packageName?: string;
  /** `[package] version = "..."` (absent when inherited or missing). */
  packageVersion?: TomlString;
  /** `version.workspace = true` */
  packageVersionFromWorkspace: boolean;
  /** `[workspace.package] version = "..."` */
  workspaceVersion?: TomlString;
  deps: DepSite[];
}

const DEP_TABLES: Record<string, DepTableKind> = {
  dependencies: 'normal',
  'dev-dependencies': 'dev',
  dev_dependencies: 'dev',
  'build-dependencies': 'build',
  build_dependencies: 'build',
};

function formatKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : `'${k}'`;
}

/** Where a leaf's path names a dependency: its table and the rest of the path after the dep key. */
function depPrefix(path: string[]): { kind: DepTableKind; target?: string; tableName: string; key: string; rest: string[] } | undefined {
  const [a, b, c, d] = path;
  if (a !== undefined && a in DEP_TABLES && b !== undefined) {
    return { kind: DEP_TABLES[a]!, tableName: a, key: b, rest: path.slice(2) };
  }
  if (a === 'target' && b !== undefined && c !== undefined && c in DEP_TABLES && d !== undefined) {
    return { kind: DEP_TABLES[c]!, target: b, tableName: `target.${formatKey(b)}.${c}`, key: d, rest: path.slice(4) };
  }
  if (a === 'workspace' && b === 'dependencies' && c !== undefined) {
    return { kind: 'workspace', tableName: 'workspace.dependencies', key: c, rest: path.slice(3) };
  }
  return undefined;
}

function isString(leaf: TomlLeaf): leaf is TomlLeaf & { value: TomlString } {
  return leaf.value.kind === 'string';
}

export function manifestSites(doc: TomlDocument): ManifestSites {
  const out: ManifestSites = { file: doc.file, packageVersionFromWorkspace: false, deps: [] };
  const deps = new Map<string, DepSite & { firstOffset: number }>();
  for (const leaf of tomlLeaves(doc)) {
    const p = leaf.path;
    const key = p.join('\u0000');
    if (key === 'package\u0000name' && isString(leaf)) out.packageName = leaf.value.value;
    else if (key === 'package\u0000version' && isString(leaf)) out.packageVersion = leaf.value;
    else if (key === 'package\u0000version\u0000workspace' && leaf.value.kind === 'scalar' && leaf.value.raw === 'true') out.packageVersionFromWorkspace = true;
    else if (key === 'workspace\u0000package\u0000version' && isString(leaf)) out.workspaceVersion = leaf.value;

    const dp = depPrefix(p);
    if (!dp) continue;
    const id = [dp.tableName, dp.key].join('\u0000');
    let site = deps.get(id);
    if (!site) {
      site = {
        file: doc.file,
        line: doc.lineOf(leaf.value.start),
        firstOffset: leaf.value.start,
        kind: dp.kind,
        target: dp.target,
        table: `[${dp.tableName}]`,
        key: dp.key,
        name: dp.key,
        workspace: false,
      };
      deps.set(id, site);
    }
    const field = dp.rest.join('.');
    if (field === '' && isString(leaf)) site.req = leaf.value;
    else if (field === 'version' && isString(leaf)) site.req = leaf.value;
    else if (field === 'package' && isString(leaf)) site.name = leaf.value.value;
    else if (field === 'path' && isString(leaf)) site.path = leaf.value.value;
    else if (field === 'workspace' && leaf.value.kind === 'scalar' && leaf.value.raw === 'true') site.workspace = true;
  }
  for (const site of deps.values()) {
    if (site.req) site.line = doc.lineOf(site.req.start);
    const { firstOffset: _drop, ...rest } = site;
    out.deps.push(rest);
  }
  return out;
}
