export { checkCrateRules, scopeOf, RULE_SEVERITY, type RuleViolation, type RuleId, type RuleInput, type RuleSeverity } from './rules';
export { checkVersionFiles, type VersionFileCheck } from './version-files-check';
export { packageCrates, CRATES_IO_MAX_CRATE_BYTES, type PackageTarget, type PackageResult, type PackageOptions, type PackageRun } from './package';
export { verifyWorkspace, formatVerifyReport, type VerifyOptions, type VerifyReport, type VerifiedCrate } from './verify';
export { planCheckedBump } from './checked-bump';
