// Usage: node tools/build/run-ts.mjs tools/synthetic/src/cli.ts <dir> --crates=1000 [--layers=10]
//        [--seed=1] [--name=synth] [--lockfile] [--force]
import { rmSync } from 'node:fs';
import { generateSyntheticWorkspace } from './generate';

function main(argv: string[]): void {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (const a of argv) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (m) flags.set(m[1], m[2] ?? 'true');
    else positional.push(a);
  }
  const known = new Set(['crates', 'layers', 'seed', 'name', 'lockfile', 'force']);
  const unknown = [...flags.keys()].filter((k) => !known.has(k));
  if (positional.length !== 1 || !flags.has('crates') || unknown.length > 0) {
    console.error(
      (unknown.length ? `unknown option(s): ${unknown.map((u) => '--' + u).join(', ')}\n` : '') +
        'usage: cli.ts <dir> --crates=N [--layers=N] [--seed=N] [--name=prefix] [--lockfile] [--force]',
    );
    process.exit(2);
  }
  const num = (k: string) => (flags.has(k) ? Number(flags.get(k)) : undefined);
  if (flags.has('force')) rmSync(positional[0], { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const info = generateSyntheticWorkspace(positional[0], {
    crates: num('crates')!,
    layers: num('layers'),
    seed: num('seed'),
    name: flags.get('name'),
    lockfile: flags.has('lockfile'),
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const byKind = (k: string) => info.edges.filter((e) => e.kind === k).length;
  console.log(
    `wrote ${info.dir}: ${info.crates.length} crates (root ${info.rootCrate}), ${info.layers.length - 1} layers, ` +
      `${info.edges.length} edges (normal ${byKind('normal')}, build ${byKind('build')}, dev ${byKind('dev')}), ` +
      `${info.publishOrder.length} published, ${info.publicCrates.length} public, in ${ms.toFixed(0)} ms`,
  );
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
