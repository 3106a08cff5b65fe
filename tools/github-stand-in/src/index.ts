export { startGitHubStandIn, type GitHubStandInOptions, type StandIn } from './stand-in';
export type {
  StandInState,
  RepoRecord,
  PullRecord,
  ReleaseRecord,
  AdvisoryRecord,
  AdvisoryVulnerability,
  RequestRecord,
} from './state';
export { makeBareRepo, type BareRepoFixture } from './fixture';
