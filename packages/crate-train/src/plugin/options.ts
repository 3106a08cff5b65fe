import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAIN_DEFAULTS } from '@crate-train/train';

/** A file besides Cargo.toml that carries the version (Wasmtime's C header). */
export interface VersionFileRule {
  path: string;
  /** Regexes, each with exactly one capture group holding the value to rewrite. */
  replacements: Array<{ pattern: string; value: 'version' | 'major' | 'minor' | 'patch' }>;
}

export interface SupportPolicyOptions {
  /** Every major divisible by this is LTS (Wasmtime: 12). 0 disables LTS. */
  ltsEvery: number;
  ltsMonths: number;
  regularMonths: number;
}

/** Options of the crate-train entry in nx.json `plugins`. Defaults are Wasmtime's. */
export interface CrateTrainOptions {
  crateList: string;
  projectName: string;
  releaseProject: string;
  mainBranch: string;
  branchPrefix: string;
  workBranchPrefix: string;
  marker: string;
  remote: string;
  releasesFile: string;
  releasesTemplate: string;
  releasesStyle: 'history' | 'archive';
  /** 'classic': main carries X.0.0; 'dev-rc': main carries X.0.0-dev, cuts publish X.0.0-rc.N. */
  versionModel: 'classic' | 'dev-rc';
  versionFiles: VersionFileRule[];
  github: { repository?: string; baseUrl?: string; tagVia: 'api' | 'git' };
  committer: { name: string; email: string };
  /** Cargo registry name for publish (`--registry`); undefined = crates.io. */
  registry?: string;
  /** Owner added after a crate's first publish (Wasmtime: its publishing team). */
  ownerTeam?: string;
  supportPolicy: SupportPolicyOptions;
  targets: { check: string; test: string; clippy: string; build: string; semverCheck: string };
}

/** Wasmtime's values: the train's defaults (one source of truth) plus the plugin's own. */
export const DEFAULT_OPTIONS: CrateTrainOptions = {
  ...TRAIN_DEFAULTS,
  releaseProject: 'release',
  supportPolicy: { ltsEvery: 12, ltsMonths: 24, regularMonths: 2 },
  targets: { check: 'check', test: 'test', clippy: 'clippy', build: 'build', semverCheck: 'semver-check' },
};

export const PLUGIN_NAME = 'crate-train';

/** Fills in defaults; nested objects merge one level deep. */
export function normalizeOptions(raw: Partial<CrateTrainOptions> | undefined): CrateTrainOptions {
  const o = raw ?? {};
  return {
    ...DEFAULT_OPTIONS,
    ...o,
    github: { ...DEFAULT_OPTIONS.github, ...(o.github ?? {}) },
    committer: { ...DEFAULT_OPTIONS.committer, ...(o.committer ?? {}) },
    supportPolicy: { ...DEFAULT_OPTIONS.supportPolicy, ...(o.supportPolicy ?? {}) },
    targets: { ...DEFAULT_OPTIONS.targets, ...(o.targets ?? {}) },
  } as CrateTrainOptions;
}

/** Reads the crate-train plugin options from a workspace's nx.json (executors use this). */
export function readPluginOptions(workspaceRoot: string): CrateTrainOptions {
  const nxJsonPath = join(workspaceRoot, 'nx.json');
  if (!existsSync(nxJsonPath)) return normalizeOptions(undefined);
  const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8')) as { plugins?: Array<string | { plugin: string; options?: unknown }> };
  for (const p of nxJson.plugins ?? []) {
    if (p === PLUGIN_NAME) return normalizeOptions(undefined);
    if (typeof p === 'object' && p.plugin === PLUGIN_NAME) return normalizeOptions(p.options as Partial<CrateTrainOptions>);
  }
  return normalizeOptions(undefined);
}
