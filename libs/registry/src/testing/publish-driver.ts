// Runs crate-train's publish on a workspace from the command line, as its own process
// (the kill-and-resume test SIGKILLs it; the benchmark times it):
//   node tools/build/run-ts.mjs libs/registry/src/testing/publish-driver.ts --root DIR --registry local \
//     [--concurrency N] [--poll-ms N] [--rate-scale F] [--no-list] [--json] [--quiet] [--uploader direct|cargo]
// The token comes from the environment (CARGO_REGISTRIES_<NAME>_TOKEN), as in CI.
import { parseArgs } from 'node:util';
import { CRATES_IO_RATE_LIMITS, formatEvent, formatSummary, publishWorkspace, reportJson, scaleRateLimits } from '../index';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      registry: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      'poll-ms': { type: 'string', default: '250' },
      'rate-scale': { type: 'string' },
      'backoff-ms': { type: 'string' },
      'cargo-http-timeout': { type: 'string' },
      'net-retry': { type: 'string' },
      'max-attempts': { type: 'string' },
      'print-pid': { type: 'boolean', default: false },
      timestamps: { type: 'boolean', default: false },
      'owner-team': { type: 'string' },
      'no-list': { type: 'boolean', default: false },
      'allow-dirty': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      uploader: { type: 'string', default: 'direct' },
    },
  });
  if (!values.root) throw new Error('--root is required');
  const scale = values['rate-scale'] ? Number(values['rate-scale']) : undefined;
  const t0 = Date.now();
  const stamp = () => (values.timestamps ? `[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ` : '');
  if (values['print-pid']) process.stdout.write(`pid ${process.pid}\n`);
  const { plan, report, registry } = await publishWorkspace({
    workspaceRoot: values.root,
    registry: values.registry,
    crateList: values['no-list'] ? false : undefined,
    concurrency: Number(values.concurrency),
    pollIntervalMs: Number(values['poll-ms']),
    rateLimits: scale ? scaleRateLimits(CRATES_IO_RATE_LIMITS, scale) : 'none',
    backoffMs: values['backoff-ms'] ? Number(values['backoff-ms']) : undefined,
    cargoHttpTimeoutSecs: values['cargo-http-timeout'] ? Number(values['cargo-http-timeout']) : undefined,
    cargoNetRetry: values['net-retry'] ? Number(values['net-retry']) : undefined,
    maxAttempts: values['max-attempts'] ? Number(values['max-attempts']) : undefined,
    ownerTeam: values['owner-team'],
    allowDirty: values['allow-dirty'],
    uploader: values.uploader === 'cargo' ? 'cargo' : 'direct',
    onEvent: (e) => {
      if (values.quiet || values.json) return;
      const line = formatEvent(e);
      if (line) process.stdout.write(`${stamp()}${line}\n`);
    },
  });
  if (values.json) process.stdout.write(JSON.stringify(reportJson(plan, report, registry)) + '\n');
  else if (!values.quiet) process.stdout.write(formatSummary(report) + '\n');
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`publish-driver: ${e.message}\n`);
    process.exit(2);
  },
);
