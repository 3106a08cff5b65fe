import { run } from '@crate-train/proc';
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
 * `[workspace.package]`. One `git cat-file --batch` process reads all manifests.
 * Manifests that do not parse are skipped (listed in `unreadable`).
 */
export async function readCratesAtRef(root: string, ref: string): Promise<{ crates: CrateVersionAtRef[]; unreadable: string[] }> {
  const ls = await run('git', ['ls-tree', '-r', '--name-only', ref], { cwd: root });
  const paths = ls.stdout.split('\n').filter((p) => p === 'Cargo.toml' || p.endsWith('/Cargo.toml'));
  if (paths.length === 0) return { crates: [], unreadable: [] };
  const batch = await run('git', ['cat-file', '--batch'], { cwd: root, input: paths.map((p) => `${ref}:${p}`).join('\n') + '\n' });
  const contents = splitBatch(Buffer.from(batch.stdout + '\n', 'utf8'), paths.length);

  const manifests = new Map<string, Table>();
  const unreadable: string[] = [];
  paths.forEach((p, i) => {
    try {
      manifests.set(p, parseToml(contents[i]) as Table);
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

/** Splits `git cat-file --batch` output (`<oid> <type> <size>\n<bytes>\n` per object). */
function splitBatch(buf: Buffer, count: number): string[] {
  const out: string[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const nl = buf.indexOf(0x0a, pos);
    const header = buf.subarray(pos, nl).toString('utf8');
    const m = /^\S+ blob (\d+)$/.exec(header);
    if (!m) {
      out.push(''); // "missing": cannot happen for paths ls-tree listed
      pos = nl + 1;
      continue;
    }
    const size = Number(m[1]);
    out.push(buf.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    pos = nl + 1 + size + 1;
  }
  return out;
}
