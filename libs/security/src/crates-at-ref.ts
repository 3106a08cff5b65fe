import { Git } from '@crate-train/git';
import { parse as parseToml } from 'smol-toml';

export interface CrateVersionAtRef {
  name: string;
  version: string;
  manifestPath: string;
  publish: boolean;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The crates of the workspace as committed at `ref` (no checkout): every
 * `Cargo.toml` with a `[package]`, its version resolved through
 * `[workspace.package]`. One git process reads all manifests.
 * Manifests that do not parse are skipped (listed in `unreadable`).
 */
export async function readCratesAtRef(root: string, ref: string): Promise<{ crates: CrateVersionAtRef[]; unreadable: string[] }> {
  const git = new Git(root);
  const paths = (await git.listFiles(ref)).filter((p) => p === 'Cargo.toml' || p.endsWith('/Cargo.toml'));
  const contents = await git.showMany(ref, paths);

  const manifests = new Map<string, Table>();
  const unreadable: string[] = [];
  paths.forEach((p, i) => {
    try {
      manifests.set(p, parseToml(contents[i] ?? '') as Table);
    } catch {
      unreadable.push(p);
    }
  });
  const rootManifest = manifests.get('Cargo.toml');
  const ws = rootManifest && isTable(rootManifest.workspace) ? rootManifest.workspace : undefined;
  const wsVersion = ws && isTable(ws.package) && typeof ws.package.version === 'string' ? ws.package.version : undefined;

  const crates: CrateVersionAtRef[] = [];
  for (const [manifestPath, m] of manifests) {
    const pkg = m.package;
    if (!isTable(pkg) || typeof pkg.name !== 'string') continue;
    let version: string | undefined;
    if (typeof pkg.version === 'string') version = pkg.version;
    else if (isTable(pkg.version) && pkg.version.workspace === true) version = wsVersion;
    else if (pkg.version === undefined) version = '0.0.0'; // cargo's default
    if (!version) continue;
    const publish = !(pkg.publish === false || (Array.isArray(pkg.publish) && pkg.publish.length === 0));
    crates.push({ name: pkg.name, version, manifestPath, publish });
  }
  return { crates, unreadable };
}
