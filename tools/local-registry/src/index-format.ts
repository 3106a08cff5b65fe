// Cargo's registry formats: the sparse index file layout, the index line of one
// version, and the binary body of `PUT /api/v1/crates/new`.
// Reference: https://doc.rust-lang.org/cargo/reference/registry-index.html
// and https://doc.rust-lang.org/cargo/reference/registry-web-api.html#publish

/** Path of a crate's index file, relative to the index root (`1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd`). */
export function indexFilePath(name: string): string {
  const n = name.toLowerCase();
  if (n.length === 0) throw new Error('empty crate name');
  if (n.length === 1) return `1/${n}`;
  if (n.length === 2) return `2/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

/** The crate name an index path asks for, or undefined when the prefix does not match the name. */
export function crateNameFromIndexPath(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  const name = parts[parts.length - 1];
  if (!name || !/^[a-z0-9_-]+$/i.test(name)) return undefined;
  return indexFilePath(name) === parts.join('/').toLowerCase() ? name.toLowerCase() : undefined;
}

/** One dependency as `cargo publish` sends it. */
export interface PublishDep {
  name: string;
  version_req: string;
  features?: string[];
  optional?: boolean;
  default_features?: boolean;
  target?: string | null;
  kind?: 'normal' | 'dev' | 'build';
  registry?: string | null;
  explicit_name_in_toml?: string | null;
}

/** The JSON half of a publish request. */
export interface PublishMetadata {
  name: string;
  vers: string;
  deps: PublishDep[];
  features: Record<string, string[]>;
  authors?: string[];
  description?: string | null;
  documentation?: string | null;
  homepage?: string | null;
  readme?: string | null;
  readme_file?: string | null;
  keywords?: string[];
  categories?: string[];
  license?: string | null;
  license_file?: string | null;
  repository?: string | null;
  links?: string | null;
  rust_version?: string | null;
}

/** One dependency as the index stores it. */
export interface IndexDep {
  name: string;
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  target: string | null;
  kind: 'normal' | 'dev' | 'build';
  registry?: string;
  package?: string;
}

/** One line of a crate's index file. */
export interface IndexEntry {
  name: string;
  vers: string;
  deps: IndexDep[];
  cksum: string;
  features: Record<string, string[]>;
  features2?: Record<string, string[]>;
  yanked: boolean;
  links: string | null;
  rust_version?: string;
  v: number;
}

export class BadPublishRequest extends Error {}

/** Splits cargo's publish body: u32 LE json length, json, u32 LE crate length, .crate bytes. */
export function parsePublishBody(body: Buffer): { metadata: PublishMetadata; crate: Buffer } {
  if (body.length < 4) throw new BadPublishRequest('invalid upload request: body too short for the metadata length');
  const jsonLen = body.readUInt32LE(0);
  if (body.length < 4 + jsonLen + 4) throw new BadPublishRequest('invalid upload request: metadata length exceeds the body');
  let metadata: PublishMetadata;
  try {
    metadata = JSON.parse(body.subarray(4, 4 + jsonLen).toString('utf8')) as PublishMetadata;
  } catch (e) {
    throw new BadPublishRequest(`invalid upload request: ${(e as Error).message}`);
  }
  const crateLen = body.readUInt32LE(4 + jsonLen);
  const start = 8 + jsonLen;
  if (body.length !== start + crateLen) {
    throw new BadPublishRequest(`invalid upload request: .crate length ${crateLen} does not match the ${body.length - start} bytes sent`);
  }
  if (typeof metadata.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(metadata.name)) {
    throw new BadPublishRequest(`invalid upload request: invalid crate name ${JSON.stringify(metadata.name)}`);
  }
  if (typeof metadata.vers !== 'string' || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(metadata.vers)) {
    throw new BadPublishRequest(`invalid upload request: invalid version ${JSON.stringify(metadata.vers)}`);
  }
  if (!Array.isArray(metadata.deps)) metadata.deps = [];
  if (!metadata.features || typeof metadata.features !== 'object') metadata.features = {};
  return { metadata, crate: body.subarray(start) };
}

/** Builds cargo's publish body (for tests and clients that upload without cargo). */
export function buildPublishBody(metadata: PublishMetadata, crate: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(metadata), 'utf8');
  const a = Buffer.alloc(4);
  a.writeUInt32LE(json.length, 0);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(crate.length, 0);
  return Buffer.concat([a, json, b, crate]);
}

/**
 * The index line for a publish, the way crates.io writes it: a renamed dependency is
 * listed under the name used in Cargo.toml with `package` naming the real crate;
 * `registry` is kept only for dependencies on another registry; features using the
 * `dep:`/`?/` syntax go to `features2` with `v: 2`.
 */
export function indexEntryFor(metadata: PublishMetadata, cksum: string, ownIndexUrls: string[]): IndexEntry {
  const own = new Set(ownIndexUrls.map(normalizeIndexUrl));
  const deps: IndexDep[] = metadata.deps.map((d) => {
    const dep: IndexDep = {
      name: d.explicit_name_in_toml || d.name,
      req: d.version_req,
      features: d.features ?? [],
      optional: d.optional ?? false,
      default_features: d.default_features ?? true,
      target: d.target ?? null,
      kind: d.kind ?? 'normal',
    };
    if (d.registry && !own.has(normalizeIndexUrl(d.registry))) dep.registry = d.registry;
    if (d.explicit_name_in_toml) dep.package = d.name;
    return dep;
  });
  const features: Record<string, string[]> = {};
  const features2: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(metadata.features)) {
    if (v.some((f) => f.startsWith('dep:') || f.includes('?/'))) features2[k] = v;
    else features[k] = v;
  }
  const entry: IndexEntry = {
    name: metadata.name,
    vers: metadata.vers,
    deps,
    cksum,
    features,
    yanked: false,
    links: metadata.links ?? null,
    v: 1,
  };
  if (Object.keys(features2).length > 0) {
    entry.features2 = features2;
    entry.v = 2;
  }
  if (metadata.rust_version) entry.rust_version = metadata.rust_version;
  return entry;
}

function normalizeIndexUrl(u: string): string {
  return u.replace(/^sparse\+/, '').replace(/\/+$/, '');
}
