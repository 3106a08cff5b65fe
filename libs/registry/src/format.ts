// What a person reads while crates publish: one line per event (progress n/M, who
// waits on whom, rate-limit waits with their end time), the plan of a dry run, and
// the summary table at the end.
import type { PublishPlan } from './plan';
import type { CrateResult, PublishEvent, PublishReport } from './scheduler';

const clock = (t: number) => new Date(t).toISOString().slice(11, 23) + 'Z';
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const list = (xs: string[], max = 8) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`);
const ACTION = { 'publish-new': 'new crates', 'publish-update': 'new versions' } as const;
/** `12.3 s` under a minute, `2 min 5 s` / `30 min` above. */
const dur = (ms: number) => {
  if (ms < 60_000) return secs(ms);
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m} min ${s} s` : `${m} min`;
};

/** One human line per event (undefined for events not worth a line). */
export function formatEvent(e: PublishEvent, now = Date.now()): string | undefined {
  switch (e.type) {
    case 'leftover':
      return `waiting for cargo publish left running by an interrupted run: ${e.uploads.map((u) => `${u.key} (pid ${u.pid})`).join(', ')}`;
    case 'status':
      return `registry has ${e.published.length} of ${e.published.length + e.toUpload.length + e.unknown.length} versions already; ${e.toUpload.length} to upload${e.unknown.length ? `; could not ask about ${list(e.unknown)}` : ''}`;
    case 'preflight':
      return `packaging and checking the ${e.crates.length} crate${e.crates.length === 1 ? '' : 's'} to upload before the first upload (cargo package)`;
    case 'planned': {
      const limits = Object.entries(e.limits ?? {})
        .map(([a, r]) => `${ACTION[a as keyof typeof ACTION]} ${r.burst}, then 1 per ${dur(r.periodMs)}`)
        .join('; ');
      return (
        `planned finish ${clock(e.at)} (in ${dur(e.finishMs)}) for ${e.uploads} upload${e.uploads === 1 ? '' : 's'}` +
        ` at ${limits ? `the registry's limits (${limits})` : 'no known rate limit'}, if the index shows each version ${secs(e.indexDelayMs)} after its upload:` +
        ` rate limits alone ${dur(e.rateFloorMs)}, ${e.waves} wave${e.waves === 1 ? '' : 's'} of dependencies alone ${dur(e.pathMs)}`
      );
    }
    case 'preflight-ok':
      return `  all ${e.crates.length} package (${secs(e.ms)}); uploading`;
    case 'still-waiting': {
      const who = `  ${e.crate}${e.version ? ` ${e.version}` : ''}`;
      const left = (t: number | undefined) => (t === undefined ? '' : ` at ${clock(t)} (in ${secs(Math.max(0, t - now))})`);
      switch (e.on) {
        case 'index':
          return `${who}: waiting for the index for ${dur(e.elapsedMs)}${e.timeoutMs !== undefined ? ` (gives up after ${dur(e.timeoutMs)})` : ''}`;
        case 'upload':
          return `${who}: ${e.via === 'direct' ? 'upload' : 'cargo publish'} running for ${dur(e.elapsedMs)}${e.timeoutMs !== undefined ? ` (stopped after ${dur(e.timeoutMs)})` : ''}`;
        case 'retry':
          return `${who}: waiting to retry for ${dur(e.elapsedMs)}; attempt ${e.attempt}${e.maxAttempts ? ` of ${e.maxAttempts}` : ''}${left(e.until)}`;
        case 'rate-limit':
          return `${who}: waiting for the rate limit for ${dur(e.elapsedMs)}; next upload${left(e.until)}`;
        case 'leftover':
          return `${who}: waiting for the cargo publish an interrupted run left running, for ${dur(e.elapsedMs)}${e.timeoutMs !== undefined ? ` (gives up after ${dur(e.timeoutMs)})` : ''}`;
      }
      return undefined;
    }
    case 'interrupted':
      return `interrupted (${e.reason}): no new uploads start${e.inFlight.length ? `; waiting for ${list(e.inFlight)} in flight` : ''}`;
    case 'token-rejected':
      return `registry \`${e.registry}\` rejected the token in ${e.envVar} (${e.detail}): no new uploads start${e.inFlight.length ? `; waiting for ${list(e.inFlight)} in flight` : ''}`;
    case 'waiting':
      return `  ${e.crate} waits on ${list(e.on)}`;
    case 'upload-start':
      return `  -> ${e.crate} ${e.version}: ${e.via === 'direct' ? 'upload' : 'cargo publish'}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'uploaded':
      return `[${e.n}/${e.total}] uploaded ${e.crate} ${e.version} (${secs(e.ms)})${e.note ? ` — ${e.note}` : ''}; waiting for the index`;
    case 'visible': {
      if (e.alreadyPublished && e.unblocked.length === 0) return undefined;
      const parts = [`  ${e.crate} ${e.version} is in the index${e.afterMs ? ` after ${secs(e.afterMs)}` : ''}`];
      if (e.unblocked.length) parts.push(`ready now: ${list(e.unblocked)}`);
      for (const w of e.stillWaiting.slice(0, 4)) parts.push(`${w.crate} still waits on ${list(w.on, 4)}`);
      return parts.join('; ');
    }
    case 'rate-limit-wait':
      return `rate limit (${ACTION[e.action]})${e.fromRegistry ? ', registry answered 429' : ''}: next upload at ${clock(e.until)} (in ${secs(Math.max(0, e.until - now))}); waiting: ${list(e.crates)}`;
    case 'retry':
      return `  ${e.crate}: ${e.reason} — retrying at ${clock(e.at)}`;
    case 'failed':
      return `FAILED ${e.crate}: ${e.error}`;
    case 'skipped':
      return `skipped ${e.crate}: ${e.because}`;
    case 'owner':
      return `  ${e.crate}: owner ${e.login} added`;
    case 'owner-failed':
      return `FAILED to add owner ${e.login} to ${e.crate}: ${e.error}`;
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const OUTCOME: Record<CrateResult['outcome'], string> = {
  published: 'published',
  'already-published': 'already there',
  'would-publish': 'would upload',
  failed: 'FAILED',
  skipped: 'skipped',
};

/** The plan of a dry run: order by waves, what is there, what would upload. */
export function formatPlan(plan: PublishPlan, report: PublishReport): string {
  const byName = new Map(report.crates.map((r) => [r.name, r]));
  const lines: string[] = [];
  lines.push(`publish plan: ${plan.crates.length} crates in ${plan.waves.length} waves (a crate uploads once all its dependencies are in the index)`);
  plan.waves.forEach((w, i) => {
    lines.push(`wave ${i}:`);
    for (const n of w) {
      const c = plan.crates.find((x) => x.name === n)!;
      const r = byName.get(n)!;
      const state = r.outcome === 'already-published' ? 'already published' : `would upload${r.isNew ? ' (new crate)' : ''}`;
      lines.push(`  ${n} ${c.version} — ${state}${c.deps.length ? `; after ${list(c.deps, 5)}` : ''}${r.note ? ` (${r.note})` : ''}`);
    }
  });
  const would = report.crates.filter((r) => r.outcome === 'would-publish');
  lines.push(`order: ${plan.crates.map((c) => c.name).join(', ')}`);
  lines.push(
    `${report.alreadyPublished.length} already published, ${would.length} would upload${
      would.length
        ? `: ${list(
            would.map((r) => r.name),
            20,
          )}`
        : ''
    }`,
  );
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** The summary table after a real run. */
export function formatSummary(report: PublishReport): string {
  const rows = [['crate', 'version', 'wave', 'result', 'tries', 'uploaded', 'in index', 'note']];
  for (const r of report.crates) {
    rows.push([
      r.name,
      r.version,
      String(r.wave),
      OUTCOME[r.outcome] + (r.owner?.result === 'added' ? ' +owner' : r.owner?.result === 'failed' ? ' owner FAILED' : ''),
      String(r.attempts),
      r.uploadedAt !== undefined ? secs(r.uploadedAt) : '',
      r.visibleAt !== undefined ? secs(r.visibleAt) : '',
      (r.error ?? r.owner?.error ?? r.note ?? '').slice(0, 120),
    ]);
  }
  const lines = [table(rows), ''];
  const notStarted = report.stopped?.notStarted ?? [];
  const skipped = report.skipped.filter((n) => !notStarted.includes(n));
  lines.push(
    `${report.uploaded.length} uploaded, ${report.alreadyPublished.length} already published, ${report.failed.length} failed, ${skipped.length} skipped${notStarted.length ? `, ${notStarted.length} not started` : ''}, in ${secs(report.wallMs)}`,
  );
  if (report.failed.length) lines.push(`failed: ${report.failed.join(', ')}`);
  if (skipped.length) lines.push(`skipped (a dependency failed): ${skipped.join(', ')}`);
  if (report.stopped) {
    const s = report.stopped;
    lines.push(
      s.reason === 'interrupted'
        ? `interrupted (${s.message}): no upload started after that; the uploads in flight finished`
        : `stopped: ${s.message.replace(/; nothing was uploaded$/, '')}`,
    );
    lines.push(`uploaded in this run: ${report.uploaded.length ? list(report.uploaded, 40) : 'nothing'}`);
    if (notStarted.length) lines.push(`not started: ${list(notStarted, 40)}`);
    lines.push('re-run to resume: versions already on the registry are skipped');
  }
  return lines.join('\n');
}

/** The --json document. */
export function reportJson(plan: PublishPlan, report: PublishReport, registry: { toJSON(): unknown }): unknown {
  return {
    registry: registry.toJSON(),
    dryRun: report.dryRun,
    ok: report.ok,
    wallMs: report.wallMs,
    order: plan.crates.map((c) => c.name),
    waves: plan.waves,
    warnings: plan.warnings,
    crates: report.crates,
    uploaded: report.uploaded,
    alreadyPublished: report.alreadyPublished,
    failed: report.failed,
    skipped: report.skipped,
    ...(report.stopped ? { stopped: report.stopped } : {}),
  };
}
