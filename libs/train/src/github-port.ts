// The GitHub calls the train makes, behind a small interface so callers (and
// the security release) can pass their own client; by default one is built from
// the environment's token only when a step really needs it.
import type { AccessCheckOptions, AccessReport } from '@crate-train/github';

export interface PullRequestSpec {
  head: string;
  base: string;
  title: string;
  body: string;
}

export interface PullRequestResult {
  number: number;
  url: string;
  /** created: new PR; updated: the open PR of this head got the new title/body; unchanged: already identical. */
  action: string;
}

export interface TrainGitHub {
  /** Opens the PR of `head`, or finds the open one and updates it: never a duplicate. */
  ensurePullRequest(spec: PullRequestSpec): Promise<PullRequestResult>;
  /** Creates tag `refs/tags/<tag>` at `sha`; `exists` when it already points there; throws when it points elsewhere. */
  createTag(tag: string, sha: string): Promise<{ action: 'created' | 'exists' }>;
  /**
   * Reads only: the token is accepted, the repository exists, the token may
   * push there; throws a GitHubError naming cause and fix. Run before the first
   * push (a client without it is used unchecked).
   */
  checkAccess?(opts: AccessCheckOptions): Promise<AccessReport>;
}
