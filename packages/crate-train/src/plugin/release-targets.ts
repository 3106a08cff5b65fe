// Targets of the `release` project: one per release-train executor. Everything
// with side effects (git, GitHub, the registry, files) is never cached; `verify`
// only reads the tree, so it is cached on everything it reads.
import type { TargetConfiguration } from '@nx/devkit';
import executorsJson from '../../executors.json';
import type { CrateTrainOptions } from './options';
import { PLUGIN_NAME } from './options';

/** Executors that belong to a crate project rather than the release project. */
const PER_CRATE_EXECUTORS = new Set(['semver-check']);

export interface ReleaseTargetContext {
  /** Nx-root-relative folders of published crates, each with whether it is a Cargo workspace root ('.'-like). */
  publishedCrates: Array<{ projectRoot: string; isWorkspaceRoot: boolean }>;
  /** Cargo workspace root relative to the Nx root. */
  cargoRoot: string;
}

const executors = (executorsJson as { executors: Record<string, { description: string }> }).executors;

/** Names of the executors the release project gets a target for. */
export function releaseExecutorNames(): string[] {
  return Object.keys(executors).filter((n) => !PER_CRATE_EXECUTORS.has(n));
}

export function generateReleaseTargets(options: CrateTrainOptions, ctx: ReleaseTargetContext): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {};
  for (const name of releaseExecutorNames()) {
    targets[name] = {
      executor: `${PLUGIN_NAME}:${name}`,
      cache: false,
      // Never cached, so nothing to hash; and without the project's files in the inputs, Nx can run
      // these targets even when the release project's folder holds no file (no crate list: `scripts`).
      inputs: [],
      metadata: { description: executors[name].description, technologies: ['cargo'] },
    };
  }
  if (targets.verify) {
    targets.verify = { ...targets.verify, cache: true, inputs: verifyInputs(options, ctx) };
  }
  return targets;
}

/** What `verify` reads: manifests, lockfile, published crates' sources, the crate list, version files. */
export function verifyInputs(options: CrateTrainOptions, ctx: ReleaseTargetContext): NonNullable<TargetConfiguration['inputs']> {
  const inCargo = (p: string) => `{workspaceRoot}/${ctx.cargoRoot === '.' ? '' : ctx.cargoRoot + '/'}${p}`;
  const crateFiles = ctx.publishedCrates.flatMap(({ projectRoot, isWorkspaceRoot }) => {
    const base = projectRoot === '.' ? '{workspaceRoot}' : `{workspaceRoot}/${projectRoot}`;
    return isWorkspaceRoot ? ['src/**/*', 'build.rs', 'README.md'].map((f) => `${base}/${f}`) : [`${base}/**/*`];
  });
  return [
    inCargo('**/Cargo.toml'),
    inCargo('Cargo.lock'),
    ...crateFiles,
    ...(options.crateList ? [`{workspaceRoot}/${options.crateList}`] : []),
    ...options.versionFiles.map((f) => `{workspaceRoot}/${f.path}`),
    { runtime: 'cargo --version' },
  ];
}
