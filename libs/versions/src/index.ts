export {
  scanToml,
  tomlLeaves,
  TomlScanError,
  type TomlDocument,
  type TomlSection,
  type TomlKeyValue,
  type TomlValue,
  type TomlString,
  type TomlScalar,
  type TomlArray,
  type TomlInlineTable,
  type TomlLeaf,
  type StringStyle,
} from './toml-scan';
export { nextVersion, resolveBump, isBumpKind, isSemver, semverGuess, notSemverMessage, BUMP_KINDS, VersionRuleError, type BumpKind } from './version-rules';
export { parseSimpleRequirement, suggestRequirement, type SimpleRequirement } from './requirement';
export { manifestSites, type ManifestSites, type DepSite, type DepTableKind } from './manifest-sites';
export { manifestEdits, applyEdits, bumpManifestText, type TextEdit, type VersionChange, type ManifestChange, type ManifestEditResult } from './manifest-edit';
export { lockfileEdits, type LockMemberChange, type LockfileEditResult } from './lockfile';
export {
  WASMTIME_VERSION_FILES,
  scanVersionFile,
  versionFileEdits,
  versionFileMismatches,
  versionPart,
  type VersionFileRule,
  type VersionFileScan,
  type VersionFileMatch,
  type VersionPart,
} from './version-files';
export {
  planBump,
  applyPlan,
  currentVersion,
  currentVersionOf,
  readTextExact,
  fsWriter,
  BumpError,
  ApplyError,
  type BumpPlan,
  type PlannedFile,
  type CrateBump,
  type PlanBumpOptions,
  type BumpSettings,
  type PlanWriter,
} from './plan';
export { planDiff } from './diff';
