// The metadata half of a publish request, built the way cargo builds it
// (`prepare_transmit` in cargo's src/cargo/ops/registry/publish.rs, serialised as
// crates-io's `NewCrate`): from the packaged, normalised Cargo.toml inside the
// `.crate`, so the registry receives exactly what `cargo publish` would send. The
// field order, the dependency order (normal, dev, build; then per target in key
// order: normal, build, dev), the version requirements as semver prints them and
// the `cfg(...)` targets as cargo prints them all matter: the payload test compares
// the JSON byte for byte with cargo's.
import { gunzipSync } from 'node:zlib';
import { posix } from 'node:path';
import { parse } from 'smol-toml';

/** crates.io's index URL as cargo names it in `registry` of a dependency. */
export const CRATES_IO_INDEX_URL = 'https://github.com/rust-lang/crates.io-index';

/** One dependency of a `NewCrate` (crates-io's `NewCrateDependency`, in its field order). */
export interface NewCrateDependency {
  optional: boolean;
  default_features: boolean;
  name: string;
  features: string[];
  version_req: string;
  target: string | null;
  kind: 'normal' | 'dev' | 'build';
  registry?: string;
  explicit_name_in_toml?: string;
}

/** crates-io's `NewCrate`, in its field order. */
export interface NewCrate {
  name: string;
  vers: string;
  deps: NewCrateDependency[];
  features: Record<string, string[]>;
  authors: string[];
  description: string | null;
  documentation: string | null;
  homepage: string | null;
  readme: string | null;
  readme_file: string | null;
  keywords: string[];
  categories: string[];
  license: string | null;
  license_file: string | null;
  repository: string | null;
  badges: Record<string, Record<string, string>>;
  links: string | null;
  rust_version: string | null;
}

export class CrateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrateFileError';
  }
}

/** The files of a `.crate` (gzip'd tar), by path inside it; only those `want` accepts are kept. */
export function readCrateFiles(crate: Buffer, want: (path: string) => boolean): Map<string, Buffer> {
  let tar: Buffer;
  try {
    tar = gunzipSync(crate);
  } catch (e) {
    throw new CrateFileError(`not a gzip'd .crate: ${(e as Error).message}`);
  }
  const files = new Map<string, Buffer>();
  let longName: string | undefined;
  let paxPath: string | undefined;
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      paxPath = m?.[1];
      continue;
    }
    const prefix = field(345, 155);
    const path = paxPath ?? longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = paxPath = undefined;
    if ((type === '0' || type === '\0' || type === '7') && want(path)) files.set(path, Buffer.from(data));
  }
  return files;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** Rust's String ordering (bytes), which BTreeMap keys follow. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * A version requirement as the semver crate prints it: `1.2` -> `^1.2`,
 * `>= 1, < 2` -> `>=1, <2`, `1.*` -> `1.*`, `*` -> `*`.
 */
export function displayVersionReq(req: string): string {
  const text = req.trim();
  if (text === '' || text === '*') return '*';
  const parts = text.split(',').map((p) => p.trim());
  const out: string[] = [];
  for (const part of parts) {
    const m = /^(=|>=|<=|>|<|~|\^)?\s*v?(.*)$/.exec(part);
    if (!m) return text;
    const op = m[1];
    const [core, ...preParts] = m[2].split('-');
    const pre = preParts.join('-').split('+')[0];
    const nums = core.split('+')[0].split('.');
    const isWild = (s: string | undefined) => s === '*' || s === 'x' || s === 'X';
    if (nums.length === 1 && isWild(nums[0])) {
      // `*` among others: semver keeps no comparator for it.
      continue;
    }
    const wildAt = nums.findIndex(isWild);
    const fixed = wildAt >= 0 ? nums.slice(0, wildAt) : nums;
    if (wildAt >= 0 && !op) {
      out.push(`${fixed.join('.')}.*`);
      continue;
    }
    let s = `${op ?? '^'}${fixed.join('.')}`;
    if (fixed.length === 3 && pre) s += `-${pre}`;
    out.push(s);
  }
  return out.length ? out.join(', ') : '*';
}

/** A `[target.X]` key as cargo prints the platform: `cfg(all(unix,not(windows)))` -> `cfg(all(unix, not(windows)))`. */
export function displayPlatform(key: string): string {
  const k = key.trim();
  if (!k.startsWith('cfg(') || !k.endsWith(')')) return k;
  const tokens = k.slice(4, -1).match(/"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_#]*|[(),=]/g) ?? [];
  let i = 0;
  const expr = (): string => {
    const t = tokens[i++];
    if (tokens[i] === '(') {
      i++;
      const args: string[] = [];
      while (tokens[i] !== ')' && i < tokens.length) {
        args.push(expr());
        if (tokens[i] === ',') i++;
      }
      i++;
      return `${t}(${args.join(', ')})`;
    }
    if (tokens[i] === '=') {
      i++;
      return `${t} = ${tokens[i++]}`;
    }
    return t;
  };
  return `cfg(${expr()})`;
}

function dependencyOf(
  key: string,
  spec: unknown,
  kind: NewCrateDependency['kind'],
  target: string | null,
  registryIndex: string,
  isCratesIo: boolean,
): NewCrateDependency {
  const t: Table = isTable(spec) ? spec : { version: spec };
  const pkg = str(t.package);
  const depIndex = str(t['registry-index']) ?? (isCratesIo ? null : CRATES_IO_INDEX_URL);
  const dep: NewCrateDependency = {
    optional: t.optional === true,
    default_features: (t['default-features'] ?? t.default_features) !== false,
    name: pkg ?? key,
    features: strings(t.features),
    version_req: displayVersionReq(str(t.version) ?? '*'),
    target,
    kind,
  };
  // None means "the registry published to" in the web API.
  if (depIndex !== null && normalizeIndex(depIndex) !== normalizeIndex(registryIndex)) dep.registry = depIndex;
  if (pkg) dep.explicit_name_in_toml = key;
  return dep;
}

const normalizeIndex = (u: string) => u.replace(/\/+$/, '');

function depsOf(table: unknown, kind: NewCrateDependency['kind'], target: string | null, registryIndex: string, isCratesIo: boolean): NewCrateDependency[] {
  if (!isTable(table)) return [];
  return Object.keys(table)
    .sort(byBytes)
    .map((k) => dependencyOf(k, table[k], kind, target, registryIndex, isCratesIo));
}

export interface PublishTarget {
  /** The index URL cargo knows the registry by (`sparse+https://…/`), for `registry` of dependencies. */
  indexUrl: string;
  isCratesIo: boolean;
}

/**
 * The publish metadata of a packaged crate, from the `.crate` alone: its normalised
 * Cargo.toml and its readme (cargo reads the readme from the source tree; the
 * package holds the same file).
 */
export function newCrateFromPackage(crate: Buffer, target: PublishTarget): NewCrate {
  const files = readCrateFiles(crate, (p) => /^[^/]+\/Cargo\.toml$/.test(p) || !p.includes('/../'));
  const manifestPath = [...files.keys()].find((p) => /^[^/]+\/Cargo\.toml$/.test(p));
  if (!manifestPath) throw new CrateFileError('the .crate holds no Cargo.toml');
  const dir = manifestPath.slice(0, manifestPath.indexOf('/'));
  let toml: Table;
  try {
    toml = parse(files.get(manifestPath)!.toString('utf8')) as Table;
  } catch (e) {
    throw new CrateFileError(`${manifestPath}: ${(e as Error).message}`);
  }
  const pkg = isTable(toml.package) ? toml.package : {};
  const name = str(pkg.name);
  const vers = str(pkg.version);
  if (!name || !vers) throw new CrateFileError(`${manifestPath} has no package name or version`);
  const idx = target.indexUrl;
  const deps = [
    ...depsOf(toml.dependencies, 'normal', null, idx, target.isCratesIo),
    ...depsOf(toml['dev-dependencies'], 'dev', null, idx, target.isCratesIo),
    ...depsOf(toml['build-dependencies'], 'build', null, idx, target.isCratesIo),
  ];
  const targets = isTable(toml.target) ? toml.target : {};
  for (const key of Object.keys(targets).sort(byBytes)) {
    const p = targets[key];
    if (!isTable(p)) continue;
    const platform = displayPlatform(key);
    deps.push(
      ...depsOf(p.dependencies, 'normal', platform, idx, target.isCratesIo),
      ...depsOf(p['build-dependencies'], 'build', platform, idx, target.isCratesIo),
      ...depsOf(p['dev-dependencies'], 'dev', platform, idx, target.isCratesIo),
    );
  }
  const features: Record<string, string[]> = {};
  const ft = isTable(toml.features) ? toml.features : {};
  for (const k of Object.keys(ft).sort(byBytes)) features[k] = strings(ft[k]);
  const badges: Record<string, Record<string, string>> = {};
  const bt = isTable(toml.badges) ? toml.badges : {};
  for (const k of Object.keys(bt).sort(byBytes)) {
    const inner = bt[k];
    if (!isTable(inner)) continue;
    badges[k] = {};
    for (const ik of Object.keys(inner).sort(byBytes)) if (typeof inner[ik] === 'string') badges[k][ik] = inner[ik] as string;
  }
  const readmeFile = str(pkg.readme);
  let readme: string | null = null;
  if (readmeFile) {
    const data = files.get(`${dir}/${posix.normalize(readmeFile)}`);
    if (!data) throw new CrateFileError(`the readme \`${readmeFile}\` is not in the package`);
    readme = data.toString('utf8');
  }
  return {
    name,
    vers,
    deps,
    features,
    authors: strings(pkg.authors),
    description: str(pkg.description),
    documentation: str(pkg.documentation),
    homepage: str(pkg.homepage),
    readme,
    readme_file: readmeFile,
    keywords: strings(pkg.keywords),
    categories: strings(pkg.categories),
    license: str(pkg.license),
    license_file: str(pkg['license-file']),
    repository: str(pkg.repository),
    badges,
    links: str(pkg.links),
    rust_version: str(pkg['rust-version']),
  };
}

/** The body of `PUT /api/v1/crates/new`: u32 LE JSON length, JSON, u32 LE .crate length, .crate. */
export function publishBody(metadata: NewCrate, crate: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(metadata), 'utf8');
  const a = Buffer.alloc(4);
  a.writeUInt32LE(json.length, 0);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(crate.length, 0);
  return Buffer.concat([a, json, b, crate]);
}
