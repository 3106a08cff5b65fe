#!/usr/bin/env node
// Runs a TypeScript file of this repo under plain Node: bundles it (libs and
// tools included, npm packages external) into dist/.run/ and executes it.
// Usage: node tools/build/run-ts.mjs tools/demo/src/main.ts [args...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/build/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
const outDir = join(root, 'dist', '.run');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, basename(entry).replace(/\.ts$/, '') + '-' + process.pid + '.cjs');
await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  packages: 'external',
  logLevel: 'warning',
  tsconfig: join(root, 'tsconfig.base.json'),
});
const r = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
rmSync(outfile, { force: true });
// A child killed by a signal has no status: exit as a shell would (128 + signal).
process.exit(r.status ?? (r.signal ? 128 + (os.constants.signals[r.signal] ?? 0) : 1));
