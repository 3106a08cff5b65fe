import type { BareRepo } from './bare-repo';

// In-memory records of what GitHub keeps outside git (PRs, releases,
// advisories). Refs and commits always live in the bare repositories.

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  /** Bare repository on disk. */
  path: string;
  git: BareRepo;
  private: boolean;
  /** For a temporary private fork: the repository it was forked from. */
  parent?: string;
  createdAt: string;
}

export interface PullRecord {
  id: number;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  /** Last known head/base shas; frozen once the PR is closed (the branches may move or vanish later). */
  headSha: string;
  baseSha: string;
}

export interface ReleaseRecord {
  id: number;
  repo: string;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  createdAt: string;
  publishedAt: string | null;
  /** GitHub's "Latest" badge: set by `make_latest` (default true for a published, non-prerelease release); one per repository. */
  latest: boolean;
}

export interface ReleaseAssetRecord {
  id: number;
  repo: string;
  releaseId: number;
  name: string;
  label: string | null;
  contentType: string;
  /** `uploaded` once the whole body arrived; `starter` for an upload that broke off (GitHub keeps it; delete it and upload again). */
  state: 'uploaded' | 'starter';
  data: Buffer;
  uploader: string;
  createdAt: string;
  updatedAt: string;
}

export interface AdvisoryVulnerability {
  package: { ecosystem: string; name: string | null };
  vulnerable_version_range: string | null;
  patched_versions: string | null;
  vulnerable_functions: string[] | null;
}

export interface AdvisoryRecord {
  repo: string;
  ghsaId: string;
  cveId: string | null;
  summary: string;
  description: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | null;
  cvssVector: string | null;
  cweIds: string[];
  vulnerabilities: AdvisoryVulnerability[];
  state: 'draft' | 'published' | 'closed' | 'triage' | 'withdrawn';
  author: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  closedAt: string | null;
  /** Full name of the temporary private fork, once made. */
  privateFork: string | null;
}

export interface RequestRecord {
  method: string;
  /** Path and query as received (never headers: the token stays out of the log). */
  path: string;
  status: number;
}

/** Everything the stand-in knows, live: tests read it to assert what happened. */
export interface StandInState {
  repos: Map<string, RepoRecord>;
  pulls: PullRecord[];
  releases: ReleaseRecord[];
  assets: ReleaseAssetRecord[];
  advisories: AdvisoryRecord[];
  requests: RequestRecord[];
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
