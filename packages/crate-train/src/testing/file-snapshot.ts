// Test-only: every file of a workspace copy (minus node_modules, .git, .nx and
// target), to check that a run wrote exactly what it should, or nothing.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Relative path -> contents (latin1, so any bytes compare exactly). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (e === 'node_modules' || e === '.git' || e === '.nx' || e === 'target') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}
