#!/usr/bin/env node
// `npm test`: every project's tests through Nx (the unit `test` targets and
// crate-train's `e2e`, which waits for the plugin build), then one closing line
// that sums them all ("N passed, N failed"). Exits non-zero if Nx or any test failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
rmSync(join(root, 'dist', 'test-results'), { recursive: true, force: true });
mkdirSync(join(root, 'dist', 'test-results'), { recursive: true });
// Type check, lint (module boundaries, plugin checks), formatting, every project's unit tests and
// crate-train's end-to-end tests (e2e, which depends on crate-train:build); each a cached Nx target.
const nx = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'),
    'run-many',
    '-t',
    'typecheck,lint,format-check,test,e2e',
    '--parallel=2',
    '--output-style=stream',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...process.env } },
);
const summary = spawnSync(process.execPath, [join(root, 'tools', 'build', 'test-summary.mjs')], { stdio: 'inherit' });
process.exit(nx.status !== 0 || summary.status !== 0 ? 1 : 0);
