export { SecurityError } from './errors';
export { releaseDateInReleasesMd, versionInRootManifest } from './release-date';
export { readReleaseBranches, repositoryFromRemoteUrl, githubRepository, type ReadBranchesOptions } from './git-read';
export { readCratesAtRef, type CrateVersionAtRef } from './crates-at-ref';
export {
  buildAdvisoryPlan,
  crateRanges,
  advisoryId,
  advisoryUrl,
  validateGhsa,
  patchBump,
  nextLine,
  lineStart,
  slugify,
  defaultReleaseNote,
  SEVERITIES,
  GHSA_PLACEHOLDER,
  PLAN_FILE,
  PLAN_SCHEMA,
  type AdvisoryPlan,
  type PlanBranch,
  type PatchedCrate,
  type PlanInput,
  type CrateRanges,
} from './plan';
export { releaseEntryFor, fixedEntryLines, DEFAULT_TEMPLATE, type ReleaseEntry } from './release-entry';
export {
  renderAdvisoryFiles,
  renderAdvisoryMd,
  renderBranchMd,
  renderRustsec,
  renderPreAnnouncement,
  renderReleaseDayEmail,
  renderChecklist,
  versionsPhrase,
  branchFile,
  rustsecFile,
  RUSTSEC_FILE,
  type RenderContext,
} from './render';
export { parseRustsecFrontMatter, RUSTSEC_REQUIRED_KEYS } from './rustsec';
export { readAdvisoryPlan, advisoryDir, SECURITY_DIR } from './manifest';
export {
  runSecurityRelease,
  checkRequiredCommits,
  hasRequiredCommit,
  advisoryPrNote,
  SecurityReleaseError,
  type PatchFlow,
  type PublishedPatch,
  type BranchFailure,
} from './release';
export { ignoresSecurityDir, withSecurityIgnored, SECURITY_IGNORE_RULE } from './ignore';
