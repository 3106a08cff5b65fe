export { checkSemver, type SemverCheckOptions, type SemverCheckResult } from './check';
export { diffApi, type Finding, type FindingKind } from './diff';
export { extractApi, assertRustdocFormat, RustdocFormatError, TESTED_FORMAT_VERSION, MIN_FORMAT_VERSION } from './surface';
export type { ApiItem, ApiSurface, ItemKind, Location, Sig } from './surface';
export { formatFinding, formatFindings } from './format';
export { buildRustdocJson } from './rustdoc';
export { resolveRev, extractBaseTree, defaultCacheDir } from './base-tree';
export { cargoSemverChecksAvailable } from './cargo-semver-checks';
export type { RustdocCrate } from './rustdoc-types';
