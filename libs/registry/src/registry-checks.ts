// The checks before the first upload that ask the registry (the `.crate` size limit is
// the packaging preflight's): a crate that does not exist yet cannot be created with a
// trusted-publishing token; with `ownerTeam`, the team must own each existing crate
// that will get a new version; and the rate-limit plan says how long the uploads take
// at the registry's limits, warning when that outlives one trusted-publishing token
// (when uploading with those).
import type { RegistryApi } from './client';
import type { PlanCrate } from './plan';
import type { PreflightProblem } from './preflight';
import { mapLimit } from './map-limit';
import { CRATES_IO_RATE_LIMITS, type PublishAction, type RateLimitModel } from './rate-budget';
import { TRUSTED_TOKEN_LIFETIME_MS } from './trusted-publishing/token-source';

export interface RegistryCheckOptions {
  crates: readonly PlanCrate[];
  api: RegistryApi;
  registryName: string;
  /** The registry token's variable (the fix for a new crate under trusted publishing). */
  tokenEnvVar: string;
  ownerTeam?: string;
  /** Uploads will use trusted-publishing tokens. */
  trustedPublishing: boolean;
  /** The limits the uploads are paced by; default crates.io's. */
  rateLimits?: RateLimitModel;
  /** Whose limits these are, for the message. Default `crates.io`. */
  rateLimitsName?: string;
  /** How long one trusted-publishing token lives. Default 30 min. */
  tokenLifetimeMs?: number;
}

export interface RegistryCheckResult {
  /** Crates whose version the registry does not have yet. */
  toUpload: Array<{ name: string; version: string; isNew: boolean }>;
  /** What stops the run before the first upload. */
  problems: PreflightProblem[];
  warnings: string[];
  /** The rate-limit plan, one line. */
  ratePlan: string;
  /** How long the uploads take at those limits (ms of waiting for refills). */
  rateLimitedMs: number;
}

const list = (xs: string[], max = 8) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`);
const minutes = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/**
 * How long `counts` uploads wait for the registry's limits: each action's bucket
 * starts full (its burst) and refills one per period, and the two buckets refill side
 * by side, so the longer of the two refills is the wait.
 */
export function rateLimitWait(counts: Record<PublishAction, number>, model: RateLimitModel): { ms: number; parts: string[] } {
  const NAMES: Record<PublishAction, [string, string]> = { 'publish-new': ['new crate', 'new crates'], 'publish-update': ['new version', 'new versions'] };
  let ms = 0;
  const parts: string[] = [];
  for (const action of ['publish-update', 'publish-new'] as PublishAction[]) {
    const n = counts[action];
    const rate = model[action];
    if (!n) continue;
    const what = `${n} ${NAMES[action][n === 1 ? 0 : 1]}`;
    if (!rate) {
      parts.push(`${what} (no limit known)`);
      continue;
    }
    const wait = Math.max(0, n - rate.burst) * rate.periodMs;
    ms = Math.max(ms, wait);
    parts.push(
      wait === 0 ? `${what} within the burst of ${rate.burst}` : `${what}: ${rate.burst} at once, then 1 per ${minutes(rate.periodMs)}, about ${minutes(wait)}`,
    );
  }
  return { ms, parts };
}

export async function checkRegistry(o: RegistryCheckOptions): Promise<RegistryCheckResult> {
  const warnings: string[] = [];
  const problems: PreflightProblem[] = [];
  const status = await mapLimit(o.crates, 8, async (c) => {
    try {
      const versions = await o.api.versions(c.name);
      return { crate: c, isNew: versions === undefined, has: !!versions?.some((v) => v.num === c.version) };
    } catch (e) {
      warnings.push(`could not ask \`${o.registryName}\` about ${c.name}: ${(e as Error).message}`);
      return { crate: c, isNew: false, has: false, unknown: true };
    }
  });
  const toUpload = status.filter((s) => !s.has).map((s) => ({ name: s.crate.name, version: s.crate.version, isNew: s.isNew }));

  if (o.trustedPublishing) {
    for (const s of status.filter((x) => x.isNew)) {
      problems.push({
        crate: s.crate.name,
        version: s.crate.version,
        cause: `not on \`${o.registryName}\` yet, and a trusted-publishing token cannot create a crate`,
        fix: `publish its first version with an API token (set ${o.tokenEnvVar} and run publish once), then add this repository's trusted publisher to it`,
      });
    }
  }

  if (o.ownerTeam) {
    const team = o.ownerTeam;
    const existing = status.filter((s) => !s.isNew && !s.has && !('unknown' in s));
    const missing: PlanCrate[] = [];
    await mapLimit(existing, 8, async (s) => {
      try {
        const owners = await o.api.owners(s.crate.name);
        if (!owners.some((x) => x.login === team)) missing.push(s.crate);
      } catch (e) {
        warnings.push(`could not read the owners of ${s.crate.name} on \`${o.registryName}\`: ${(e as Error).message}`);
      }
    });
    const order = new Map(o.crates.map((c, i) => [c.name, i]));
    missing.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    for (const c of missing) {
      if (o.trustedPublishing) {
        problems.push({
          crate: c.name,
          version: c.version,
          cause: `\`${team}\` (ownerTeam) is not an owner on \`${o.registryName}\`, and a trusted-publishing token cannot add owners`,
          fix: `add it: \`cargo owner --add ${team} ${c.name}\` (an owner's API token)`,
        });
      }
    }
    if (missing.length && !o.trustedPublishing) {
      warnings.push(`\`${team}\` (ownerTeam) does not own ${list(missing.map((c) => c.name))} on \`${o.registryName}\`: it is added after each upload`);
    }
  }

  const counts: Record<PublishAction, number> = { 'publish-new': 0, 'publish-update': 0 };
  for (const t of toUpload) counts[t.isNew ? 'publish-new' : 'publish-update']++;
  const model = o.rateLimits ?? CRATES_IO_RATE_LIMITS;
  const limitsName = o.rateLimits ? (o.rateLimitsName ?? `\`${o.registryName}\``) : 'crates.io';
  const wait = rateLimitWait(counts, model);
  const ratePlan =
    toUpload.length === 0
      ? `rate-limit plan: nothing to upload`
      : `rate-limit plan at ${limitsName}'s limits: ${wait.parts.join('; ')} — ${wait.ms === 0 ? 'no wait' : `the uploads take about ${minutes(wait.ms)}`}`;
  const lifetime = o.tokenLifetimeMs ?? TRUSTED_TOKEN_LIFETIME_MS;
  // Only trusted-publishing tokens expire mid-run; a registry token lives on.
  if (o.trustedPublishing && wait.ms > lifetime) {
    warnings.push(
      `the uploads take about ${minutes(wait.ms)} at ${limitsName}'s limits, longer than one trusted-publishing token lives (${minutes(lifetime)}): crate-train mints a fresh token before each one expires`,
    );
  }
  return { toUpload, problems, warnings, ratePlan, rateLimitedMs: wait.ms };
}
