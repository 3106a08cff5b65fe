// Runs the local registry until interrupted:
//   node tools/build/run-ts.mjs tools/local-registry/src/cli.ts --port 0 --dir DIR \
//     [--token T] [--index-delay-ms N] [--rate-scale F | --no-rate-limit] \
//     [--fault-rate R --fault-seed S] [--cargo-home DIR] [--log]
// Prints one JSON line: {"url","indexUrl","storageDir","cargoHome"?}. The token is
// written to DIR/users.json (never printed).
import { parseArgs } from 'node:util';
import { startLocalRegistry } from './server';
import { writeCargoConfig } from './cargo-config';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      dir: { type: 'string' },
      token: { type: 'string' },
      'index-delay-ms': { type: 'string', default: '0' },
      'rate-scale': { type: 'string', default: '1' },
      'no-rate-limit': { type: 'boolean', default: false },
      'fault-rate': { type: 'string', default: '0' },
      'fault-seed': { type: 'string', default: '1' },
      'cargo-home': { type: 'string' },
      log: { type: 'boolean', default: false },
    },
  });
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${JSON.stringify(v)}`);
    return n;
  };
  const faultRate = num('fault-rate', values['fault-rate']);
  const registry = await startLocalRegistry({
    dir: values.dir,
    port: num('port', values.port),
    token: values.token ?? process.env.LOCAL_REGISTRY_TOKEN,
    indexDelayMs: num('index-delay-ms', values['index-delay-ms']),
    rateLimit: values['no-rate-limit'] ? false : { scale: num('rate-scale', values['rate-scale']) },
    faults: faultRate > 0 ? { rate: faultRate, seed: num('fault-seed', values['fault-seed']) } : undefined,
    log: values.log ? (line) => process.stderr.write(line + '\n') : undefined,
  });
  const cargoHome = values['cargo-home'] ? writeCargoConfig(registry, { cargoHome: values['cargo-home'] }).cargoHome : undefined;
  process.stdout.write(JSON.stringify({ url: registry.url, indexUrl: registry.indexUrl, storageDir: registry.storageDir, cargoHome }) + '\n');
  const stop = () => void registry.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  process.stderr.write(`local-registry: ${e.message}\n`);
  process.exit(1);
});
