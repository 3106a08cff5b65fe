import { join } from 'node:path';
import { generateFiles, type Tree } from '@nx/devkit';
import { parse } from 'yaml';
import { releaseModelOf, type CrateTrainOptions } from '../../plugin/options';
import { shortDiff } from './line-diff';

// `init --ci=github`: GitHub Actions workflows that run Wasmtime's release
// train with crate-train (modelled on Wasmtime's release-process.yml, main.yml
// `push-tag` and publish-to-cratesio.yml), plus PR CI with `nx affected`.
// The workflows are EJS templates under files/github (GitHub's own `${{ }}`
// expressions are literal there); this module checks the values pasted into
// them, renders them with generateFiles, and guards workflows the user edited.

export const WORKFLOW_PATHS = {
  ci: '.github/workflows/crate-train-ci.yml',
  releaseProcess: '.github/workflows/crate-train-release-process.yml',
  /** The direct model's release workflow (wasm-tools'), written instead of releaseProcess. */
  release: '.github/workflows/crate-train-release.yml',
  publish: '.github/workflows/crate-train-publish.yml',
  supportedBranches: '.github/workflows/crate-train-supported-branches.yml',
} as const;

/**
 * Secret holding a personal access token (or GitHub App token) of the release
 * bot. Branches, tags and PRs made with the workflow's own GITHUB_TOKEN do not
 * start other workflows, so the tag would never be published and the PRs
 * never tested: Wasmtime uses a PAT under this name for the same reason.
 */
export const RELEASE_TOKEN_SECRET = 'PERSONAL_ACCESS_TOKEN';
/** Secret holding the registry API token `cargo publish` uses. */
export const REGISTRY_TOKEN_SECRET = 'CARGO_REGISTRY_TOKEN';

export const CUT_CRON = '0 0 5 * *';
export const RELEASE_CRON = '0 0 20 * *';
/** Mondays 02:34 UTC, as Wasmtime's weekly release-branch CI: off hours, not on the hour every other workflow picks. */
export const WEEKLY_CRON = '34 2 * * 1';

/** 'npm-unlocked': npm without package-lock.json (no `npm ci`, no setup-node cache, which both need the lockfile). */
type PackageManager = 'npm' | 'npm-unlocked' | 'pnpm' | 'yarn';

export function detectPackageManager(tree: Tree): PackageManager {
  if (tree.exists('pnpm-lock.yaml')) return 'pnpm';
  if (tree.exists('yarn.lock')) return 'yarn';
  return tree.exists('package-lock.json') ? 'npm' : 'npm-unlocked';
}

// Values are pasted into YAML and into `${{ }}` expressions: allow only plain names.
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
function safe(name: string, value: string, what: string): string {
  if (!SAFE.test(value)) {
    throw new Error(
      `crate-train init --ci=github: plugin option ${name} = ${JSON.stringify(value)} is not a plain ${what} ` +
        `(letters, digits, '.', '_', '/', '-'); fix it in nx.json before generating workflows`,
    );
  }
  return value;
}

/** What the templates under files/github see (`<%= name %>`), and `tmpl` for their `__tmpl__` suffix. */
interface WorkflowValues {
  mainBranch: string;
  branchPrefix: string;
  releaseProject: string;
  targets: CrateTrainOptions['targets'];
  packageManager: PackageManager;
  /** For the `if:` guards that keep forks from running the schedule and the release jobs. */
  repository: string | undefined;
  /** The env var cargo reads the registry token from. */
  registryTokenEnv: string;
  cutCron: string;
  releaseCron: string;
  weeklyCron: string;
  releaseTokenSecret: string;
  registryTokenSecret: string;
  tmpl: '';
}

function workflowValues(options: CrateTrainOptions, packageManager: PackageManager): WorkflowValues {
  for (const [k, v] of Object.entries(options.targets)) safe(`targets.${k}`, v, 'target name');
  const mainBranch = safe('mainBranch', options.mainBranch, 'branch name');
  const branchPrefix = safe('branchPrefix', options.branchPrefix, 'branch prefix');
  const releaseProject = safe('releaseProject', options.releaseProject, 'Nx project name');
  const repository = options.github.repository ? safe('github.repository', options.github.repository, 'owner/name') : undefined;
  const registry = options.registry ? safe('registry', options.registry, 'registry name') : undefined;
  return {
    mainBranch,
    branchPrefix,
    releaseProject,
    targets: options.targets,
    packageManager,
    repository,
    // cargo reads CARGO_REGISTRY_TOKEN for crates.io and CARGO_REGISTRIES_<NAME>_TOKEN for a named registry.
    registryTokenEnv: registry ? `CARGO_REGISTRIES_${registry.toUpperCase().replace(/[-.]/g, '_')}_TOKEN` : 'CARGO_REGISTRY_TOKEN',
    cutCron: CUT_CRON,
    releaseCron: RELEASE_CRON,
    weeklyCron: WEEKLY_CRON,
    releaseTokenSecret: RELEASE_TOKEN_SECRET,
    registryTokenSecret: REGISTRY_TOKEN_SECRET,
    tmpl: '',
  };
}

/**
 * The workflow templates (files/github, with the setup steps they share in
 * files/partials) rendered by generateFiles into memory, in WORKFLOW_PATHS order:
 * init compares them with the workflows on disk before it writes anything.
 */
function renderTemplates(values: WorkflowValues): Record<string, string> {
  const rendered = new Map<string, string>();
  // generateFiles only asks whether a file exists and writes it.
  const scratch: Pick<Tree, 'root' | 'exists' | 'write'> = {
    root: '/',
    exists: (path) => rendered.has(path),
    write: (path, content) => void rendered.set(path.replace(/\\/g, '/'), content.toString()),
  };
  generateFiles(scratch as Tree, join(__dirname, 'files', 'github'), '', values);
  const paths: string[] = Object.values(WORKFLOW_PATHS);
  const unexpected = [...rendered.keys()].filter((p) => !paths.includes(p));
  const missing = paths.filter((p) => !rendered.has(p));
  if (unexpected.length || missing.length) {
    throw new Error(
      `crate-train init --ci=github: the workflow templates do not match WORKFLOW_PATHS (a crate-train bug): missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
    );
  }
  return Object.fromEntries(paths.map((p) => [p, rendered.get(p)!]));
}

/** The workflow files for these options, by path. Pure: nothing is written (the package manager comes from the caller). */
export function renderGithubWorkflows(options: CrateTrainOptions, pm: PackageManager = 'npm', model: 'train' | 'direct' = 'train'): Record<string, string> {
  const files = renderTemplates(workflowValues(options, pm));
  // One release workflow per model: the monthly train, or wasm-tools' dispatch on the current branch
  // (which has no release branches to keep green either).
  if (model === 'direct') {
    delete files[WORKFLOW_PATHS.releaseProcess];
    delete files[WORKFLOW_PATHS.supportedBranches];
  } else delete files[WORKFLOW_PATHS.release];
  // A template bug must never write a broken workflow.
  for (const [path, text] of Object.entries(files)) {
    try {
      parse(text, { strict: true, uniqueKeys: true });
    } catch (e) {
      throw new Error(`crate-train init --ci=github: generated ${path} is not valid YAML (a crate-train bug): ${(e as Error).message}`);
    }
  }
  return files;
}

/** Existing workflow files that differ from what init would write (a user's edits, or another crate-train version's output). */
export function editedWorkflows(tree: Tree, files: Record<string, string>): Array<{ path: string; diff: string }> {
  const edited: Array<{ path: string; diff: string }> = [];
  for (const [path, text] of Object.entries(files)) {
    const current = tree.read(path, 'utf-8');
    // Line endings alone (a checkout with core.autocrlf) are not an edit.
    if (current === null || current.replace(/\r\n/g, '\n') === text) continue;
    edited.push({ path, diff: shortDiff(current, text, { from: `${path} (yours)`, to: `${path} (init --ci=github)` }) });
  }
  return edited;
}

/**
 * Writes the GitHub Actions workflows for `crate-train:init --ci=github` and
 * returns their paths. Running it again with the same options changes nothing.
 * A workflow that exists with other content (edited by hand) is not
 * overwritten unless `force`: the error shows what differs, and nothing is written.
 */
export function writeGithubWorkflows(tree: Tree, options: CrateTrainOptions, o: { force?: boolean } = {}): string[] {
  const files = githubWorkflowFiles(tree, options, o);
  for (const [path, text] of Object.entries(files)) {
    if (tree.read(path, 'utf-8') !== text) tree.write(path, text);
  }
  return Object.keys(files);
}

/** The workflows init would write; throws (showing what differs) when one exists with other content, unless `force`. */
export function githubWorkflowFiles(tree: Tree, options: CrateTrainOptions, o: { force?: boolean } = {}): Record<string, string> {
  const files = renderGithubWorkflows(
    options,
    detectPackageManager(tree),
    releaseModelOf(options, (p) => tree.exists(p)),
  );
  const edited = o.force ? [] : editedWorkflows(tree, files);
  if (edited.length) {
    throw new Error(
      [
        `crate-train:init --ci=github: ${edited.map((e) => e.path).join(', ')} ${edited.length === 1 ? 'differs' : 'differ'} from what init writes ` +
          `(edited by hand, or written by another crate-train version); not overwritten. What differs ('-' yours, '+' init's):`,
        ...edited.map((e) => e.diff),
        'Keep your workflows (run init without --ci=github), or pass --force to overwrite them (your edits are lost). Nothing was written.',
      ].join('\n'),
    );
  }
  return files;
}
