export { versionInRootManifest } from './release-date';
export { readReleaseBranches, githubRepository } from './git-read';
export { readCratesAtRef, type CrateVersionAtRef } from './crates-at-ref';
export { buildAdvisoryPlan, crateRanges, GHSA_PLACEHOLDER, PLAN_FILE, type AdvisoryPlan, type PlanBranch } from './plan';

export { renderAdvisoryFiles, type RenderContext } from './render';
export { parseRustsecFrontMatter } from './rustsec';
export { readAdvisoryPlan, advisoryDir } from './manifest';
export { runSecurityRelease, checkRequiredCommits, advisoryPrNote, SecurityReleaseError, type PatchFlow } from './release';
export { withSecurityIgnored, SECURITY_IGNORE_RULE } from './ignore';
