// `npm run demo`: node tools/build/run-ts.mjs tools/demo/src/main.ts [--quiet] [--keep|--no-keep] [--dir=PATH]
import { join } from 'node:path';
import { REPO_ROOT } from '@crate-train/testing';
import { runDemo } from './demo';

const USAGE = `usage: npm run demo -- [--quiet] [--keep | --no-keep] [--dir=PATH]
  --quiet     only step headings, checked outcomes and the summary (no command output)
  --keep      keep the demo directory afterwards (the default; it is wiped at the next start)
  --no-keep   remove it after a successful run (a failed run always keeps it)
  --dir=PATH  where to make everything (default: tmp/demo in this repository)`;

async function main(argv: string[]): Promise<number> {
  let quiet = false;
  let keep = true;
  let dir = join(REPO_ROOT, 'tmp', 'demo');
  for (const a of argv) {
    if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--keep') keep = true;
    else if (a === '--no-keep') keep = false;
    else if (a.startsWith('--dir=')) dir = a.slice('--dir='.length);
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else {
      console.error(`unknown argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  const result = await runDemo({ dir, quiet, keep, cwd: process.cwd() });
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
