// `nx release version` with crate-train/version-actions, through real nx and the
// BUILT plugin on copies of the sample: the bytes must be release:bump's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { copySample, initRepoWithOrigin, installPlugin, runNx, tempDirs } from '@crate-train/testing';
import { snapshot } from '../testing/file-snapshot';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

/** nx.json's release section: every crate in one fixed group (Wasmtime's model). */
const RELEASE = {
  projects: ['*', '!release'],
  projectsRelationship: 'fixed',
  version: { versionActions: 'crate-train/version-actions' },
  changelog: { workspaceChangelog: false, projectChangelogs: false },
};

async function sampleWith(name: string, edit?: (dir: string) => void): Promise<string> {
  const dir = copySample(tmp.make(name));
  await installPlugin(dir);
  const nxFile = join(dir, 'nx.json');
  writeFileSync(nxFile, JSON.stringify({ ...JSON.parse(readFileSync(nxFile, 'utf8')), release: RELEASE }, null, 2) + '\n');
  edit?.(dir);
  await initRepoWithOrigin(dir);
  return dir;
}

// nx resolves versionActions from its own folder; installPlugin links nx to this
// repo's copy, so point Node at the workspace's node_modules as a real install would.
const nx = (dir: string, args: string[], reject = true) => runNx(dir, args, { reject, env: { NODE_PATH: join(dir, 'node_modules') } });

/** Files that differ between two snapshots (path list), ignoring nothing else. */
function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

describe('crate-train/version-actions through nx release', () => {
  it('nx release version major (--dry-run, then for real) leaves exactly the bytes of release:bump --kind=major, Cargo.lock included', async () => {
    const viaNx = await sampleWith('va-nx');
    const viaBump = await sampleWith('va-bump');
    const before = snapshot(viaNx);

    const dry = await nx(viaNx, ['release', 'version', 'major', '--dry-run']);
    expect(snapshot(viaNx)).toEqual(before);
    expect(dry.stdout).toContain('release version 5.0.0 -> 6.0.0');
    expect(dry.stdout).toMatch(/-version = "5\.0\.0"\n\+version = "6\.0\.0"/);
    // Cargo.lock's part of the dry run comes from afterAllProjectsVersioned.
    expect(dry.stdout).toContain('Cargo.lock would change as follows (dry run: nothing written)');
    expect(dry.stdout).toContain('+version = "0.93.0"');

    await nx(viaNx, ['release', 'version', 'major']);
    await runNx(viaBump, ['run', 'release:bump', '--kind=major']);
    const nxTree = snapshot(viaNx);
    const bumpTree = snapshot(viaBump);
    expect(differences(before, bumpTree)).toEqual(expect.arrayContaining(['Cargo.lock', 'Cargo.toml', 'cranelift/entity/Cargo.toml']));
    expect(differences(nxTree, bumpTree)).toEqual([]);
    await run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline', '--no-deps'], { cwd: viaNx });
  });

  it('a crate list rule broken: nx release version stops with release:bump\u2019s error and writes nothing', async () => {
    // An internal crate (not in PUBLIC_CRATES) required without `=`.
    const breakRule = (dir: string) => {
      const f = join(dir, 'Cargo.toml');
      writeFileSync(
        f,
        readFileSync(f, 'utf8').replace(
          'wasmtime-environ = { path = "crates/environ", version = "=5.0.0" }',
          'wasmtime-environ = { path = "crates/environ", version = "5.0.0" }',
        ),
      );
    };
    const dir = await sampleWith('va-rule', breakRule);
    const before = snapshot(dir);
    const viaNx = await nx(dir, ['release', 'version', 'major'], false);
    const viaBump = await runNx(dir, ['run', 'release:bump', '--kind=major'], { reject: false });
    expect(viaNx.exitCode).not.toBe(0);
    expect(viaBump.exitCode).not.toBe(0);
    const bumpOut = viaBump.stdout + viaBump.stderr;
    const nxOut = viaNx.stdout + viaNx.stderr;
    const problems = bumpOut.split('\n').filter((l) => l.startsWith('  - '));
    expect(problems.join('\n')).toContain('wasmtime-environ');
    expect(bumpOut).toContain('the bump was not applied (no file changed):');
    expect(nxOut).toContain('the bump was not applied (no file changed):');
    for (const p of problems) expect(nxOut).toContain(p);
    expect(snapshot(dir)).toEqual(before);
  });
});
