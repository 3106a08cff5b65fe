import { branchesToPatch, parseIsoDate, SupportTable } from '@crate-train/support-policy';
import type { Severity } from '@crate-train/github';
import * as semver from 'semver';
import { CrateVersionAtRef } from './crates-at-ref';
import { SecurityError } from './errors';

/** The severities of a GitHub security advisory (libs/github's Severity), lowest first: what --severity accepts. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[];

/** Stands for the GHSA id until GitHub assigns one (`--github` replaces it everywhere). */
export const GHSA_PLACEHOLDER = 'GHSA-xxxx-xxxx-xxxx';
export const PLAN_SCHEMA = 'crate-train/security-advisory@1';
export const PLAN_FILE = 'advisory.json';

/** A crate a branch's patch release bumps: its version on the branch and the patch version. */
export interface PatchedCrate {
  name: string;
  version: string;
  nextVersion: string;
}

/** One release branch the advisory patches. */
export interface PlanBranch {
  branch: string;
  lineVersion: string;
  /** Version on the branch when the advisory was generated; the security release checks it is still there. */
  version: string;
  nextVersion: string;
  lts: boolean;
  releaseDate: string | null;
  endOfSupport: string | null;
  crates: PatchedCrate[];
  /**
   * Commits that must be on the remote branch before release day: a SHA (ancestor
   * check) or text of a commit message (a squash-merged CI fix). Edited by hand.
   */
  requiredCommits: string[];
}

/** `security/<id>/advisory.json`: what security-release reads. */
export interface AdvisoryPlan {
  schema: typeof PLAN_SCHEMA;
  id: string;
  summary: string;
  severity: Severity;
  ghsa: string;
  repository: string;
  projectName: string;
  created: string;
  releaseDay: string | null;
  affected: string;
  crates: string[];
  releaseNote: string;
  branches: PlanBranch[];
  fork?: { fullName: string; cloneUrl: string; htmlUrl?: string };
  support: SupportTable;
}

export interface PlanInput {
  id?: string;
  summary: string;
  severity: string;
  ghsa?: string;
  today: string;
  releaseDay?: string;
  repository?: string;
  projectName: string;
  table: SupportTable;
  /** Crates to cover (`--crates`); default `defaultCrates`, keeping those found on the patched branches. */
  crates?: string[];
  /** Crates the crate list publishes (CRATES_TO_PUBLISH): the names `--crates` may use. */
  publishedCrates: string[];
  /** The crates covered without `--crates` (the generator passes PUBLIC_CRATES); default publishedCrates. */
  defaultCrates?: string[];
  cratesByBranch: Record<string, CrateVersionAtRef[]>;
  releaseNote?: string;
}

const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function slugify(text: string, max = 40): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, max).replace(/-+$/, '') || 'advisory';
}

/** `--id`, else the GHSA id, else `YYYY-MM-DD-slug-of-the-summary`. */
export function advisoryId(o: { id?: string; ghsa?: string; today: string; summary: string }): string {
  const id = o.id ?? o.ghsa ?? `${o.today}-${slugify(o.summary)}`;
  if (!ID.test(id)) throw new SecurityError(`--id: "${id}" must be letters, digits, ".", "_" or "-" (it names the folder security/${id}/)`);
  return id;
}

export function validateGhsa(ghsa: string): string {
  if (!GHSA.test(ghsa)) throw new SecurityError(`--ghsa: "${ghsa}" is not a GitHub advisory id (GHSA-xxxx-xxxx-xxxx, lowercase groups)`);
  return ghsa;
}

/** Patch bump X.Y.Z -> X.Y.(Z+1). */
export function patchBump(version: string): string {
  const v = semver.parse(version);
  if (!v || v.prerelease.length) throw new SecurityError(`cannot make a patch release from version "${version}"`);
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}

/** The first version of the next release line (Wasmtime's major bump rule): 5.0.3 -> 6.0.0, 0.92.1 -> 0.93.0, 0.0.3 -> 0.0.4. */
export function nextLine(version: string): string {
  const v = semver.parse(version);
  if (!v) throw new SecurityError(`"${version}" is not a semver version`);
  if (v.major > 0) return `${v.major + 1}.0.0`;
  if (v.minor > 0) return `0.${v.minor + 1}.0`;
  return `0.0.${v.patch + 1}`;
}

/** The first version of a line: 5.0.3 -> 5.0.0, 0.92.1 -> 0.92.0, 0.0.3 -> 0.0.3. */
export function lineStart(version: string): string {
  const v = semver.parse(version);
  if (!v) throw new SecurityError(`"${version}" is not a semver version`);
  if (v.major > 0 || v.minor > 0) return `${v.major}.${v.minor}.0`;
  return `0.0.${v.patch}`;
}

export function advisoryUrl(repository: string, ghsa: string): string {
  return `https://github.com/${repository}/security/advisories/${ghsa}`;
}

export function defaultReleaseNote(summary: string): string {
  const s = summary.trim().replace(/\.$/, '');
  return `${s}.`;
}

/** Builds the plan from the support table and the crates found on each branch (pure). */
export function buildAdvisoryPlan(input: PlanInput): AdvisoryPlan {
  const summary = input.summary?.trim();
  if (!summary) throw new SecurityError('--summary is required: one line saying what the vulnerability is');
  if (!(SEVERITIES as readonly string[]).includes(input.severity)) {
    throw new SecurityError(`--severity: "${input.severity}" must be one of ${SEVERITIES.join(', ')}`);
  }
  const today = parseIsoDate(input.today, '--today');
  const releaseDay = input.releaseDay ? parseIsoDate(input.releaseDay, '--releaseDay') : null;
  const ghsa = input.ghsa ? validateGhsa(input.ghsa) : GHSA_PLACEHOLDER;
  const id = advisoryId({ id: input.id, ghsa: input.ghsa, today, summary });
  const rows = branchesToPatch(input.table);

  const found = new Set(rows.flatMap((r) => (input.cratesByBranch[r.branch] ?? []).map((c) => c.name)));
  let crates: string[];
  if (input.crates && input.crates.length) {
    crates = [...new Set(input.crates.map((c) => c.trim()).filter(Boolean))];
    const unknown = crates.filter((c) => !found.has(c) && !input.publishedCrates.includes(c));
    if (unknown.length) {
      throw new SecurityError(`--crates: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} neither in the crate list nor on any branch to patch`);
    }
  } else {
    crates = (input.defaultCrates ?? input.publishedCrates).filter((c) => rows.length === 0 || found.has(c));
  }

  const branches: PlanBranch[] = rows.map((r) => {
    const onBranch = input.cratesByBranch[r.branch] ?? [];
    return {
      branch: r.branch,
      lineVersion: r.lineVersion,
      version: r.version,
      nextVersion: patchBump(r.version),
      lts: r.lts,
      releaseDate: r.releaseDate,
      endOfSupport: r.endOfSupport,
      crates: crates
        .map((name) => onBranch.find((c) => c.name === name))
        .filter((c): c is CrateVersionAtRef => c !== undefined)
        .map((c) => ({ name: c.name, version: c.version, nextVersion: patchBump(c.version) })),
      requiredCommits: [],
    };
  });

  return {
    schema: PLAN_SCHEMA,
    id,
    summary,
    severity: input.severity as Severity,
    ghsa,
    repository: input.repository ?? 'OWNER/REPO',
    projectName: input.projectName,
    created: today,
    releaseDay,
    affected: input.table.affected,
    crates,
    releaseNote: input.releaseNote?.trim() || defaultReleaseNote(summary),
    branches,
    support: input.table,
  };
}

export interface CrateRanges {
  name: string;
  /** Comma-joined bounds, GitHub/RustSec style: `>= 4.0.0, < 4.0.1`. */
  affected: string[];
  patched: string[];
}

/**
 * Affected and patched ranges of one crate. Each patched line gives
 * `>= next, < next line` (the newest is open-ended unless a newer affected line
 * stays unpatched); affected ranges are the gaps below each patched version.
 * An explicit --affected list or range bounds the oldest affected version.
 */
export function crateRanges(plan: AdvisoryPlan, crate: string): CrateRanges {
  const lines = plan.branches
    .map((b) => ({ b, c: b.crates.find((c) => c.name === crate) }))
    .filter((x): x is { b: PlanBranch; c: PatchedCrate } => x.c !== undefined);
  const affected: string[] = [];
  const patched: string[] = [];
  if (lines.length === 0) return { name: crate, affected, patched };

  const newestPatched = lines[lines.length - 1].b.lineVersion;
  const newerUnpatched = plan.support.rows.some(
    (r) => r.affected && !r.patched && semver.gt(r.lineVersion, newestPatched) && (r.status === 'supported' || r.status === 'ended'),
  );
  const oldestAffected = [...plan.support.rows].reverse().find((r) => r.affected);
  const bounded = plan.affected !== 'auto' && oldestAffected?.branch === lines[0].b.branch;

  let lower: string | null = bounded ? lineStart(lines[0].c.version) : null;
  lines.forEach(({ c }, i) => {
    const last = i === lines.length - 1;
    affected.push(lower ? `>= ${lower}, < ${c.nextVersion}` : `< ${c.nextVersion}`);
    const upper = nextLine(c.version);
    patched.push(last && !newerUnpatched ? `>= ${c.nextVersion}` : `>= ${c.nextVersion}, < ${upper}`);
    lower = upper;
  });
  if (newerUnpatched && lower) affected.push(`>= ${lower}`);
  return { name: crate, affected, patched };
}
