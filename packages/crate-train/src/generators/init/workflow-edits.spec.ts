// Issue 14, item 8: `init --ci=github` does not overwrite a workflow the user
// edited unless --force, and shows what differs. Also: init's unknown flags.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import initGenerator from './generator';
import { WORKFLOW_PATHS } from './ci-github';
import { shortDiff } from './line-diff';

const SAMPLE = join(__dirname, '..', '..', '..', '..', '..', 'tools', 'sample-workspace');

/** Every file of the tree with its content (what Nx would flush). */
function files(tree: Tree): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of tree.children(dir)) {
      const p = dir ? `${dir}/${name}` : name;
      if (tree.isFile(p)) out[p] = tree.read(p, 'utf-8')!;
      else walk(p);
    }
  };
  walk('');
  return out;
}

describe('init --ci=github and workflows the user edited', () => {
  let tree: Tree;
  beforeEach(async () => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('Cargo.toml', readFileSync(join(SAMPLE, 'Cargo.toml'), 'utf8'));
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    await initGenerator(tree, { ci: 'github' });
  });
  afterEach(() => jest.restoreAllMocks());

  it('a second run over unedited workflows changes nothing and needs no --force', async () => {
    const before = files(tree);
    await initGenerator(tree, { ci: 'github' });
    expect(files(tree)).toEqual(before);
  });

  it('an edited workflow is not overwritten: the error names the file, shows the diff and the fix; nothing is written', async () => {
    const ci = tree.read(WORKFLOW_PATHS.ci, 'utf-8')!;
    const edited = ci.replace(/runs-on: ubuntu-latest/, 'runs-on: self-hosted');
    expect(edited).not.toBe(ci);
    tree.write(WORKFLOW_PATHS.ci, edited);
    // The plugin entry goes away too: a refused init must not write nx.json either.
    tree.write('nx.json', JSON.stringify({ plugins: [] }));
    const before = files(tree);

    const err = await initGenerator(tree, { ci: 'github' }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).toContain(
      `crate-train:init --ci=github: ${WORKFLOW_PATHS.ci} differs from what init writes (edited by hand, or written by another crate-train version); not overwritten.`,
    );
    expect(err).toContain(`--- ${WORKFLOW_PATHS.ci} (yours)\n+++ ${WORKFLOW_PATHS.ci} (init --ci=github)\n@@ `);
    expect(err).toContain('\n-    runs-on: self-hosted\n+    runs-on: ubuntu-latest\n');
    expect(err).toContain('pass --force to overwrite them (your edits are lost). Nothing was written.');
    expect(files(tree)).toEqual(before);
    expect(readNxJson(tree)!.plugins).toEqual([]);
  });

  it('a workflow that differs only in line endings (core.autocrlf) is not an edit', async () => {
    const ci = tree.read(WORKFLOW_PATHS.ci, 'utf-8')!;
    tree.write(WORKFLOW_PATHS.ci, ci.replace(/\n/g, '\r\n'));
    await initGenerator(tree, { ci: 'github' });
    expect(tree.read(WORKFLOW_PATHS.ci, 'utf-8')).toBe(ci);
  });

  it('--force overwrites the edited workflow', async () => {
    const ci = tree.read(WORKFLOW_PATHS.ci, 'utf-8')!;
    tree.write(WORKFLOW_PATHS.ci, ci + '# my own step\n');
    await initGenerator(tree, { ci: 'github', force: true });
    expect(tree.read(WORKFLOW_PATHS.ci, 'utf-8')).toBe(ci);
  });

  it('--force without --ci=github is refused (it only concerns workflows)', async () => {
    await expect(initGenerator(tree, { force: true })).rejects.toThrow('crate-train:init: --force only applies to --ci=github');
  });

  it('init --crate_list=... (a typo): did you mean --crate-list; nothing is written', async () => {
    const before = files(tree);
    await expect(initGenerator(tree, { crate_list: 'x.rs' } as never)).rejects.toThrow(
      'crate-train:init: unknown flag --crate_list: did you mean --crate-list?\nNothing was done.',
    );
    expect(files(tree)).toEqual(before);
  });
});

describe('shortDiff', () => {
  it('shows changed lines with context and cuts long diffs', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].join('\n') + '\n';
    const b = ['a', 'b', 'C', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n') + '\n';
    expect(shortDiff(a, b, { from: 'x (yours)', to: 'x (init)' })).toBe(
      ['--- x (yours)', '+++ x (init)', '@@ -1,5 +1,5 @@', ' a', ' b', '-c', '+C', ' d', ' e', '@@ -8,2 +8,3 @@', ' h', ' i', '+j', ''].join('\n'),
    );
    const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const diff = shortDiff(long, long.replace(/line/g, 'LINE'), { from: 'a', to: 'b' }, { maxLines: 10 });
    expect(diff.split('\n')).toHaveLength(2 + 10 + 1 + 1);
    expect(diff).toContain('... (191 more diff lines)');
    expect(shortDiff('x\r\n', 'x\n', { from: 'a', to: 'b' })).toContain('differ only in line endings');
  });
});
