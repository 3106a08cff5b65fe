// Facts a RELEASES.md generator needs from the workspace: the root version and
// the GitHub repository (for links), read through the Tree where possible.
import { execFileSync } from 'node:child_process';
import type { Tree } from '@nx/devkit';
import { githubHosts, githubRepositoryOfRemote, ownerRepo } from '@crate-train/github';
import { currentVersionOf } from '@crate-train/versions';
import { normalizeOptions, PLUGIN_NAME, type CrateTrainOptions } from '../../plugin/options';

export function rootVersion(tree: Tree): string {
  const text = tree.read('Cargo.toml', 'utf-8');
  if (text === null) throw new Error('Cargo.toml not found at the workspace root: pass --version explicitly.');
  return currentVersionOf(text);
}

/** OWNER/REPO from the github.repository option, else from the remote URL; undefined when neither says. */
export function repositoryOf(tree: Tree, options: CrateTrainOptions): string | undefined {
  if (options.github.repository) return options.github.repository;
  const fromEnv = ownerRepo(process.env.GITHUB_REPOSITORY);
  if (fromEnv) return fromEnv;
  try {
    const url = execFileSync('git', ['remote', 'get-url', options.remote], { cwd: tree.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return githubRepositoryOfRemote(url, githubHosts(options.github.baseUrl ?? process.env.GITHUB_API_URL, process.env.GITHUB_SERVER_URL));
  } catch {
    return undefined;
  }
}

export function readRequired(tree: Tree, path: string, option: string): string {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} not found: create it or set the ${option} option of crate-train in nx.json.`);
  return text;
}

/** The crate-train plugin options from the Tree's nx.json (defaults when absent). */
export function pluginOptionsOf(tree: Tree): CrateTrainOptions {
  const text = tree.read('nx.json', 'utf-8');
  if (!text) return normalizeOptions(undefined, tree.root);
  const nxJson = JSON.parse(text) as { plugins?: Array<string | { plugin: string; options?: unknown }> };
  for (const p of nxJson.plugins ?? []) {
    if (p === PLUGIN_NAME) return normalizeOptions(undefined, tree.root);
    if (typeof p === 'object' && p.plugin === PLUGIN_NAME) return normalizeOptions(p.options as Partial<CrateTrainOptions>, tree.root);
  }
  return normalizeOptions(undefined, tree.root);
}
