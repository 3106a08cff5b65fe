// The dry-run's unified diff, made by git itself (`git diff --no-index` over
// two temp trees) rather than by a hand-written diff algorithm.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '@crate-train/proc';
import type { PlannedFile } from './plan';

/** A unified diff (paths `a/<file>` and `b/<file>`) of every planned file. Empty when nothing changes. */
export async function planDiff(files: readonly PlannedFile[]): Promise<string> {
  if (files.length === 0) return '';
  const dir = mkdtempSync(join(tmpdir(), 'crate-train-diff-'));
  try {
    for (const f of files) {
      for (const [side, text] of [
        ['a', f.before],
        ['b', f.after],
      ] as const) {
        const p = join(dir, side, f.path);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, text);
      }
    }
    // Empty prefixes + the folders named a and b give the usual a/<path> b/<path>;
    // the -c settings keep a user's git config from changing the format.
    const res = await run(
      'git',
      [
        '-c',
        'core.quotePath=false',
        '-c',
        'core.autocrlf=false',
        '-c',
        'diff.noprefix=false',
        '-c',
        'diff.mnemonicPrefix=false',
        '-c',
        'diff.renames=false',
        'diff',
        '--no-index',
        '--no-color',
        '--no-ext-diff',
        '--src-prefix=',
        '--dst-prefix=',
        'a',
        'b',
      ],
      { cwd: dir, reject: false },
    );
    if (res.exitCode !== 0 && res.exitCode !== 1) throw new Error(`git diff --no-index failed (exit ${res.exitCode}): ${res.stderr}`);
    return res.stdout + '\n';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
