import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateCrateList } from '@crate-train/crate-list';
import { WASMTIME_POLICY, type SupportPolicy } from '@crate-train/support-policy';
import { TRAIN_DEFAULTS, type TrainOptions } from '@crate-train/train';

export type { VersionFileRule } from '@crate-train/versions';
export type SupportPolicyOptions = SupportPolicy;

/**
 * Options of the crate-train entry in nx.json `plugins`. Defaults are Wasmtime's.
 * The release-train settings (project name, branches, marker, RELEASES.md, version
 * files, GitHub, committer) are the train's own; the plugin adds the rest.
 */
export interface CrateTrainOptions extends TrainOptions {
  /** The crate list file; default: found by locateCrateList (scripts/publish.rs, crates/misc/publish/src/main.rs, a search). */
  crateList: string;
  releaseProject: string;
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
  crateList: 'scripts/publish.rs',
  releaseProject: 'release',
  supportPolicy: { ...WASMTIME_POLICY },
  targets: { check: 'check', test: 'test', clippy: 'clippy', build: 'build', semverCheck: 'semver-check' },
};

export const PLUGIN_NAME = 'crate-train';

/**
 * Fills in defaults; nested objects merge one level deep. With the workspace
 * root, an unset crateList is the file locateCrateList finds there.
 */
export function normalizeOptions(raw: Partial<CrateTrainOptions> | undefined, workspaceRoot?: string): CrateTrainOptions {
  const o = raw ?? {};
  return {
    ...DEFAULT_OPTIONS,
    ...(workspaceRoot !== undefined && o.crateList === undefined ? { crateList: locateCrateList(workspaceRoot) } : {}),
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
  if (!existsSync(nxJsonPath)) return normalizeOptions(undefined, workspaceRoot);
  const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8')) as { plugins?: Array<string | { plugin: string; options?: unknown }> };
  for (const p of nxJson.plugins ?? []) {
    if (p === PLUGIN_NAME) return normalizeOptions(undefined, workspaceRoot);
    if (typeof p === 'object' && p.plugin === PLUGIN_NAME) return normalizeOptions(p.options as Partial<CrateTrainOptions>, workspaceRoot);
  }
  return normalizeOptions(undefined, workspaceRoot);
}
