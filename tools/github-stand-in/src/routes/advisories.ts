import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Router } from '../router';
import type { Ctx, Handler } from '../context';
import { repoOf } from '../context';
import { notFound, paginate, str, unprocessable } from '../http';
import { advisoryJson, repoJson } from '../shapes';
import { nowIso, type AdvisoryRecord, type AdvisoryVulnerability, type RepoRecord } from '../state';

const DOC = 'https://docs.github.com/rest/security-advisories/repository-advisories';
const DOC_CREATE = `${DOC}#create-a-repository-security-advisory`;
const DOC_UPDATE = `${DOC}#update-a-repository-security-advisory`;
const DOC_FORK = `${DOC}#create-a-temporary-private-fork`;

const ECOSYSTEMS = ['rubygems', 'npm', 'pip', 'maven', 'nuget', 'composer', 'go', 'rust', 'erlang', 'actions', 'pub', 'other', 'swift'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
// GHSA ids use this 20-letter alphabet (no vowels or look-alikes).
const GHSA_ALPHABET = '23456789cfghjmpqrvwx';

export function advisoryRoutes(router: Router<Handler>): void {
  router.add('POST', '/repos/:owner/:repo/security-advisories', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, DOC_CREATE);
    const body = await r.body();
    const summary = str(body, 'summary');
    const description = str(body, 'description');
    if (!summary) throw invalid(`"summary" wasn't supplied.`, DOC_CREATE);
    if (!description) throw invalid(`"description" wasn't supplied.`, DOC_CREATE);
    if (!Array.isArray(body.vulnerabilities)) throw invalid(`"vulnerabilities" wasn't supplied.`, DOC_CREATE);
    const severity = severityOf(body, DOC_CREATE);
    const now = nowIso();
    const adv: AdvisoryRecord = {
      repo: repo.fullName,
      ghsaId: newGhsaId(ctx),
      cveId: str(body, 'cve_id') ?? null,
      summary,
      description,
      severity: severity ?? null,
      cvssVector: str(body, 'cvss_vector_string') ?? null,
      cweIds: stringList(body.cwe_ids),
      vulnerabilities: vulnerabilitiesOf(body.vulnerabilities, DOC_CREATE),
      state: 'draft',
      author: ctx.login,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
      closedAt: null,
      privateFork: null,
    };
    ctx.state.advisories.push(adv);
    if (body.start_private_fork === true) await ensureFork(ctx, repo, adv);
    return { status: 201, body: advisoryJson(ctx, repo, adv) };
  });

  router.add('GET', '/repos/:owner/:repo/security-advisories', async (ctx, r) => {
    const repo = repoOf(ctx, r.params, `${DOC}#list-repository-security-advisories`);
    const state = r.url.searchParams.get('state');
    const list = ctx.state.advisories.filter((a) => a.repo === repo.fullName && (!state || a.state === state)).reverse();
    const { page, headers } = paginate(list, r.url);
    return { status: 200, body: page.map((a) => advisoryJson(ctx, repo, a)), headers };
  });

  router.add('GET', '/repos/:owner/:repo/security-advisories/:ghsa', async (ctx, { params }) => {
    const doc = `${DOC}#get-a-repository-security-advisory`;
    const { repo, adv } = advisoryOf(ctx, params, doc);
    return { status: 200, body: advisoryJson(ctx, repo, adv) };
  });

  router.add('PATCH', '/repos/:owner/:repo/security-advisories/:ghsa', async (ctx, r) => {
    const { repo, adv } = advisoryOf(ctx, r.params, DOC_UPDATE);
    const body = await r.body();
    const state = str(body, 'state');
    if (state !== undefined) {
      if (!['published', 'closed', 'draft'].includes(state)) throw invalid(`"${state}" is not a member of enum.`, DOC_UPDATE);
      if (adv.state === 'published' && state !== 'published') {
        throw unprocessable('A published advisory cannot be moved back to draft or closed.', DOC_UPDATE);
      }
    }
    const severity = severityOf(body, DOC_UPDATE);
    const summary = str(body, 'summary');
    const description = str(body, 'description');
    if (summary !== undefined) adv.summary = summary;
    if (description !== undefined) adv.description = description;
    if (severity !== undefined) {
      adv.severity = severity;
      adv.cvssVector = null;
    }
    if (str(body, 'cvss_vector_string') !== undefined) adv.cvssVector = str(body, 'cvss_vector_string')!;
    if ('cve_id' in body) adv.cveId = str(body, 'cve_id') ?? null;
    if ('cwe_ids' in body) adv.cweIds = stringList(body.cwe_ids);
    if ('vulnerabilities' in body) adv.vulnerabilities = vulnerabilitiesOf(body.vulnerabilities, DOC_UPDATE);
    const now = nowIso();
    if (state && state !== adv.state) {
      adv.state = state as AdvisoryRecord['state'];
      if (state === 'published') adv.publishedAt = now;
      adv.closedAt = state === 'closed' ? now : null;
    }
    adv.updatedAt = now;
    return { status: 200, body: advisoryJson(ctx, repo, adv) };
  });

  router.add('POST', '/repos/:owner/:repo/security-advisories/:ghsa/forks', async (ctx, { params }) => {
    const { repo, adv } = advisoryOf(ctx, params, DOC_FORK);
    const fork = await ensureFork(ctx, repo, adv);
    return { status: 202, body: { ...repoJson(ctx, fork, await fork.git.defaultBranch()), parent: repoJson(ctx, repo, await repo.git.defaultBranch()) } };
  });
}

function advisoryOf(ctx: Ctx, params: Record<string, string>, doc: string): { repo: RepoRecord; adv: AdvisoryRecord } {
  const repo = repoOf(ctx, params, doc);
  const adv = ctx.state.advisories.find((a) => a.repo === repo.fullName && a.ghsaId.toLowerCase() === params.ghsa.toLowerCase());
  if (!adv) throw notFound(doc);
  return { repo, adv };
}

/**
 * The temporary private fork: a new bare repository cloned from the origin (all
 * branches and tags), registered as `owner/{repo}-ghsa-xxxx-xxxx-xxxx`. Asking
 * again returns the same fork.
 */
async function ensureFork(ctx: Ctx, origin: RepoRecord, adv: AdvisoryRecord): Promise<RepoRecord> {
  const existing = adv.privateFork ? ctx.state.repos.get(adv.privateFork.toLowerCase()) : undefined;
  if (existing) return existing;
  const name = `${origin.name}-${adv.ghsaId.toLowerCase()}`;
  const dir = path.join(ctx.forksDir ?? path.dirname(origin.path), `${name}.git`);
  if (fs.existsSync(dir)) throw unprocessable(`Cannot create the private fork: ${dir} already exists.`, DOC_FORK);
  await origin.git.cloneBareTo(dir);
  const fork = ctx.registerRepo(`${origin.owner}/${name}`, dir, { private: true, parent: origin.fullName });
  adv.privateFork = fork.fullName;
  return fork;
}

function newGhsaId(ctx: Ctx): string {
  for (;;) {
    const part = () => Array.from({ length: 4 }, () => GHSA_ALPHABET[randomInt(GHSA_ALPHABET.length)]).join('');
    const id = `GHSA-${part()}-${part()}-${part()}`;
    if (!ctx.state.advisories.some((a) => a.ghsaId === id)) return id;
  }
}

const invalid = (why: string, doc: string) => unprocessable(`Invalid request.\n\n${why}`, doc);

function severityOf(body: Record<string, unknown>, doc: string): AdvisoryRecord['severity'] | undefined {
  const severity = str(body, 'severity');
  if (severity !== undefined && !SEVERITIES.includes(severity)) throw invalid(`"${severity}" is not a member of enum.`, doc);
  if (severity !== undefined && str(body, 'cvss_vector_string')) {
    throw invalid('You cannot supply both "severity" and "cvss_vector_string".', doc);
  }
  return severity as AdvisoryRecord['severity'] | undefined;
}

function vulnerabilitiesOf(value: unknown, doc: string): AdvisoryVulnerability[] {
  if (!Array.isArray(value)) throw invalid('"vulnerabilities" is not an array.', doc);
  return value.map((v, i) => {
    const item = (v ?? {}) as Record<string, unknown>;
    const pkg = (item.package ?? undefined) as Record<string, unknown> | undefined;
    if (!pkg || typeof pkg !== 'object') throw invalid(`"package" wasn't supplied for vulnerabilities[${i}].`, doc);
    const ecosystem = typeof pkg.ecosystem === 'string' ? pkg.ecosystem : undefined;
    if (!ecosystem) throw invalid(`"ecosystem" wasn't supplied for vulnerabilities[${i}].package.`, doc);
    if (!ECOSYSTEMS.includes(ecosystem)) throw invalid(`"${ecosystem}" is not a member of enum.`, doc);
    return {
      package: { ecosystem, name: typeof pkg.name === 'string' ? pkg.name : null },
      vulnerable_version_range: typeof item.vulnerable_version_range === 'string' ? item.vulnerable_version_range : null,
      patched_versions: typeof item.patched_versions === 'string' ? item.patched_versions : null,
      vulnerable_functions: Array.isArray(item.vulnerable_functions) ? stringList(item.vulnerable_functions) : null,
    };
  });
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
