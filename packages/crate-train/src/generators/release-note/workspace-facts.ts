// Facts the generators need from the workspace: the plugin options, the root
// version and the GitHub repository (for links), read through the Tree where possible.
import { readNxJson, type Tree } from '@nx/devkit';
import { Git } from '@crate-train/git';
import { githubRepositoryFor } from '@crate-train/github';
import { currentVersionOf } from '@crate-train/versions';
import { pluginOptionsIn, type CrateTrainOptions } from '../../plugin/options';

export function rootVersion(tree: Tree): string {
  const text = tree.read('Cargo.toml', 'utf-8');
  if (text === null) throw new Error('Cargo.toml not found at the workspace root: pass --version explicitly.');
  return currentVersionOf(text);
}

/** OWNER/REPO for links: github.repository, else GITHUB_REPOSITORY, else a GitHub remote URL (githubRepositoryFor). */
export async function repositoryOf(tree: Tree, options: CrateTrainOptions): Promise<string | undefined> {
  return githubRepositoryFor({
    configured: options.github.repository,
    env: process.env,
    apiUrl: options.github.baseUrl,
    remoteUrl: () => new Git(tree.root).remoteUrl(options.remote).catch(() => undefined),
  });
}

export function readRequired(tree: Tree, path: string, option: string): string {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} not found: create it or set the ${option} option of crate-train in nx.json.`);
  return text;
}

/** The crate-train plugin options from the Tree's nx.json, as Nx reads it (comments allowed); defaults when absent. */
export function pluginOptionsOf(tree: Tree): CrateTrainOptions {
  return pluginOptionsIn(readNxJson(tree), tree.root);
}
