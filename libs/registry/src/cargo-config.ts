// Finds a registry the way cargo does for `--registry NAME`: `[registries.NAME] index`
// from the config files (the workspace's `.cargo/config.toml` and its parents, then
// `$CARGO_HOME/config.toml`; nearer files win), overridden by
// `CARGO_REGISTRIES_<NAME>_INDEX`; `registry.default` when no name is given; crates.io
// otherwise. The token comes only from the environment, and only from the registry's
// own variable, as cargo reads it: CARGO_REGISTRY_TOKEN for crates.io,
// CARGO_REGISTRIES_<NAME>_TOKEN for a named registry.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'smol-toml';

export const CRATES_IO_INDEX = 'sparse+https://index.crates.io/';
export const CRATES_IO_NAME = 'crates-io';

export class RegistryConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryConfigError';
  }
}

/** A registry as cargo would use it, with its token kept out of JSON and string output. */
export class ResolvedRegistry {
  readonly #token: string | undefined;

  constructor(
    /** The name cargo knows it by (`crates-io` for the default). */
    readonly name: string,
    /** Index URL as configured (`sparse+https://...`). */
    readonly indexUrl: string,
    readonly isCratesIo: boolean,
    /** Where the index URL came from (a file, an env var, or the default). */
    readonly source: string,
    /** Env var cargo reads this registry's token from. */
    readonly tokenEnvVar: string,
    token: string | undefined,
    /** Whether `--registry NAME` must be passed to cargo (false for the default crates.io). */
    readonly passRegistryFlag: boolean,
  ) {
    this.#token = token;
  }

  get token(): string | undefined {
    return this.#token;
  }

  /** Base URL of the sparse index (without `sparse+`, ending in `/`). */
  get indexBase(): string {
    const u = this.indexUrl.replace(/^sparse\+/, '');
    return u.endsWith('/') ? u : `${u}/`;
  }

  /** The environment a cargo child needs to authenticate (the token under cargo's own variable). */
  cargoEnv(): Record<string, string> {
    return this.#token ? { [this.tokenEnvVar]: this.#token } : {};
  }

  toJSON() {
    return {
      name: this.name,
      indexUrl: this.indexUrl,
      isCratesIo: this.isCratesIo,
      source: this.source,
      tokenEnvVar: this.tokenEnvVar,
      hasToken: !!this.#token,
    };
  }
}

export interface ResolveRegistryOptions {
  /** `--registry NAME`; undefined = `registry.default` or crates.io. */
  name?: string;
  /** Where cargo runs (the workspace root): config files are searched from here up. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** The env var name cargo derives from a registry name (`my-reg` -> `MY_REG`). */
export function envKey(name: string): string {
  return name.toUpperCase().replace(/[-.]/g, '_');
}

interface ConfigFile {
  path: string;
  data: Record<string, unknown>;
}

/** cargo's config files for `cwd`, nearest first. */
export function cargoConfigFiles(cwd: string, env: NodeJS.ProcessEnv = process.env): ConfigFile[] {
  const paths: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    for (const f of ['config.toml', 'config']) {
      const p = join(dir, '.cargo', f);
      if (existsSync(p)) {
        paths.push(p);
        break;
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const cargoHome = env.CARGO_HOME || join(homedir(), '.cargo');
  for (const f of ['config.toml', 'config']) {
    const p = resolve(cargoHome, f);
    if (existsSync(p)) {
      if (!paths.includes(p)) paths.push(p);
      break;
    }
  }
  return paths.map((path) => {
    try {
      return { path, data: parse(readFileSync(path, 'utf8')) as Record<string, unknown> };
    } catch (e) {
      throw new RegistryConfigError(`${path}: not valid TOML (${(e as Error).message}) — fix the cargo config file`);
    }
  });
}

function get(data: Record<string, unknown>, ...keys: string[]): unknown {
  let cur: unknown = data;
  for (const k of keys) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Resolves `--registry NAME` (or the default registry) as cargo would. */
export function resolveRegistry(opts: ResolveRegistryOptions): ResolvedRegistry {
  const env = opts.env ?? process.env;
  const files = cargoConfigFiles(opts.cwd, env);
  let name = opts.name;
  let passFlag = !!name;
  if (!name) {
    const fromEnv = env.CARGO_REGISTRY_DEFAULT;
    const fromFile = files.map((f) => get(f.data, 'registry', 'default')).find((v) => typeof v === 'string') as string | undefined;
    name = fromEnv || fromFile || CRATES_IO_NAME;
    passFlag = false;
  }
  if (name === CRATES_IO_NAME) {
    return new ResolvedRegistry(
      CRATES_IO_NAME,
      CRATES_IO_INDEX,
      true,
      'default (crates.io)',
      'CARGO_REGISTRY_TOKEN',
      env.CARGO_REGISTRY_TOKEN || env.CARGO_REGISTRIES_CRATES_IO_TOKEN || undefined,
      passFlag,
    );
  }
  const key = envKey(name);
  let indexUrl = env[`CARGO_REGISTRIES_${key}_INDEX`];
  let source = `CARGO_REGISTRIES_${key}_INDEX`;
  if (!indexUrl) {
    for (const f of files) {
      const v = get(f.data, 'registries', name, 'index');
      if (typeof v === 'string') {
        indexUrl = v;
        source = f.path;
        break;
      }
    }
  }
  if (!indexUrl) {
    const searched = files.map((f) => f.path).join(', ') || 'no cargo config file found';
    throw new RegistryConfigError(
      `registry \`${name}\` is not configured: add \`[registries.${name}] index = "sparse+https://..."\` to .cargo/config.toml or $CARGO_HOME/config.toml, or set CARGO_REGISTRIES_${key}_INDEX (searched: ${searched})`,
    );
  }
  if (!indexUrl.startsWith('sparse+')) {
    throw new RegistryConfigError(
      `registry \`${name}\` uses a git index (${indexUrl}, from ${source}); crate-train reads registries over the sparse protocol — configure its \`sparse+https://...\` index URL`,
    );
  }
  const tokenVar = `CARGO_REGISTRIES_${key}_TOKEN`;
  // As cargo does: a named registry's token is CARGO_REGISTRIES_<NAME>_TOKEN only.
  // CARGO_REGISTRY_TOKEN is crates.io's and never goes anywhere else.
  const token = env[tokenVar] || undefined;
  return new ResolvedRegistry(name, indexUrl, false, source, tokenVar, token, passFlag);
}

/** Environment variables that hold a registry token (cargo's and crate-train's names). */
export function isRegistryTokenVar(name: string): boolean {
  return name === 'CARGO_REGISTRY_TOKEN' || /^CARGO_REGISTRIES_.+_TOKEN$/.test(name);
}

/**
 * `env` without any registry token, so a cargo child gets only the one it needs
 * (added back by ResolvedRegistry.cargoEnv) and never another registry's.
 */
export function withoutRegistryTokens(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!isRegistryTokenVar(k)) out[k] = v;
  return out;
}

/**
 * Token variables set in `env` that belong to other registries than `reg` (to explain
 * a missing token: `CARGO_REGISTRY_TOKEN is crates.io's`).
 */
export function otherRegistryTokenVars(reg: ResolvedRegistry, env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((k) => isRegistryTokenVar(k) && env[k] && k !== reg.tokenEnvVar && !(reg.isCratesIo && k === 'CARGO_REGISTRIES_CRATES_IO_TOKEN'))
    .sort();
}
