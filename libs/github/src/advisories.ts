import type { Api } from './api';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface AdvisoryCrate {
  /** Crate name on the registry. */
  crate: string;
  /** e.g. `>= 2.0.0, < 2.0.1` */
  vulnerableVersionRange: string;
  /** e.g. `2.0.1` or `2.0.1, 3.0.2` */
  patchedVersions: string;
  vulnerableFunctions?: string[];
}

export interface AdvisoryInput {
  summary: string;
  description: string;
  severity?: Severity;
  cvssVector?: string;
  cveId?: string;
  cweIds?: string[];
  crates: AdvisoryCrate[];
}

export interface SecurityAdvisory {
  ghsaId: string;
  state: string;
  summary: string;
  severity: string | null;
  /** The advisory's web page. */
  url: string;
  /** `owner/name` of its temporary private fork, once made. */
  privateFork: string | null;
}

export interface AdvisoryFork {
  fullName: string;
  /** Where git pushes the fixes (https on GitHub; the bare repo path on the stand-in). */
  cloneUrl: string;
  htmlUrl: string;
  private: boolean;
  defaultBranch: string;
}

interface RawAdvisory {
  ghsa_id: string;
  state: string;
  summary: string;
  severity: string | null;
  html_url: string;
  private_fork: { full_name: string } | null;
}

const summarize = (a: RawAdvisory): SecurityAdvisory => ({
  ghsaId: a.ghsa_id,
  state: a.state,
  summary: a.summary,
  severity: a.severity,
  url: a.html_url,
  privateFork: a.private_fork?.full_name ?? null,
});

export async function listSecurityAdvisories(api: Api, state?: 'draft' | 'published' | 'closed' | 'triage'): Promise<SecurityAdvisory[]> {
  const { octokit, owner, repo } = api;
  const list = await api.call(`listing security advisories of ${api.fullName}`, () =>
    octokit.paginate(octokit.rest.securityAdvisories.listRepositoryAdvisories, { owner, repo, state, per_page: 100 }),
  );
  return (list as RawAdvisory[]).map(summarize);
}

export async function getSecurityAdvisory(api: Api, ghsaId: string): Promise<SecurityAdvisory> {
  const { data } = await api.call(`reading security advisory ${ghsaId} of ${api.fullName}`, () =>
    api.octokit.rest.securityAdvisories.getRepositoryAdvisory({ owner: api.owner, repo: api.repo, ghsa_id: ghsaId }),
  );
  return summarize(data as RawAdvisory);
}

/**
 * Creates the draft repository security advisory (ecosystem `rust`), or returns
 * the draft with the same summary that a previous run already created.
 */
export async function createSecurityAdvisory(api: Api, input: AdvisoryInput): Promise<SecurityAdvisory & { action: 'created' | 'exists' }> {
  const drafts = await listSecurityAdvisories(api, 'draft');
  const same = drafts.find((a) => a.summary === input.summary);
  if (same) return { ...same, action: 'exists' };
  const { data } = await api.call(`creating a draft security advisory in ${api.fullName}`, () =>
    api.octokit.rest.securityAdvisories.createRepositoryAdvisory({
      owner: api.owner,
      repo: api.repo,
      summary: input.summary,
      description: input.description,
      severity: input.cvssVector ? undefined : input.severity,
      cvss_vector_string: input.cvssVector,
      cve_id: input.cveId,
      cwe_ids: input.cweIds,
      vulnerabilities: input.crates.map((c) => ({
        package: { ecosystem: 'rust' as const, name: c.crate },
        vulnerable_version_range: c.vulnerableVersionRange,
        patched_versions: c.patchedVersions,
        vulnerable_functions: c.vulnerableFunctions,
      })),
    }),
  );
  return { ...summarize(data as RawAdvisory), action: 'created' };
}

/** Creates (or returns) the advisory's temporary private fork, where the fixes are pushed. */
export async function createAdvisoryFork(api: Api, ghsaId: string): Promise<AdvisoryFork> {
  const { data } = await api.call(`creating the temporary private fork of ${ghsaId} in ${api.fullName}`, () =>
    api.octokit.rest.securityAdvisories.createFork({ owner: api.owner, repo: api.repo, ghsa_id: ghsaId }),
  );
  return {
    fullName: data.full_name,
    cloneUrl: data.clone_url,
    htmlUrl: data.html_url,
    private: data.private,
    defaultBranch: data.default_branch,
  };
}
