// The run's report: each crate's result, and the lists a summary needs.
import type { PublishReport } from '../scheduler';
import type { RunContext } from './run-context';

export type StopReason = NonNullable<PublishReport['stopped']>['reason'];

export function publishReport(ctx: RunContext, stopped: PublishReport['stopped']): PublishReport {
  const { dryRun, plan } = ctx.options;
  const crates = ctx.crates.map((e) => e.result);
  const failed = crates.filter((r) => r.outcome === 'failed' || r.owner?.result === 'failed').map((r) => r.name);
  const skipped = crates.filter((r) => r.outcome === 'skipped').map((r) => r.name);
  return {
    ...(stopped ? { stopped } : {}),
    dryRun: !!dryRun,
    wallMs: ctx.elapsed(),
    crates,
    waves: plan.waves,
    warnings: plan.warnings,
    uploaded: crates.filter((r) => r.outcome === 'published').map((r) => r.name),
    alreadyPublished: crates.filter((r) => r.outcome === 'already-published').map((r) => r.name),
    failed,
    skipped,
    ok:
      !stopped &&
      failed.length === 0 &&
      skipped.length === 0 &&
      (dryRun || crates.every((r) => r.outcome === 'published' || r.outcome === 'already-published')),
  };
}

/** Ends the run early: every crate that has not started is skipped, left for a re-run. */
export function stopRun(ctx: RunContext, reason: StopReason, message: string): NonNullable<PublishReport['stopped']> {
  const notStarted: string[] = [];
  for (const entry of ctx.crates) {
    if (entry.state !== 'pending' && entry.state !== 'ready') continue;
    entry.state = 'skipped';
    entry.result.outcome = 'skipped';
    entry.result.error = reason === 'interrupted' ? 'not started: interrupted' : 'not started: the registry rejected the token';
    notStarted.push(entry.crate.name);
  }
  return { reason, message, notStarted };
}
