export { startGitHubStandIn, type GitHubStandInOptions, type StandIn, type TokenGrant, type RepoPermissions, type RateLimitFault } from './stand-in';
export type { StandInState, RepoRecord, PullRecord, ReleaseRecord, ReleaseAssetRecord, AdvisoryRecord, AdvisoryVulnerability, RequestRecord } from './state';
export { makeBareRepo, type BareRepoFixture } from './fixture';
