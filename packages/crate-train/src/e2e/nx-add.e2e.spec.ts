// `nx add crate-train`, the way Nx users install plugins, from the packed tarball
// (tools/build/pack-plugin.mjs: the npm dependencies travel inside it), into a
// fresh Cargo repository that has only nx: offline, npm pointed at an address
// that answers nothing. Then the graph and a release step work from the install.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { copySample, ensurePluginBuilt, git, makeTempDir, REPO_ROOT, removeTempDirs, SAMPLE_CRATES } from '@crate-train/testing';

afterAll(removeTempDirs);

// No registry anywhere: npm may only use what is on disk.
const OFFLINE = {
  npm_config_offline: 'true',
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
};

describe('nx add crate-train from the packed tarball', () => {
  it('installs offline into a fresh Cargo repository, runs init, and nx show projects lists every crate and release', async () => {
    await ensurePluginBuilt();
    const packDir = makeTempDir('pack');
    const pack = await run('node', [join(REPO_ROOT, 'tools', 'build', 'pack-plugin.mjs'), packDir], { cwd: REPO_ROOT });
    const tarball = join(packDir, `crate-train-${JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'crate-train', 'package.json'), 'utf8')).version}.tgz`);
    expect([pack.stdout, existsSync(tarball)]).toEqual([expect.stringMatching(/bundled packages/), true]);

    // A Cargo repository new to Nx: nx installed (linked from this repository: no network), nothing else.
    const dir = copySample(join(makeTempDir('nx-add'), 'ws'));
    for (const f of ['nx.json', 'package.json', 'project.json', 'jest.config.cjs']) rmSync(join(dir, f), { force: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'ws', private: true, devDependencies: { nx: `file:${join(REPO_ROOT, 'node_modules', 'nx')}` } }, null, 2),
    );
    await run('npm', ['install'], { cwd: dir, env: OFFLINE });
    await git(dir, 'init', '-q');
    const nx = join(dir, 'node_modules', '.bin', 'nx');

    const add = await run(nx, ['add', `crate-train@file:${tarball}`], { cwd: dir, env: OFFLINE, reject: false });
    const said = add.stdout + add.stderr;
    if (add.exitCode !== 0) throw new Error(`nx add failed:\n${said}`);
    expect(said).toContain('crate-train: crate list scripts/publish.rs: 11 crates to publish, 3 public.');
    expect(said).toContain('Package crate-train added successfully.');
    expect(JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8')).plugins).toEqual(['crate-train']);
    // A real install (a copy with its dependencies inside), not a link into this repository.
    expect(existsSync(join(dir, 'node_modules', 'crate-train', 'node_modules', '@octokit', 'rest', 'package.json'))).toBe(true);

    const shown = await run(nx, ['show', 'projects', '--json'], { cwd: dir, env: OFFLINE });
    expect((JSON.parse(shown.stdout.slice(shown.stdout.indexOf('['))) as string[]).sort()).toEqual([...Object.keys(SAMPLE_CRATES), 'release'].sort());
    const bump = await run(nx, ['run', 'release:bump', '--kind=major', '--dry-run'], { cwd: dir, env: OFFLINE, reject: false });
    expect([bump.exitCode, bump.stdout]).toEqual([0, expect.stringContaining('+version = "6.0.0"')]);
  });
});
