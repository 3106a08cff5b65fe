// Reads what nx release asks about a crate from the manifests in the Nx tree
// (so a file an earlier step wrote in the same run is seen as written).
import type { Tree } from '@nx/devkit';
import { manifestSites, scanToml, type DepSite } from '@crate-train/versions';

export interface ManifestRef {
  /** Nx-root-relative path with '/'. */
  path: string;
  text: string;
}

const join = (dir: string, file: string) => (dir === '' || dir === '.' ? file : `${dir.replace(/\/+$/, '')}/${file}`);

export function readManifest(tree: Tree, dir: string): ManifestRef {
  const path = join(dir, 'Cargo.toml');
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} not found: crate-train/version-actions versions Cargo crates, each with its own Cargo.toml`);
  return { path, text };
}

const WORKSPACE_TABLE = /^[ \t]*\[[ \t]*workspace[ \t]*[\].]/m;

/** The Cargo workspace root of a crate folder (Nx-root-relative, '' for the Nx root): the nearest folder up whose Cargo.toml has [workspace]. */
export function cargoRootOf(tree: Tree, crateDir: string): string {
  const parts = crateDir === '.' ? [] : crateDir.split('/').filter(Boolean);
  for (let n = parts.length; n >= 0; n--) {
    const dir = parts.slice(0, n).join('/');
    const text = tree.read(join(dir, 'Cargo.toml'), 'utf-8');
    if (text !== null && WORKSPACE_TABLE.test(text)) return dir;
  }
  return parts.join('/');
}

/** A crate's version: `[package] version`, or `[workspace.package] version` when it says `version.workspace = true`. */
export function crateVersion(tree: Tree, crateDir: string): { version: string; manifestPath: string; inherited: boolean } {
  const m = readManifest(tree, crateDir);
  const sites = manifestSites(scanToml(m.text, m.path));
  if (sites.packageVersion) return { version: sites.packageVersion.value, manifestPath: m.path, inherited: false };
  if (sites.packageVersionFromWorkspace) {
    const root = readManifest(tree, cargoRootOf(tree, crateDir));
    const ws = manifestSites(scanToml(root.text, root.path)).workspaceVersion;
    if (!ws) throw new Error(`${m.path} says version.workspace = true but ${root.path} has no [workspace.package] version = "..."`);
    return { version: ws.value, manifestPath: root.path, inherited: true };
  }
  throw new Error(`${m.path} has no [package] version = "..." (nor version.workspace = true): give the crate a version`);
}

const COLLECTION: Record<DepSite['kind'], string> = {
  normal: 'dependencies',
  dev: 'dev-dependencies',
  build: 'build-dependencies',
  workspace: 'workspace.dependencies',
};

/**
 * The requirement a crate writes on another, normal dependencies first. A
 * `workspace = true` entry takes its requirement, and its rename
 * (`codegen = { package = "cranelift-codegen" }`), from [workspace.dependencies].
 */
export function requirementOn(tree: Tree, crateDir: string, depName: string): { currentVersion: string | null; dependencyCollection: string | null } {
  const m = readManifest(tree, crateDir);
  let wsDeps: DepSite[] | undefined;
  const workspaceDeps = () => {
    if (!wsDeps) {
      const root = readManifest(tree, cargoRootOf(tree, crateDir));
      wsDeps = manifestSites(scanToml(root.text, root.path)).deps.filter((w) => w.kind === 'workspace');
    }
    return wsDeps;
  };
  const order: DepSite['kind'][] = ['normal', 'build', 'dev'];
  const deps = [...manifestSites(scanToml(m.text, m.path)).deps].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const d of deps) {
    const ws = d.workspace ? workspaceDeps().find((w) => w.key === d.key) : undefined;
    const name = ws ? ws.name : d.name;
    const req = ws ? ws.req : d.req;
    if (name !== depName || !req) continue;
    const table = d.target ? `target.${d.target}.${COLLECTION[d.kind]}` : COLLECTION[d.kind];
    return { currentVersion: req.value, dependencyCollection: table };
  }
  return { currentVersion: null, dependencyCollection: null };
}
