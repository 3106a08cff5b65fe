#!/usr/bin/env node
// `npm test`: every project's tests through Nx, then one closing line that sums
// them ("N passed, N failed"). Exits non-zero if Nx or any test failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
rmSync(join(root, 'dist', 'test-results'), { recursive: true, force: true });
mkdirSync(join(root, 'dist', 'test-results'), { recursive: true });
// Type check, lint (module boundaries, plugin checks), formatting, then every project's tests; each a cached Nx target.
const nx = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'),
    'run-many',
    '-t',
    'typecheck,lint,format-check,test',
    '--parallel=2',
    '--output-style=stream',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...process.env } },
);
const summary = spawnSync(process.execPath, [join(root, 'tools', 'build', 'test-summary.mjs')], { stdio: 'inherit' });
process.exit(nx.status !== 0 || summary.status !== 0 ? 1 : 0);
