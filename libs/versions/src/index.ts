export { scanToml, tomlLeaves, type TomlDocument, type TomlLeaf } from './toml-scan';
export { nextVersion, resolveBump, isBumpKind, isSemver, notSemverMessage, VersionRuleError, type BumpKind } from './version-rules';
export { parseSimpleRequirement } from './requirement';
export { manifestSites, type DepSite } from './manifest-sites';

export { WASMTIME_VERSION_FILES, scanVersionFile, versionFileMismatches, type VersionFileRule } from './version-files';
export {
  planBump,
  applyPlan,
  currentVersion,
  currentVersionOf,
  readTextExact,
  BumpError,
  ApplyError,
  type BumpPlan,
  type PlanBumpOptions,
  type BumpSettings,
} from './plan';
export { planDiff } from './diff';
export { bumpManifestText, applyEdits, type VersionChange } from './manifest-edit';
export { lockfileEdits, type LockMemberChange } from './lockfile';
