#!/usr/bin/env node
// Sums the Jest JSON reports under dist/test-results/ (one per project's `test`
// target, <project>.json, and crate-train's `e2e`, crate-train-e2e.json) and
// prints one plain closing line: "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'dist', 'test-results');
let passed = 0,
  failed = 0,
  skipped = 0,
  suitesFailed = 0;
const failures = [];
for (const f of existsSync(dir)
  ? readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()
  : []) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A suite that fails to load has no failed tests but must still count.
  for (const s of r.testResults ?? []) {
    if (s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed')) {
      suitesFailed++;
      failures.push(`${f.replace(/\.json$/, '')}: ${s.name} (suite failed to run)`);
    }
    for (const a of s.assertionResults ?? []) if (a.status === 'failed') failures.push(`${f.replace(/\.json$/, '')}: ${a.fullName}`);
  }
}
for (const line of failures) console.log(`FAILED ${line}`);
console.log(`Tests: ${passed} passed, ${failed + suitesFailed} failed, ${skipped} skipped`);
process.exit(failed + suitesFailed > 0 ? 1 : 0);
