// Facts the generators need from the workspace: the plugin options, the root
// version and the GitHub repository (for links), read through the Tree where possible.
import { readNxJson, type Tree } from '@nx/devkit';
import { Git } from '@crate-train/git';
import { githubHosts, githubRepositoryOfRemote, ownerRepo } from '@crate-train/github';
import { currentVersionOf } from '@crate-train/versions';
import { pluginOptionsIn, type CrateTrainOptions } from '../../plugin/options';

export function rootVersion(tree: Tree): string {
  const text = tree.read('Cargo.toml', 'utf-8');
  if (text === null) throw new Error('Cargo.toml not found at the workspace root: pass --version explicitly.');
  return currentVersionOf(text);
}

/** OWNER/REPO from the github.repository option, else from the remote URL; undefined when neither says. */
export async function repositoryOf(tree: Tree, options: CrateTrainOptions): Promise<string | undefined> {
  if (options.github.repository) return options.github.repository;
  const fromEnv = ownerRepo(process.env.GITHUB_REPOSITORY);
  if (fromEnv) return fromEnv;
  const url = await new Git(tree.root).remoteUrl(options.remote).catch(() => undefined);
  if (url === undefined) return undefined;
  return githubRepositoryOfRemote(url, githubHosts(options.github.baseUrl ?? process.env.GITHUB_API_URL, process.env.GITHUB_SERVER_URL));
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
