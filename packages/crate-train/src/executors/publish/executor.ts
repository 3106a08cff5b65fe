import type { ExecutorContext } from '@nx/devkit';
import {
  abortOnSignals,
  CRATES_IO_RATE_LIMITS,
  formatEvent,
  formatPlan,
  formatSummary,
  publishRelease,
  reportJson,
  resolveRegistry,
  scaleRateLimits,
  type RateLimitModel,
} from '@crate-train/registry';
import { pluginOptionsIn, type CrateTrainOptions } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import type { PublishExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/**
 * `nx run release:publish [--dry-run] [--concurrency=N] [--registry=NAME] [--json]`:
 * publish every crate of CRATES_TO_PUBLISH, resumably. Exit non-zero listing the
 * crates that failed (and those skipped because a dependency failed).
 */
export default async function runExecutor(options: PublishExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('publish', options, schema, context)) return { success: false };
  // Whatever we print goes through redact() with the token, belt and braces.
  let secrets: string[] = [];
  // Trusted publishing adds each JWT and minted token as it appears.
  let minted: { secrets(): string[] } | undefined;
  const { out, err } = executorOutput(() => (minted ? [...secrets, ...minted.secrets()] : secrets));
  let plugin: CrateTrainOptions;
  try {
    plugin = pluginOptionsIn(context.nxJsonConfiguration, context.root);
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return { success: false };
  }
  const registryName = options.registry ?? plugin.registry;
  try {
    const t = resolveRegistry({ name: registryName, cwd: context.root }).token;
    if (t) secrets = [t];
  } catch {
    /* reported below by publishWorkspace with its full message */
  }

  let rateLimits: RateLimitModel | 'crates-io' | 'none' | undefined;
  if (options.rateLimits === 'none') rateLimits = 'none';
  else if (options.rateLimitScale) rateLimits = scaleRateLimits(CRATES_IO_RATE_LIMITS, options.rateLimitScale);
  else if (options.rateLimits === 'crates-io') rateLimits = 'crates-io';

  // Ctrl-C / SIGTERM: no new uploads start, those in flight finish, the summary says what to re-run.
  const interrupt = abortOnSignals({
    onSignal: (sig, n) => {
      if (n > 1) err(`${sig} again: stopping now; the next run waits for any cargo publish left running`);
    },
  });
  try {
    const { plan, report, registry, trustedPublishing } = await publishRelease({
      workspaceRoot: context.root,
      registry: registryName,
      crateList: plugin.crateList,
      crateRoots: plugin.crateRoots,
      dryRun: options.dryRun === true,
      concurrency: options.concurrency,
      pollIntervalMs: options.pollIntervalMs,
      rateLimits,
      ownerTeam: options.ownerTeam ?? plugin.ownerTeam,
      allowDirty: options.allowDirty,
      uploader: options.uploader,
      maxAttempts: options.maxAttempts,
      backoffMs: options.backoffMs,
      cargoHttpTimeoutSecs: options.cargoHttpTimeout,
      cargoTimeoutMs: options.cargoTimeoutMs,
      visibilityTimeoutMs: options.visibilityTimeoutMs,
      progressIntervalMs: options.progressIntervalMs,
      signal: interrupt.signal,
      trustedPublishing: options.trustedPublishing,
      renewTokenAfterMs: options.renewTokenAfterMs,
      maxCrateBytes: options.maxCrateBytes,
      onTrustedPublishing: (tokens) => (minted = tokens),
      onNotice: (line, level) => {
        if (level === 'warning') err(`warning: ${line}`);
        else if (!options.json) out(line);
      },
      onEvent: (e) => {
        if (options.json) return;
        const line = formatEvent(e);
        if (line) out(line);
      },
      onCargoOutput: options.verbose && !options.json ? (crate, line) => out(`    [${crate}] ${line}`) : undefined,
    });
    if (options.json) {
      out(JSON.stringify(reportJson(plan, report, registry), null, 2));
    } else {
      out(`registry: ${registry.name} (${registry.indexUrl})`);
      out(report.dryRun ? formatPlan(plan, report) : formatSummary(report));
      for (const w of plan.warnings) if (!report.dryRun) err(`warning: ${w}`);
    }
    if (!report.ok) {
      const stopped = report.stopped;
      err(
        stopped
          ? `error: ${stopped.reason === 'interrupted' ? `interrupted (${stopped.message})` : trustedPublishing?.lastError ? 'no new trusted-publishing token could be minted' : 'the registry rejected the token'}: ${report.uploaded.length} uploaded, ${stopped.notStarted.length} not started — re-run to resume; crates already published are skipped`
          : `error: publishing failed for ${[...report.failed, ...report.skipped].join(', ')} — fix the cause and run again; crates already published are skipped`,
      );
    }
    if (trustedPublishing?.lastError) err(`error: trusted publishing: ${trustedPublishing.lastError}`);
    return { success: report.ok };
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return { success: false };
  } finally {
    interrupt.dispose();
  }
}
