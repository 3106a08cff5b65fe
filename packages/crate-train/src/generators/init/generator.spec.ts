import { parse } from 'yaml';
import { logger, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import initGenerator from './generator';
import { WORKFLOW_PATHS } from './ci-github';

const SAMPLE = join(__dirname, '..', '..', '..', '..', '..', 'tools', 'sample-workspace');

describe('crate-train:init', () => {
  let tree: Tree;
  let warn: jest.SpyInstance;
  let info: jest.SpyInstance;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('Cargo.toml', readFileSync(join(SAMPLE, 'Cargo.toml'), 'utf8'));
    // Capture what the user is told (instead of printing it).
    warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('registers the plugin once, keeping other plugins', async () => {
    updateNxJson(tree, { ...readNxJson(tree), plugins: ['@nx/js/typescript'] });
    await initGenerator(tree, {});
    await initGenerator(tree, {});
    expect(readNxJson(tree)!.plugins).toEqual(['@nx/js/typescript', 'crate-train']);
  });

  it('creates nx.json when the Cargo repository has none yet', async () => {
    tree.delete('nx.json');
    await initGenerator(tree, {});
    expect(tree.exists('nx.json')).toBe(true);
    expect(readNxJson(tree)!.plugins).toEqual(['crate-train']);
  });

  it('reports the crate list when scripts/publish.rs exists', async () => {
    tree.write('scripts/publish.rs', readFileSync(join(SAMPLE, 'scripts', 'publish.rs'), 'utf8'));
    await initGenerator(tree, {});
    expect(warn).not.toHaveBeenCalled();
    expect(info.mock.calls.flat().join('\n')).toMatch(/crate list scripts\/publish\.rs: \d+ crates to publish, \d+ public/);
  });

  it('without any crate list, says that every member without publish = false is published, and which release model it chose and why', async () => {
    await initGenerator(tree, {});
    expect(warn).not.toHaveBeenCalled();
    const said = info.mock.calls.flat().join('\n');
    expect(said).toMatch(/no crate list found \(looked for scripts\/publish\.rs, crates\/misc\/publish\/src\/main\.rs, ci\/publish\.rs and any \.rs file/);
    expect(said).toContain('No crate is public (semver-checked) unless you list it in the publicCrates plugin option.');
    expect(said).toContain('release model "direct" (there is no RELEASES.md)');
    expect(readNxJson(tree)!.plugins).toEqual(['crate-train']);
    tree.write('RELEASES.md', '# Releases\n');
    await initGenerator(tree, {});
    expect(info.mock.calls.flat().join('\n')).toContain('release model "train" (RELEASES.md exists)');
  });

  it('warns and shows how to set crateList when the configured crate list does not exist', async () => {
    await initGenerator(tree, { crateList: 'scripts/crates.rs' });
    const said = warn.mock.calls.flat().join('\n');
    expect(said).toMatch(/no crate list at scripts\/crates\.rs/);
    expect(said).toContain('"options": { "crateList": "path/to/publish.rs" }');
  });

  it("finds wasm-tools' ci/publish.rs on its own and reads its arrays (no PUBLIC_CRATES, API_STABLE_CRATES)", async () => {
    tree.write(
      'ci/publish.rs',
      'const CRATES_TO_PUBLISH: &[&str] = &["wasmparser", "wat", "wasm-tools"];\nconst API_STABLE_CRATES: &[&str] = &["wasm-tools", "wat"];\n',
    );
    await initGenerator(tree, {});
    expect(warn).not.toHaveBeenCalled();
    expect(info.mock.calls.flat().join('\n')).toContain('crate list ci/publish.rs: 3 crates to publish, no PUBLIC_CRATES, 2 API-stable.');
    expect(readNxJson(tree)!.plugins).toEqual(['crate-train']);
  });

  it('records a custom crate list in the plugin options and checks that file', async () => {
    tree.write('release/crates.rs', 'const CRATES_TO_PUBLISH: &[&str] = &["a"];\nconst PUBLIC_CRATES: &[&str] = &[];\n');
    await initGenerator(tree, {});
    await initGenerator(tree, { crateList: 'release/crates.rs' });
    expect(readNxJson(tree)!.plugins).toEqual([{ plugin: 'crate-train', options: { crateList: 'release/crates.rs' } }]);
    expect(info.mock.calls.flat().join('\n')).toMatch(/release\/crates\.rs: 1 crates to publish, 0 public/);
    await initGenerator(tree, {});
    expect(readNxJson(tree)!.plugins).toEqual([{ plugin: 'crate-train', options: { crateList: 'release/crates.rs' } }]);
  });

  it('warns with the location when the crate list cannot be parsed', async () => {
    tree.write('scripts/publish.rs', 'const CRATES_TO_PUBLISH: &[&str] = &["a", b];\n');
    await initGenerator(tree, {});
    expect(warn.mock.calls.flat().join('\n')).toMatch(/scripts\/publish\.rs:1:\d+: `CRATES_TO_PUBLISH` may only contain string literals/);
  });

  it('adds the .nx cache folders to .gitignore once, and leaves a `.nx` line alone', async () => {
    tree.write('.gitignore', 'target\n');
    await initGenerator(tree, {});
    await initGenerator(tree, {});
    expect(tree.read('.gitignore', 'utf-8')).toBe('target\n.nx/cache\n.nx/workspace-data\n');
    tree.write('.gitignore', '/target\n.nx/');
    await initGenerator(tree, {});
    expect(tree.read('.gitignore', 'utf-8')).toBe('/target\n.nx/');
  });

  it('writes GitHub workflows only with --ci=github: the monthly release process with RELEASES.md (train model)', async () => {
    tree.write('RELEASES.md', '# Releases\n');
    await initGenerator(tree, { ci: 'none' });
    for (const p of Object.values(WORKFLOW_PATHS)) expect(tree.exists(p)).toBe(false);
    await initGenerator(tree, { ci: 'github' });
    for (const p of Object.values(WORKFLOW_PATHS)) {
      if (p === WORKFLOW_PATHS.release) expect(tree.exists(p)).toBe(false);
      else expect(tree.read(p, 'utf-8')).toContain('crate-train');
    }
  });

  it("writes wasm-tools' dispatch workflow (bump / bump-patch -> release:release) instead in the direct model", async () => {
    await initGenerator(tree, { ci: 'github' });
    expect(tree.exists(WORKFLOW_PATHS.releaseProcess)).toBe(false);
    expect(tree.exists(WORKFLOW_PATHS.supportedBranches)).toBe(false);
    const wf = parse(tree.read(WORKFLOW_PATHS.release, 'utf-8')!, { strict: true, uniqueKeys: true }) as Record<string, any>;
    expect(wf.on.workflow_dispatch.inputs.bump.options).toEqual(['bump', 'bump-patch']);
    const step = wf.jobs.release.steps.at(-1);
    expect(step.run).toContain('npx nx run release:release --kind=$kind');
    expect(step.env).toEqual({ GITHUB_TOKEN: '${{ secrets.PERSONAL_ACCESS_TOKEN }}', BUMP: '${{ inputs.bump }}' });
    expect(wf.jobs.release.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  it('rejects an unknown --ci value', async () => {
    await expect(initGenerator(tree, { ci: 'gitlab' as 'github' })).rejects.toThrow(/--ci must be "none" or "github"/);
  });

  it('warns when the workspace has no root Cargo.toml', async () => {
    tree.delete('Cargo.toml');
    await initGenerator(tree, {});
    expect(warn.mock.calls.flat().join('\n')).toMatch(/no Cargo\.toml at the workspace root/);
  });
});
