// `nx release version` with crate-train/version-actions, through real nx and the
// BUILT plugin on copies of the sample: the bytes must be release:bump's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { startLocalRegistry, writeCargoConfig } from '@crate-train/local-registry';
import { copySample, git, GIT_ENV, initRepoWithOrigin, installPlugin, runNx, tempDirs } from '@crate-train/testing';
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

async function sampleWith(name: string, edit?: (dir: string) => void, pluginOptions?: object, release: object = RELEASE): Promise<string> {
  const dir = copySample(tmp.make(name));
  await installPlugin(dir, pluginOptions);
  setRelease(dir, release);
  edit?.(dir);
  await initRepoWithOrigin(dir);
  return dir;
}

function setRelease(dir: string, release: object): void {
  const nxFile = join(dir, 'nx.json');
  writeFileSync(nxFile, JSON.stringify({ ...JSON.parse(readFileSync(nxFile, 'utf8')), release }, null, 2) + '\n');
}

// nx resolves versionActions from its own folder; installPlugin links nx to this
// repo's copy, so point Node at the workspace's node_modules as a real install would.
const nx = (dir: string, args: string[], reject = true, env: Record<string, string> = {}) =>
  runNx(dir, args, { reject, env: { NODE_PATH: join(dir, 'node_modules'), ...env } });

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

  it('nx release publish runs crate-train\u2019s publisher once for the whole release; the registry resolver reads the sparse index', async () => {
    const registry = await startLocalRegistry({ dir: tmp.make('va-registry'), indexDelayMs: 100, rateLimit: false });
    try {
      const cargo = writeCargoConfig(registry, { cargoHome: tmp.make('va-cargo-home') });
      const env = { ...cargo.env, CARGO_NET_OFFLINE: 'false' };
      // The release project is in the group: it stands for the release and carries the one nx-release-publish target.
      const withRelease = { ...RELEASE, projects: ['*'] };
      const dir = await sampleWith('va-publish', undefined, { registry: 'local' }, withRelease);

      const first = await nx(dir, ['release', 'publish'], true, env);
      expect(first.stdout.match(/nx run [^\s]+:nx-release-publish/g)).toEqual(['nx run release:nx-release-publish']);
      expect(first.stdout).toMatch(/11 uploaded, 0 already published, 0 failed, 0 skipped/);
      expect(registry.uploads().size).toBe(11);

      // currentVersionResolver "registry": each crate's newest version in the local registry's index.
      setRelease(dir, { ...withRelease, version: { ...RELEASE.version, currentVersionResolver: 'registry' } });
      const fromRegistry = await nx(dir, ['release', 'version', 'patch', '--dry-run'], true, env);
      // A fixed group's version is the release's: the root package's newest version in the index.
      expect(fromRegistry.stdout).toMatch(
        /Resolved the current version as 5\.0\.0 from the remote registry: registry `local` \(index sparse\+http:\/\/127\.0\.0\.1:\d+\/index\/\), crate wasmtime-cli/,
      );
      expect(fromRegistry.stdout).toContain('release version 5.0.0 -> 5.0.1');

      setRelease(dir, withRelease);
      await nx(dir, ['release', 'version', 'patch'], true, env);
      const dry = await nx(dir, ['release', 'publish', '--dry-run'], true, env);
      expect(dry.stdout).toContain('5.0.1');
      expect(dry.stdout).toContain('0.92.1');
      expect(registry.uploads().size).toBe(11);
      expect(first.stdout + first.stderr + dry.stdout + dry.stderr).not.toContain(registry.token);
    } finally {
      await registry.stop();
    }
  });

  it('nx release major --skip-publish: versions, commits the files release:bump writes (Cargo.lock included) and tags v6.0.0', async () => {
    const viaNx = await sampleWith('va-release');
    const viaBump = await sampleWith('va-release-bump');
    await nx(viaNx, ['release', 'major', '--skip-publish'], true, { ...GIT_ENV });
    await runNx(viaBump, ['run', 'release:bump', '--kind=major']);
    expect(await git(viaNx, 'status', '--porcelain')).toBe('');
    expect(await git(viaNx, 'tag', '--points-at', 'HEAD')).toBe('v6.0.0');
    const committed = (await git(viaNx, 'show', '--name-only', '--format=', 'HEAD')).split('\n').sort();
    const bumped = (await git(viaBump, 'diff', '--name-only')).split('\n').sort();
    expect(committed).toEqual(bumped);
    expect(committed).toContain('Cargo.lock');
    expect(differences(snapshot(viaNx), snapshot(viaBump))).toEqual([]);
  });
});
