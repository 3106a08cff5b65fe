// Test-only: a copy of the sample workspace with three release branches, as a
// security release finds it. Not an entry point of the built plugin.
import { copySample, git, initRepoWithOrigin, installPlugin } from '@crate-train/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files of the sample that carry the versions (5.0.0, cranelift 0.92.0, winch 0.3.0). */
const VERSIONED = [
  'Cargo.toml',
  'Cargo.lock',
  'crates/environ/Cargo.toml',
  'crates/cli-flags/Cargo.toml',
  'crates/c-api/Cargo.toml',
  'crates/c-api/include/wasmtime.h',
  'cranelift/codegen/Cargo.toml',
  'cranelift/codegen/meta/Cargo.toml',
  'cranelift/entity/Cargo.toml',
  'winch/codegen/Cargo.toml',
];

/** Rewrites the sample's 5.0.0 line to `major`.0.0 consistently (cranelift 0.(87+major).0, winch 0.(major-2).0). */
export function retarget(dir: string, major: number): void {
  for (const rel of VERSIONED) {
    const file = join(dir, rel);
    const text = readFileSync(file, 'utf8')
      .replace(/(["=])5\.0\.0"/g, `$1${major}.0.0"`)
      .replace(/(["=])0\.92\.0"/g, `$1${`0.${87 + major}.0`}"`)
      .replace(/(["=])0\.3\.0"/g, `$1${`0.${major - 2}.0`}"`)
      .replace(/WASMTIME_VERSION_MAJOR 5\b/, `WASMTIME_VERSION_MAJOR ${major}`);
    writeFileSync(file, text);
  }
}

const RULE = '-'.repeat(80);

export function releasesMd(major: number, date: string, patchNote?: { note: string; link: string }): string {
  const patch = patchNote ? `${RULE}\n\n## ${major}.0.1\n\nUnreleased.\n\n### Fixed\n\n* ${patchNote.note}\n  ${patchNote.link}\n\n` : '';
  return `${patch}${RULE}\n\n## ${major}.0.0\n\nReleased ${date}.\n\n### Added\n\n* Release ${major}.0.0 of the sample.\n\n`;
}

export interface ThreeBranches {
  dir: string;
  origin: string;
}

/** Release dates that make 3.0.0, 4.0.0 and 5.0.0 all supported on TODAY (3.0.0 on its last day). */
export const BRANCH_DATES: Record<number, string> = { 3: '2023-01-25', 4: '2023-02-20', 5: '2023-03-20' };
export const TODAY = '2023-03-25';

/**
 * The sample (plugin installed when `plugin` is set) on main at 6.0.0, with
 * release-3.0.0, release-4.0.0 and release-5.0.0 pushed to a bare origin, each
 * with its release date in RELEASES.md.
 */
export async function sampleWithThreeReleaseBranches(opts: { plugin?: boolean; pluginOptions?: object } = {}): Promise<ThreeBranches> {
  const dir = copySample();
  // The settings are on every branch, as when crate-train was set up before the cuts.
  if (opts.plugin) await installPlugin(dir, opts.pluginOptions);
  else if (opts.pluginOptions)
    writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: opts.pluginOptions }] }, null, 2) + '\n');
  const { origin } = await initRepoWithOrigin(dir);
  for (const major of [3, 4, 5]) {
    await git(dir, 'switch', '-q', '-c', `release-${major}.0.0`, 'main');
    retarget(dir, major);
    writeFileSync(join(dir, 'RELEASES.md'), releasesMd(major, BRANCH_DATES[major]));
    await git(dir, 'commit', '-q', '-am', `Wasmtime ${major}.0.0`);
    await git(dir, 'push', '-q', 'origin', `release-${major}.0.0`);
  }
  await git(dir, 'switch', '-q', 'main');
  retarget(dir, 6);
  await git(dir, 'commit', '-q', '-am', 'Bump Wasmtime to 6.0.0');
  await git(dir, 'push', '-q', 'origin', 'main');
  return { dir, origin };
}

/**
 * Every path under `prefix` in any commit reachable from any ref of a (bare)
 * repository (history included, not just the tips), as `ref-or-object path`.
 */
export async function pathsInAnyRef(repo: string, prefix: string): Promise<string[]> {
  const hits = new Set<string>();
  const refs = (await git(repo, 'for-each-ref', '--format=%(refname)')).split('\n').filter(Boolean);
  for (const ref of refs) {
    for (const f of (await git(repo, 'ls-tree', '-r', '--name-only', ref)).split('\n')) if (f.startsWith(prefix)) hits.add(`${ref}:${f}`);
  }
  if (refs.length) {
    for (const line of (await git(repo, 'rev-list', '--all', '--objects')).split('\n')) {
      const path = line.slice(41);
      if (path === prefix.replace(/\/$/, '') || path.startsWith(prefix)) hits.add(`history:${path}`);
    }
  }
  return [...hits];
}

export const FIX_MESSAGE = 'Fix the out-of-bounds write in table.grow';

/**
 * Release day, before the version bumps: each branch's private fix is merged
 * into it on the remote, with the RELEASES.md section the advisory prepared
 * for that branch (pasted as is), and the advisory then requires that fix.
 */
export async function mergeFixes(dir: string, id: string): Promise<void> {
  const planFile = join(dir, 'security', id, 'advisory.json');
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { branches: Array<{ branch: string; requiredCommits: string[] }> };
  for (const b of plan.branches) {
    const notes = readFileSync(join(dir, 'security', id, 'branches', `${b.branch}.md`), 'utf8');
    const section = /```markdown\n([\s\S]*?)```/.exec(notes)![1];
    await git(dir, 'switch', '-q', '-c', `fix/${b.branch}`, `origin/${b.branch}`);
    writeFileSync(join(dir, 'RELEASES.md'), section + readFileSync(join(dir, 'RELEASES.md'), 'utf8'));
    const lib = join(dir, 'crates/wasmtime/src/lib.rs');
    writeFileSync(lib, readFileSync(lib, 'utf8') + '\n// bounds-checked table.grow\n');
    await git(dir, 'commit', '-q', '-am', `${FIX_MESSAGE} (${b.branch})`);
    await git(dir, 'push', '-q', 'origin', `fix/${b.branch}:${b.branch}`);
    b.requiredCommits = [FIX_MESSAGE];
  }
  await git(dir, 'switch', '-q', 'main');
  writeFileSync(planFile, JSON.stringify(plan, null, 2) + '\n');
}
