// The JSON shapes of crates.io's web API (crate, version, owners), from stored crates.
import * as semver from 'semver';
import type { StoredCrate, StoredVersion } from './storage';

/** Newest first (by publish time), as crates.io lists them. */
export function sortedVersions(crate: StoredCrate): StoredVersion[] {
  return [...crate.versions].sort((a, b) => b.publishedAt - a.publishedAt);
}

export function versionJson(crate: StoredCrate, version: StoredVersion) {
  return {
    id: `${crate.name}@${version.entry.vers}`,
    crate: crate.name,
    num: version.entry.vers,
    dl_path: `/api/v1/crates/${crate.name}/${version.entry.vers}/download`,
    created_at: new Date(version.publishedAt).toISOString(),
    updated_at: new Date(version.publishedAt).toISOString(),
    yanked: version.entry.yanked,
    checksum: version.entry.cksum,
    crate_size: version.size,
    features: { ...version.entry.features, ...(version.entry.features2 ?? {}) },
    license: version.meta.license ?? null,
    rust_version: version.entry.rust_version ?? null,
    published_by: { login: version.publishedBy },
  };
}

export function crateJson(crate: StoredCrate) {
  const live = crate.versions.filter((v) => !v.entry.yanked);
  const newest = sortedVersions(crate)[0];
  return {
    id: crate.name,
    name: crate.name,
    description: newest?.meta.description ?? null,
    created_at: new Date(crate.createdAt).toISOString(),
    updated_at: new Date(newest?.publishedAt ?? crate.createdAt).toISOString(),
    newest_version: newest?.entry.vers ?? null,
    max_version: maxVersion(live.map((v) => v.entry.vers)) ?? '0.0.0',
    versions: crate.versions.map((v) => `${crate.name}@${v.entry.vers}`),
  };
}

export function ownersJson(crate: StoredCrate) {
  return {
    users: crate.owners.map((owner, i) => ({
      id: i + 1,
      login: owner.login,
      kind: owner.kind,
      name: owner.kind === 'team' ? owner.login.split(':').pop() : owner.login,
    })),
  };
}

/** Highest of a list of versions by semver precedence. */
function maxVersion(versions: string[]): string | undefined {
  return semver.rsort(versions.filter((v) => semver.valid(v)))[0];
}
