// afterAllProjectsVersioned: Cargo.lock follows the versions nx release wrote,
// offline. A workspace member's lock entry records only its name and version,
// so the rewrite is the one `release:bump` makes (libs/versions lockfileEdits):
// the same bytes, no `cargo update`, no network. Only when the lock was stale
// (a member without an entry at its old version) does cargo refresh it, still
// offline.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { applyEdits, lockfileEdits, planDiff, scanToml } from '@crate-train/versions';
import { changedCrates, forgetRelease, releaseRoots, releaseState } from './release-state';

interface AfterAllOptions {
  dryRun?: boolean;
  verbose?: boolean;
  rootVersionActionsOptions?: Record<string, unknown>;
}

export async function afterAllProjectsVersioned(cwd: string, opts: AfterAllOptions): Promise<{ changedFiles: string[]; deletedFiles: string[] }> {
  const changedFiles: string[] = [];
  const roots = releaseRoots();
  try {
    for (const root of roots) {
      const changes = changedCrates(root);
      const lockAbs = join(root, 'Cargo.lock');
      if (changes.size === 0 || !existsSync(lockAbs)) continue;
      const rel =
        root === cwd
          ? 'Cargo.lock'
          : join(root, 'Cargo.lock')
              .slice(cwd.length + 1)
              .replace(/\\/g, '/');
      const before = readFileSync(lockAbs, 'utf8');
      const planned = releaseState(root).written?.files.find((f) => f.path === 'Cargo.lock');
      const members = [...changes].map(([name, c]) => ({ name, ...c }));
      const { edits, rewritten } = lockfileEdits(scanToml(before, 'Cargo.lock'), members);
      const after = planned && planned.before === before ? planned.after : applyEdits(before, edits);
      const stale = members.map((m) => m.name).filter((n) => !rewritten.includes(n));
      if (opts.dryRun) {
        const diff = await planDiff([{ path: rel, before, after }]);
        if (diff) console.log(`Cargo.lock would change as follows (dry run: nothing written):\n${diff}`);
        if (stale.length)
          console.log(`Cargo.lock has no entry at the old version for ${stale.join(', ')}: \`cargo update --workspace --offline\` would refresh it`);
        continue;
      }
      if (after !== before) {
        const tmp = `${lockAbs}.crate-train-tmp`;
        writeFileSync(tmp, after);
        renameSync(tmp, lockAbs);
      }
      if (stale.length) await run('cargo', ['update', '--workspace', '--offline'], { cwd: root });
      if (after !== before || stale.length) changedFiles.push(rel);
    }
  } finally {
    for (const root of roots) forgetRelease(root);
  }
  return { changedFiles, deletedFiles: [] };
}
