import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
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
