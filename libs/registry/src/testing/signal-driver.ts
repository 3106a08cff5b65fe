// Publishes a workspace as its own process, with SIGINT/SIGTERM wired the way the
// publish executor wires them (abortOnSignals): the interruption test sends it a real
// signal, as a Ctrl-C in a terminal or a cancelled CI job would. Prints each event
// line, cargo's lines as `    [crate] line`, and the summary; exits 0 when every
// crate is on the registry, 130 when interrupted, 1 otherwise, 2 on an error.
//   node <bundle of this file> --root DIR --registry NAME [--concurrency N] [--poll-ms N] [--uploader direct|cargo]
import { parseArgs } from 'node:util';
import { abortOnSignals, formatEvent, formatSummary, publishWorkspace } from '../index';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      registry: { type: 'string' },
      concurrency: { type: 'string', default: '2' },
      'poll-ms': { type: 'string', default: '50' },
      uploader: { type: 'string', default: 'direct' },
    },
  });
  if (!values.root) throw new Error('--root is required');
  const interrupt = abortOnSignals();
  try {
    const { report } = await publishWorkspace({
      workspaceRoot: values.root,
      registry: values.registry,
      concurrency: Number(values.concurrency),
      pollIntervalMs: Number(values['poll-ms']),
      backoffMs: 100,
      rateLimits: 'none',
      uploader: values.uploader === 'cargo' ? 'cargo' : 'direct',
      signal: interrupt.signal,
      onEvent: (e) => {
        const line = formatEvent(e);
        if (line) process.stdout.write(`${line}\n`);
      },
      onCargoOutput: (crate, line) => process.stdout.write(`    [${crate}] ${line}\n`),
    });
    process.stdout.write(`${formatSummary(report)}\n`);
    return report.ok ? 0 : report.stopped?.reason === 'interrupted' ? 130 : 1;
  } finally {
    interrupt.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  },
);
