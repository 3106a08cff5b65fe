// The known-good cargo setup for publishing to a local registry: a scratch
// CARGO_HOME whose config.toml names the registry and replaces crates.io with it, so
// manifests stay exactly as they would be for crates.io.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CargoHomeOptions {
  /** Existing directory to use as CARGO_HOME; default a new temp dir. */
  cargoHome?: string;
  /** Registry name in cargo's config. Default `local`. */
  registryName?: string;
  /** Also `[source.crates-io] replace-with = NAME`. Default true. */
  replaceCratesIo?: boolean;
  /** Extra TOML appended verbatim (e.g. `[http]\ntimeout = 5`). */
  extra?: string;
}

export interface CargoHomeSetup {
  cargoHome: string;
  registryName: string;
  /** Environment for cargo: CARGO_HOME and CARGO_REGISTRIES_<NAME>_TOKEN. */
  env: Record<string, string>;
}

/** Name of the env var cargo reads a registry's token from. */
export function registryTokenEnvVar(registryName: string): string {
  return `CARGO_REGISTRIES_${registryName.toUpperCase().replace(/-/g, '_')}_TOKEN`;
}

/** cargo config.toml text for a registry. */
export function cargoConfigToml(registry: { indexUrl: string }, opts: CargoHomeOptions = {}): string {
  const name = opts.registryName ?? 'local';
  const lines = [`[registries.${name}]`, `index = "${registry.indexUrl}"`, ''];
  if (opts.replaceCratesIo !== false) lines.push('[source.crates-io]', `replace-with = "${name}"`, '');
  if (opts.extra) lines.push(opts.extra, '');
  return lines.join('\n');
}

/** Writes CARGO_HOME/config.toml for the registry and returns the env cargo needs. */
export function writeCargoConfig(registry: { indexUrl: string; token: string }, opts: CargoHomeOptions = {}): CargoHomeSetup {
  const cargoHome = opts.cargoHome ?? mkdtempSync(join(tmpdir(), 'crate-train-cargo-home-'));
  const registryName = opts.registryName ?? 'local';
  mkdirSync(cargoHome, { recursive: true });
  writeFileSync(join(cargoHome, 'config.toml'), cargoConfigToml(registry, opts));
  return {
    cargoHome,
    registryName,
    env: { CARGO_HOME: cargoHome, [registryTokenEnvVar(registryName)]: registry.token },
  };
}
