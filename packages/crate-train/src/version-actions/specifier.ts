// What `nx release version <specifier>` asks for, in crate-train's terms. Nx
// speaks semver keywords; crate-train bumps the way Wasmtime does (major,
// patch, dev, rc, release), so the keywords without a Wasmtime meaning are
// refused with the ways that do exist, instead of a version Wasmtime's rules
// would never produce.
import { isBumpKind, isSemver, type BumpKind } from '@crate-train/versions';

export type BumpRequest = { kind: BumpKind; version?: undefined } | { kind?: undefined; version: string };

export class SpecifierError extends Error {
  override name = 'SpecifierError';
}

const KINDS = 'major, patch (Wasmtime\u2019s release kinds), dev, rc, release, or an explicit version (X.Y.Z, X.Y.Z-dev, X.Y.Z-rc.N)';

export function bumpRequest(specifier: string, who: string): BumpRequest {
  const s = specifier.trim().replace(/^v(?=\d)/, '');
  if (isBumpKind(s)) return { kind: s };
  if (isSemver(s)) return { version: s };
  if (s === 'minor')
    throw new SpecifierError(
      `${who}: "minor" is not a crate-train bump: Wasmtime releases are major (5.0.0 -> 6.0.0, 0.92.0 -> 0.93.0) or patch. Use one of ${KINDS}.`,
    );
  if (/^pre(major|minor|patch|release)$/.test(s))
    throw new SpecifierError(`${who}: "${s}" is not a crate-train bump: pre-releases are "dev" (X.Y.Z-dev) and "rc" (X.Y.Z-rc.N). Use one of ${KINDS}.`);
  throw new SpecifierError(`${who}: "${specifier}" is neither a crate-train bump kind nor a version. Use one of ${KINDS}.`);
}
