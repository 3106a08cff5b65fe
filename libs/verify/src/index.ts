export { checkCrateRules, type RuleViolation, type RuleId, type RuleInput } from './rules';
export { checkVersionFiles, type VersionFileCheck } from './version-files-check';
export { packageCrates, type PackageTarget, type PackageResult, type PackageOptions, type PackageRun } from './package';
export { verifyWorkspace, formatVerifyReport, type VerifyOptions, type VerifyReport, type VerifiedCrate } from './verify';
export { planCheckedBump } from './checked-bump';
