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

  it('warns and shows how to set crateList when there is no crate list', async () => {
    await initGenerator(tree, {});
    const said = warn.mock.calls.flat().join('\n');
    expect(said).toMatch(/no crate list at scripts\/publish\.rs/);
    expect(said).toContain('"options": { "crateList": "path/to/publish.rs" }');
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
    tree.write('scripts/publish.rs', 'const CRATES_TO_PUBLISH: &[&str] = &["a"];\n');
    await initGenerator(tree, {});
    expect(warn.mock.calls.flat().join('\n')).toMatch(/scripts\/publish\.rs: no `const PUBLIC_CRATES/);
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

  it('writes GitHub workflows only with --ci=github', async () => {
    await initGenerator(tree, { ci: 'none' });
    for (const p of Object.values(WORKFLOW_PATHS)) expect(tree.exists(p)).toBe(false);
    await initGenerator(tree, { ci: 'github' });
    for (const p of Object.values(WORKFLOW_PATHS)) expect(tree.read(p, 'utf-8')).toContain('crate-train');
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
