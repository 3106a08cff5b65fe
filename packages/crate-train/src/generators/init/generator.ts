// `nx g crate-train:init`: registers the plugin in nx.json (once), checks the
// crate list, keeps Nx's cache folders out of git, and with --ci=github writes
// the GitHub Actions workflows.
import { logger, readNxJson, updateNxJson, writeJson, type Tree } from '@nx/devkit';
import { readWorkspace } from '@crate-train/cargo';
import { CRATE_LIST_CANDIDATES, findCrateList, parseCrateList, workspaceCrateList } from '@crate-train/crate-list';
import { DEFAULT_OPTIONS, normalizeOptions, PLUGIN_NAME, releaseModelOf, type CrateTrainOptions } from '../../plugin/options';
import { githubWorkflowFiles } from './ci-github';
import type { InitGeneratorSchema } from './schema';
import schema from './schema.json';
import { assertGeneratorOptions } from '../../executors/shared/options-check';

type PluginEntry = string | { plugin: string; options?: unknown; include?: string[]; exclude?: string[] };

const isOurs = (p: PluginEntry) => p === PLUGIN_NAME || (typeof p === 'object' && p.plugin === PLUGIN_NAME);

/** Lines added to .gitignore: the task cache and Nx's workspace data (our graph cache lives there). */
export const GITIGNORE_ENTRIES = ['.nx/cache', '.nx/workspace-data'];

export default async function initGenerator(tree: Tree, options: InitGeneratorSchema): Promise<void> {
  const ci = options.ci ?? 'none';
  if (ci !== 'none' && ci !== 'github') throw new Error(`crate-train:init: --ci must be "none" or "github" (got "${ci}")`);
  assertGeneratorOptions('init', options, schema);
  if (options.force && ci !== 'github')
    throw new Error('crate-train:init: --force only applies to --ci=github (it overwrites edited workflows). Nothing was done.');

  const plugin = planPluginEntry(tree, options.crateList);
  const raw = normalizeOptions(plugin.options);
  // Found in the tree (a dry run or a test sees only the tree), else searched on disk; none at all: false.
  const settings = { ...raw, crateList: plugin.options?.crateList ?? CRATE_LIST_CANDIDATES.find((c) => tree.exists(c)) ?? findCrateList(tree.root) ?? false };
  // Before anything is written: an edited workflow stops init unless --force.
  const workflows = ci === 'github' ? githubWorkflowFiles(tree, settings, { force: options.force === true }) : undefined;

  plugin.save();
  checkCargoWorkspace(tree);
  checkCrateList(tree, settings);
  reportReleaseModel(tree, settings);
  addGitignoreEntries(tree);

  if (workflows) {
    for (const [path, text] of Object.entries(workflows)) if (tree.read(path, 'utf-8') !== text) tree.write(path, text);
    logger.info(`crate-train: GitHub Actions workflows: ${Object.keys(workflows).join(', ')}`);
  }
}

/**
 * The nx.json with `crate-train` in its plugins (added unless present): the
 * entry's options, and `save` to write it.
 */
function planPluginEntry(tree: Tree, crateList: string | undefined): { options: Partial<CrateTrainOptions> | undefined; save: () => void } {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = (nxJson.plugins ?? []) as PluginEntry[];
  const index = plugins.findIndex(isOurs);
  const wantsList = crateList !== undefined && crateList !== DEFAULT_OPTIONS.crateList;
  if (index < 0) {
    plugins.push(wantsList ? { plugin: PLUGIN_NAME, options: { crateList } } : PLUGIN_NAME);
  } else if (crateList !== undefined) {
    // Already registered: only record a crate list the user asked for.
    const entry = plugins[index];
    const current = typeof entry === 'string' ? {} : ((entry.options ?? {}) as Partial<CrateTrainOptions>);
    if ((current.crateList ?? DEFAULT_OPTIONS.crateList) !== crateList) {
      plugins[index] = { ...(typeof entry === 'string' ? { plugin: PLUGIN_NAME } : entry), options: { ...current, crateList } };
    }
  }
  nxJson.plugins = plugins as typeof nxJson.plugins;
  const save = () => {
    // updateNxJson only edits an existing file; a Cargo repo new to Nx has none yet.
    if (tree.exists('nx.json')) updateNxJson(tree, nxJson);
    else writeJson(tree, 'nx.json', { $schema: './node_modules/nx/schemas/nx-schema.json', ...nxJson });
  };
  const entry = plugins.find(isOurs)!;
  return { options: typeof entry === 'string' ? undefined : (entry.options as Partial<CrateTrainOptions> | undefined), save };
}

function checkCargoWorkspace(tree: Tree): void {
  if (!tree.exists('Cargo.toml')) {
    logger.warn(
      'crate-train: no Cargo.toml at the workspace root. Crates are found from the root manifest of a Cargo workspace (a Cargo.toml with [workspace]); run init in your Cargo workspace.',
    );
  }
}

/** Says which release model the workspace gets, and why (the releaseModel option, or whether the releases file exists). */
function reportReleaseModel(tree: Tree, settings: CrateTrainOptions): void {
  const model = releaseModelOf(settings, (p) => tree.exists(p));
  const why =
    settings.releaseModel && settings.releaseModel !== 'auto'
      ? 'set by the releaseModel plugin option'
      : model === 'train'
        ? `${settings.releasesFile} exists`
        : `there is no ${settings.releasesFile}`;
  logger.info(
    model === 'train'
      ? `crate-train: release model "train" (${why}): Wasmtime's monthly release branches — nx run ${settings.releaseProject}:cut, :release-latest, :patch.`
      : `crate-train: release model "direct" (${why}): wasm-tools' releases from the current branch — nx run ${settings.releaseProject}:release --kind=major|patch opens the release PR; merging it tags and publishes. Set "releaseModel": "train" in the plugin options for Wasmtime's monthly train.`,
  );
}

function checkCrateList(tree: Tree, settings: CrateTrainOptions): void {
  const crateList = settings.crateList;
  if (crateList === false) {
    const crates = readWorkspaceIn(tree);
    const list = crates && workspaceCrateList(crates, settings.publicCrates);
    logger.info(
      [
        `crate-train: no crate list found (looked for ${CRATE_LIST_CANDIDATES.join(', ')} and any .rs file defining CRATES_TO_PUBLISH),`,
        `so every workspace member without publish = false is published, dependencies first${list ? ` (${list.cratesToPublish.length}: ${list.cratesToPublish.join(', ')})` : ''}.`,
        settings.publicCrates
          ? `Public crates (publicCrates option): ${settings.publicCrates.join(', ')}.`
          : 'No crate is public (semver-checked) unless you list it in the publicCrates plugin option.',
      ].join('\n'),
    );
    return;
  }
  const source = tree.read(crateList, 'utf-8');
  if (source === null) {
    logger.warn(
      [
        `crate-train: no crate list at ${crateList}, so there is no "release" project and no crate:published/crate:public tags yet.`,
        "Create it (Wasmtime's scripts/publish.rs has `const CRATES_TO_PUBLISH: &[&str] = &[...]` and `const PUBLIC_CRATES: &[&str] = &[...]`),",
        'or point crate-train at yours in nx.json:',
        `  "plugins": [{ "plugin": "${PLUGIN_NAME}", "options": { "crateList": "path/to/publish.rs" } }]`,
        `(or run: nx g ${PLUGIN_NAME}:init --crateList=path/to/publish.rs)`,
      ].join('\n'),
    );
    return;
  }
  try {
    const list = parseCrateList(source, crateList);
    logger.info(
      `crate-train: crate list ${crateList}: ${list.cratesToPublish.length} crates to publish, ${list.publicCrates ? `${list.publicCrates.length} public` : 'no PUBLIC_CRATES'}${list.apiStableCrates ? `, ${list.apiStableCrates.length} API-stable` : ''}.`,
    );
  } catch (e) {
    logger.warn(`crate-train: the crate list cannot be read — ${(e as Error).message}`);
  }
}

function addGitignoreEntries(tree: Tree): void {
  const text = tree.read('.gitignore', 'utf-8') ?? '';
  const lines = new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^\//, '').replace(/\/$/, '')));
  // `.nx` (or `.nx/`) already covers both folders.
  if (lines.has('.nx')) return;
  const missing = GITIGNORE_ENTRIES.filter((e) => !lines.has(e));
  if (missing.length === 0) return;
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  tree.write('.gitignore', `${text}${sep}${missing.join('\n')}\n`);
}

/** The workspace's crates when the tree is on disk (init runs there); undefined when they cannot be read. */
function readWorkspaceIn(tree: Tree) {
  try {
    return readWorkspace(tree.root).crates;
  } catch {
    return undefined;
  }
}
