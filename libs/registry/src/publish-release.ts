// `release:publish` as a whole: the registry checks before the first upload
// (registry-checks.ts), the choice of token — the registry's own variable, or
// crates.io trusted publishing when the job can ask GitHub for an OIDC token and no
// registry token is set — and, with trusted publishing, every minted token revoked at
// the end, whatever happened in between.
import { resolveRegistry, type ResolvedRegistry } from './cargo-config';
import { connectRegistry, type RegistryApi } from './client';
import type { HttpOptions } from './http';
import { PublishPreflightError } from './preflight';
import type { PublishPlan } from './plan';
import {
  connectForPublish,
  publishHttp,
  publishWorkspace,
  planWorkspace,
  type KnownWorkspace,
  type PublishWorkspaceOptions,
  type PublishWorkspaceResult,
} from './publish-workspace';
import { CRATES_IO_RATE_LIMITS, type RateLimitModel } from './rate-budget';
import { checkRegistry, type RegistryCheckResult } from './registry-checks';
import { RegistryTokenError } from './scheduler';
import { OIDC_TOKEN_VAR, OIDC_URL_VAR, oidcFromEnv, TrustedPublishingError } from './trusted-publishing/oidc';
import { TrustedPublishingTokens, type TrustedPublishingEvent } from './trusted-publishing/token-source';

export type TrustedPublishingMode = 'auto' | 'always' | 'never';

export interface PublishReleaseOptions extends Omit<PublishWorkspaceOptions, 'tokens'> {
  /**
   * `auto` (default): trusted publishing when ACTIONS_ID_TOKEN_REQUEST_URL and
   * ACTIONS_ID_TOKEN_REQUEST_TOKEN are set and the registry's token variable is not;
   * `always`: trusted publishing or an error; `never`: the registry token only.
   */
  trustedPublishing?: TrustedPublishingMode;
  /** Trusted publishing: mint a fresh token once the current one is this old. Default 25 min. */
  renewTokenAfterMs?: number;
  /** Lines about the checks and the tokens (never a secret). */
  onNotice?: (line: string, level: 'info' | 'warning') => void;
  /** Called with the trusted-publishing token source once made: its secrets() are what output must hide. */
  onTrustedPublishing?: (tokens: TrustedPublishingTokens) => void;
}

export interface PublishReleaseResult extends PublishWorkspaceResult {
  /** With trusted publishing: tokens minted and what became of them. */
  trustedPublishing?: { minted: number; revoked: number; gone: number; revokeFailed: string[]; lastError?: string };
}

const mins = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

function describe(e: TrustedPublishingEvent, renewAfterMs: number): [string, 'info' | 'warning'] {
  switch (e.type) {
    case 'token-minted':
      return [
        e.reason === 'first'
          ? `trusted publishing: token ${e.n} minted (GitHub OIDC token exchanged at the registry); a fresh one is minted every ${mins(renewAfterMs)}`
          : e.reason === 'renew'
            ? `trusted publishing: token ${e.n} minted (the previous one was ${mins(e.previousAgeMs ?? 0)} old)`
            : `trusted publishing: token ${e.n} minted (the registry refused the previous one as expired)`,
        'info',
      ];
    case 'token-mint-failed':
      return [`trusted publishing: minting token ${e.n} failed: ${e.error} — no new uploads start; re-run to resume`, 'warning'];
    case 'tokens-revoked':
      return [
        `trusted publishing: ${e.revoked} token${e.revoked === 1 ? '' : 's'} revoked${e.gone ? `, ${e.gone} already expired` : ''}` +
          (e.failed.length ? `; could not revoke ${e.failed.length} (they expire by themselves within 30 min): ${e.failed.join('; ')}` : ''),
        e.failed.length ? 'warning' : 'info',
      ];
  }
}

/** Whether uploads use trusted-publishing tokens: always, or (auto) when the job can ask for an OIDC token and the registry's token is not set. */
function usesTrustedPublishing(mode: TrustedPublishingMode = 'auto', registry: ResolvedRegistry, env: NodeJS.ProcessEnv): boolean {
  return mode === 'always' || (mode === 'auto' && !registry.token && !!oidcFromEnv(env));
}

/** The workspace's publish plan, checked against what the registry says (registry-checks.ts). */
function checkWorkspaceAtRegistry(
  plan: PublishPlan,
  o: Pick<PublishReleaseOptions, 'ownerTeam'>,
  api: RegistryApi,
  registry: ResolvedRegistry,
  c: { trustedPublishing: boolean; rateLimits: RateLimitModel | undefined },
): Promise<RegistryCheckResult> {
  return checkRegistry({
    crates: plan.crates,
    api,
    registryName: registry.name,
    tokenEnvVar: registry.tokenEnvVar,
    ownerTeam: o.ownerTeam,
    ...c,
  });
}

export async function publishRelease(o: PublishReleaseOptions): Promise<PublishReleaseResult> {
  const env = o.env ?? process.env;
  const notice = o.onNotice ?? (() => undefined);
  const registry = resolveRegistry({ name: o.registry, cwd: o.workspaceRoot, env });
  const oidc = oidcFromEnv(env);
  const trusted = usesTrustedPublishing(o.trustedPublishing, registry, env);
  if (trusted && !oidc && !o.dryRun) {
    throw new TrustedPublishingError(
      `trusted publishing needs ${OIDC_URL_VAR} and ${OIDC_TOKEN_VAR}: run publish in a GitHub Actions job with \`permissions: id-token: write\`, or set ${registry.tokenEnvVar} and --trustedPublishing=never`,
    );
  }
  // No token at all: publishWorkspace says which variable to set.
  if (!trusted && !registry.token && !o.dryRun) return publishWorkspace(o);

  const model: RateLimitModel | undefined =
    o.rateLimits === 'none' || o.rateLimits === undefined ? undefined : o.rateLimits === 'crates-io' ? CRATES_IO_RATE_LIMITS : o.rateLimits;
  // Nothing to ask the registry without trusted publishing, an owner team or limits: no round trips before the first upload.
  if (!trusted && !o.ownerTeam && !model) return publishWorkspace(o);
  let connection: KnownWorkspace['connection'] | undefined;
  try {
    connection = await connectForPublish(registry, o);
  } catch (e) {
    if (!o.dryRun) throw e;
  }
  let known: KnownWorkspace | undefined;
  if (connection) {
    // Planned and connected once: publishWorkspace goes on from here.
    known = { plan: planWorkspace(o.workspaceRoot, o.crateList, o.crateRoots), connection };
    // Every check that asks the registry, before the first upload.
    const checks = await checkWorkspaceAtRegistry(known.plan, o, connection.api, registry, { trustedPublishing: trusted, rateLimits: model });
    notice(checks.ratePlan, 'info');
    for (const w of checks.warnings) notice(w, 'warning');
    if (checks.problems.length > 0) {
      if (!o.dryRun) throw new PublishPreflightError(checks.problems);
      for (const line of new PublishPreflightError(checks.problems).message.split('\n').slice(1, -1))
        notice(`publish would stop:${line.replace(/^\s*-/, '')}`, 'warning');
    }
  }
  if (!trusted) return publishWorkspace(o, known);
  if (o.dryRun) {
    notice(`trusted publishing: would mint tokens through ${OIDC_URL_VAR} (${registry.tokenEnvVar} is not set)`, 'info');
    return publishWorkspace(o, known);
  }

  const tokens = new TrustedPublishingTokens({
    apiBase: connection!.api.base,
    registryName: registry.name,
    oidc: oidc!,
    renewAfterMs: o.renewTokenAfterMs,
    http: publishHttp(o),
    onEvent: (e) => notice(...describe(e, o.renewTokenAfterMs ?? tokens.renewAfterMs)),
  });
  o.onTrustedPublishing?.(tokens);
  let revoked = { revoked: 0, gone: 0, failed: [] as string[] };
  try {
    // The first token before anything else: a refused JWT stops the run with nothing uploaded.
    await tokens.start();
    const result = await publishWorkspace({ ...o, tokens }, known);
    revoked = await tokens.revokeAll();
    return {
      ...result,
      trustedPublishing: { minted: tokens.minted, revoked: revoked.revoked, gone: revoked.gone, revokeFailed: revoked.failed, lastError: tokens.lastError },
    };
  } catch (e) {
    await tokens.revokeAll();
    if (e instanceof RegistryTokenError) {
      // Nothing was uploaded: either no new token could be minted, or the registry refused a fresh one.
      throw new TrustedPublishingError(
        tokens.lastError
          ? `${tokens.lastError}; nothing was uploaded — re-run publish once that is fixed`
          : `registry \`${registry.name}\` refused a freshly minted trusted-publishing token (${e.detail}) — check that each crate's trusted publisher names this repository, workflow and environment; nothing was uploaded`,
      );
    }
    throw e;
  }
}

export interface RegistryPreflightOptions {
  workspaceRoot: string;
  /** cargo's `--registry NAME`; undefined = cargo's default (crates.io). */
  registry?: string;
  crateList?: string | false;
  crateRoots?: string[];
  ownerTeam?: string;
  trustedPublishing?: TrustedPublishingMode;
  env?: NodeJS.ProcessEnv;
  http?: HttpOptions;
}

/**
 * The registry checks `publish` starts with, on their own (`verify --registryChecks`):
 * what the registry says about the crates to upload, with trusted publishing assumed
 * as publish would choose it.
 */
export async function registryPreflight(o: RegistryPreflightOptions): Promise<RegistryCheckResult & { registryName: string; trustedPublishing: boolean }> {
  const env = o.env ?? process.env;
  const registry = resolveRegistry({ name: o.registry, cwd: o.workspaceRoot, env });
  const trusted = usesTrustedPublishing(o.trustedPublishing, registry, env);
  const { api } = await connectRegistry(registry, { timeoutMs: 15_000, attempts: 3, backoffMs: 300, ...o.http });
  const checks = await checkWorkspaceAtRegistry(planWorkspace(o.workspaceRoot, o.crateList, o.crateRoots), o, api, registry, {
    trustedPublishing: trusted,
    rateLimits: registry.isCratesIo ? CRATES_IO_RATE_LIMITS : undefined,
  });
  return { ...checks, registryName: registry.name, trustedPublishing: trusted };
}
