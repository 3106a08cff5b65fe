import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorCallback, Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { SAMPLE_DIR } from './paths';

/**
 * An in-memory Nx Tree holding the sample's release files, with crate-train
 * registered in nx.json (with `pluginOptions` when given): for generator specs.
 */
export function sampleTree(pluginOptions?: object, files = ['Cargo.toml', 'RELEASES.md', 'ci/RELEASES-template.md']): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const f of files) tree.write(f, readFileSync(join(SAMPLE_DIR, f), 'utf8'));
  const nx = JSON.parse(tree.read('nx.json', 'utf-8')!);
  nx.plugins = [pluginOptions ? { plugin: 'crate-train', options: pluginOptions } : 'crate-train'];
  tree.write('nx.json', JSON.stringify(nx));
  return tree;
}

/**
 * Runs a generator as `nx g` does, on the real files of `dir`: a Tree over the
 * folder, then its changes written to disk and the generator's task run.
 * Returns the paths it changed. (The one place tests use Nx's FsTree, which
 * @nx/devkit does not export.)
 */
export async function generateOnDisk(dir: string, generator: (tree: Tree) => Promise<GeneratorCallback | void>): Promise<{ changes: string[] }> {
  const tree = new FsTree(dir, false);
  const task = await generator(tree);
  const changes = tree.listChanges();
  flushChanges(dir, changes);
  if (task) await task();
  return { changes: changes.map((c) => c.path) };
}
