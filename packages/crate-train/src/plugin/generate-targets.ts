// Pure factory of the targets and inputs Nx infers for one crate (no IO), in
// the manner of nx-go's generate-targets.ts.
import type { TargetConfiguration } from '@nx/devkit';
import type { CrateTrainOptions } from './options';
import { PLUGIN_NAME } from './options';

/** Name of the project-level named input holding a crate's own source files. */
export const CRATE_SOURCES = 'crateSources';

export interface CrateTargetContext {
  /** Crate name (the `-p` argument and the Nx project name). */
  name: string;
  /** Crate folder relative to the Nx workspace root ('.' for a root crate). */
  projectRoot: string;
  /** The Cargo workspace root relative to the Nx workspace root ('.' usually); commands run there. */
  cargoRoot: string;
  /** Folders of other crates nested inside this crate's folder, relative to this crate's folder. */
  nestedCrates: string[];
  /** True for the crate whose folder is the Cargo workspace root. */
  isWorkspaceRoot: boolean;
  isPublic: boolean;
  /** Binary targets (`[[bin]]` names); `build` declares them as its outputs. */
  bins?: readonly string[];
  /** Has a library target; `build` declares its .rlib as an output. */
  hasLib?: boolean;
}

const ws = (cargoRoot: string, file: string) => `{workspaceRoot}/${cargoRoot === '.' ? '' : cargoRoot + '/'}${file}`;

/**
 * The crate's own files. A crate at the workspace root owns only what cargo
 * reads for it (src/, manifest, build script, tests/benches/examples), not the
 * whole repository; nested crates are excluded, they are projects of their own.
 */
export function crateSourceInputs(ctx: CrateTargetContext): string[] {
  if (ctx.isWorkspaceRoot) {
    return [
      '{projectRoot}/Cargo.toml',
      '{projectRoot}/build.rs',
      '{projectRoot}/src/**/*',
      '{projectRoot}/tests/**/*',
      '{projectRoot}/benches/**/*',
      '{projectRoot}/examples/**/*',
      ...ctx.nestedCrates.map((n) => `!{projectRoot}/${n}/**/*`),
    ];
  }
  return ['{projectRoot}/**/*', ...ctx.nestedCrates.map((n) => `!{projectRoot}/${n}/**/*`)];
}

const inputsByRoot = new Map<string, NonNullable<TargetConfiguration['inputs']>>();

/** Inputs of every cargo target: own sources, dependencies' sources, and what cargo itself reads. Shared per Cargo root. */
export function cargoTargetInputs(cargoRoot: string): NonNullable<TargetConfiguration['inputs']> {
  let inputs = inputsByRoot.get(cargoRoot);
  if (!inputs) inputsByRoot.set(cargoRoot, (inputs = computeInputs(cargoRoot)));
  return inputs;
}

function computeInputs(cargoRoot: string): NonNullable<TargetConfiguration['inputs']> {
  return [
    CRATE_SOURCES,
    `^${CRATE_SOURCES}`,
    ws(cargoRoot, 'Cargo.toml'),
    ws(cargoRoot, 'Cargo.lock'),
    ws(cargoRoot, 'rust-toolchain'),
    ws(cargoRoot, 'rust-toolchain.toml'),
    ws(cargoRoot, '.cargo/config'),
    ws(cargoRoot, '.cargo/config.toml'),
    { runtime: 'rustc --version' },
    { env: 'RUSTFLAGS' },
  ];
}

const CARGO_COMMANDS: Array<{ key: keyof CrateTrainOptions['targets']; cmd: string; what: string; example: string[] }> = [
  { key: 'check', cmd: 'check', what: 'Type-check', example: ['--all-features'] },
  { key: 'test', cmd: 'test', what: 'Run the tests of', example: ['--', '--nocapture'] },
  { key: 'clippy', cmd: 'clippy', what: 'Lint', example: ['--', '-D', 'warnings'] },
  { key: 'build', cmd: 'build', what: 'Build', example: ['--release'] },
];

// Shared by every crate's targets (Nx copies what it merges; a thousand crates make a thousand targets each).
const TECHNOLOGIES = ['cargo'];
const NO_OUTPUTS: string[] = [];
const HELP = new Map(CARGO_COMMANDS.map(({ cmd, example }) => [cmd, { command: `cargo ${cmd} --help`, example: { args: example } }]));

/**
 * What `cargo build -p <crate>` leaves for this crate in the shared target/
 * folder (debug profile, default target dir): its binaries and its .rlib. A
 * cache hit restores those, not the whole target/ (which holds every crate's
 * intermediate files and grows to gigabytes). check/test/clippy produce
 * nothing a later step reads: a hit only skips them.
 */
export function buildOutputs(ctx: CrateTargetContext): string[] {
  const dir = `${ws(ctx.cargoRoot, 'target')}/debug`;
  const out = (ctx.bins ?? []).map((b) => `${dir}/${b}`);
  if (ctx.hasLib) out.push(`${dir}/lib${ctx.name.replace(/-/g, '_')}.rlib`);
  return out;
}

/** The inferred targets of one crate: cargo check/test/clippy/build, and semver-check for public crates. */
export function generateCrateTargets(ctx: CrateTargetContext, options: CrateTrainOptions): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {};
  const inputs = cargoTargetInputs(ctx.cargoRoot);
  const cwd = ctx.cargoRoot === '.' ? '{workspaceRoot}' : `{workspaceRoot}/${ctx.cargoRoot}`;
  for (const { key, cmd, what } of CARGO_COMMANDS) {
    const command = `cargo ${cmd} -p ${ctx.name}`;
    targets[options.targets[key]] = {
      executor: 'nx:run-commands',
      cache: true,
      inputs,
      // Cargo shares one target/ folder across crates: only build's own artifacts are restored, never the folder.
      outputs: key === 'build' ? buildOutputs(ctx) : NO_OUTPUTS,
      options: { command, cwd },
      metadata: {
        description: `${what} ${ctx.name} with \`${command}\` (in the Cargo workspace root)`,
        technologies: TECHNOLOGIES,
        help: HELP.get(cmd)!,
      },
    };
  }
  if (ctx.isPublic) {
    targets[options.targets.semverCheck] = {
      executor: `${PLUGIN_NAME}:semver-check`,
      cache: false,
      options: { crate: ctx.name },
      metadata: {
        description: `Compare the public API of ${ctx.name} with a base revision and report breaking changes (it is in PUBLIC_CRATES)`,
        technologies: ['cargo'],
      },
    };
  }
  return targets;
}
