// Proves the harness end to end: the sample copies cleanly, git repos get a
// real bare origin, and the BUILT plugin installs into a workspace where real
// nx loads it.
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import {
  cargoMetadata,
  copySample,
  ensurePluginBuilt,
  git,
  initRepoWithOrigin,
  installPlugin,
  makeTempDir,
  REPO_ROOT,
  removeTempDirs,
  runNx,
  SAMPLE_CRATES,
  SAMPLE_DIR,
  setupSampleRepo,
  tempDirs,
} from './index';

afterAll(removeTempDirs);

describe('temp dirs', () => {
  it('makeTempDir creates crate-train-* dirs that removeTempDirs deletes', () => {
    const a = makeTempDir('probe');
    expect(a).toMatch(/crate-train-probe-/);
    expect(existsSync(a)).toBe(true);
    removeTempDirs();
    expect(existsSync(a)).toBe(false);
  });

  it('tempDirs() cleans only its own dirs', () => {
    const scoped = tempDirs();
    const mine = scoped.make('scoped');
    const other = makeTempDir('other');
    scoped.cleanup();
    expect(existsSync(mine)).toBe(false);
    expect(existsSync(other)).toBe(true);
  });
});

describe('copySample', () => {
  it('copies the Cargo workspace without target/ and the Nx test-project files', async () => {
    const dir = copySample();
    for (const f of ['Cargo.toml', 'Cargo.lock', 'scripts/publish.rs', 'RELEASES.md', 'crates/c-api/include/wasmtime.h']) {
      expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(SAMPLE_DIR, f), 'utf8'));
    }
    for (const f of ['project.json', 'jest.config.cjs', 'spec', 'target']) expect(existsSync(join(dir, f))).toBe(false);
    const meta = await cargoMetadata(dir);
    const found = Object.fromEntries(meta.packages.map((p) => [p.name, { dir: join(p.manifest_path, '..').slice(dir.length + 1) || '.', version: p.version }]));
    expect(found).toEqual(SAMPLE_CRATES);
    expect(meta.workspace_members).toHaveLength(Object.keys(SAMPLE_CRATES).length);
    const winch = meta.packages.find((p) => p.name === 'winch-codegen')!;
    expect(winch.dependencies.find((d) => d.name === 'cranelift-codegen')).toMatchObject({
      rename: 'codegen',
      kind: null,
      path: join(dir, 'cranelift/codegen'),
    });
  });

  it('refuses a non-empty destination', () => {
    const dest = copySample();
    expect(() => copySample(dest)).toThrow(/not empty/);
  });
});

describe('git', () => {
  it('initRepoWithOrigin commits everything with the test identity and pushes main to a bare origin', async () => {
    const dir = copySample();
    const { origin } = await initRepoWithOrigin(dir);
    expect(await git(dir, 'log', '-1', '--format=%an <%ae>|%cn|%s')).toBe('Crate Train Tests <tests@crate-train.invalid>|Crate Train Tests|Initial commit');
    expect(await git(dir, 'status', '--porcelain')).toBe('');
    expect(await git(origin, 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(await git(origin, 'rev-parse', 'refs/heads/main')).toBe(await git(dir, 'rev-parse', 'HEAD'));
    expect(await git(dir, 'rev-parse', '--abbrev-ref', 'main@{upstream}')).toBe('origin/main');
  });

  it('honours another branch name', async () => {
    const dir = copySample();
    const { origin } = await initRepoWithOrigin(dir, { branch: 'trunk' });
    expect(await git(origin, 'branch', '--format=%(refname:short)')).toBe('trunk');
  });

  it('git() fails with the command and git’s message', async () => {
    const dir = makeTempDir('not-a-repo');
    await expect(git(dir, 'rev-parse', 'HEAD')).rejects.toThrow(/git .*rev-parse HEAD.*not a git repository/s);
  });
});

describe('the built plugin in a user workspace', () => {
  it('ensurePluginBuilt returns the same built package on every call', async () => {
    const a = await ensurePluginBuilt();
    expect(await ensurePluginBuilt()).toBe(a);
    expect(JSON.parse(readFileSync(join(a, 'package.json'), 'utf8')).name).toBe('crate-train');
    for (const f of ['src/index.js', 'executors.json', 'generators.json']) expect(existsSync(join(a, f))).toBe(true);
  });

  it('copy -> initRepoWithOrigin -> installPlugin: nx loads crate-train from node_modules', async () => {
    const dir = copySample();
    const { origin } = await initRepoWithOrigin(dir);
    await installPlugin(dir, { crateList: 'scripts/publish.rs' });

    const nxJson = JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8'));
    expect(nxJson.plugins).toEqual([{ plugin: 'crate-train', options: { crateList: 'scripts/publish.rs' } }]);
    expect(lstatSync(join(dir, 'node_modules', 'crate-train')).isSymbolicLink()).toBe(true);
    expect(realpathSync(join(dir, 'node_modules', 'nx'))).toBe(realpathSync(join(REPO_ROOT, 'node_modules', 'nx')));
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(
      '/target\n# Nx workspace data, when the sample is used as an Nx workspace.\n/.nx\nnode_modules\n',
    );

    const shown = await runNx(dir, ['show', 'projects']);
    expect(shown.exitCode).toBe(0);
    // nx resolved the installed package and read its executors/generators.
    const listed = await runNx(dir, ['list', 'crate-train']);
    expect(listed.stdout).toMatch(/Capabilities in crate-train/);
    expect(await git(origin, 'branch', '--format=%(refname:short)')).toBe('main');
  });

  it('setupSampleRepo leaves a clean tree whose initial commit has the Nx files', async () => {
    const { dir, origin } = await setupSampleRepo();
    expect(await git(dir, 'status', '--porcelain')).toBe('');
    expect((await git(dir, 'ls-files', 'nx.json', 'package.json', '.gitignore')).split('\n')).toEqual(['.gitignore', 'nx.json', 'package.json']);
    expect(await git(origin, 'rev-parse', 'main')).toBe(await git(dir, 'rev-parse', 'HEAD'));
    await runNx(dir, ['show', 'projects']);
    // Running nx writes only ignored files (.nx/).
    expect(await git(dir, 'status', '--porcelain')).toBe('');
  });

  it('runNx with reject: false returns a failing exit code instead of throwing', async () => {
    const { dir } = await setupSampleRepo();
    const r = await runNx(dir, ['show', 'project', 'no-such-project'], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/no-such-project/);
    await expect(runNx(dir, ['show', 'project', 'no-such-project'])).rejects.toThrow(/nx\.js show project/);
  });
});
