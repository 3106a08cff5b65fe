import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@crate-train/proc';

/** A dependency as `cargo metadata` reports it (kind null = normal). */
export interface CargoDependency {
  name: string;
  rename: string | null;
  kind: 'dev' | 'build' | null;
  req: string;
  target: string | null;
  optional: boolean;
  /** Folder of a path dependency (absolute); absent for registry dependencies. */
  path?: string;
}

export interface CargoPackage {
  name: string;
  version: string;
  id: string;
  manifest_path: string;
  /** null = publishable anywhere; [] = `publish = false`. */
  publish: string[] | null;
  dependencies: CargoDependency[];
}

export interface CargoMetadata {
  packages: CargoPackage[];
  workspace_members: string[];
  workspace_root: string;
}

/** `cargo metadata --format-version 1 --no-deps --offline` in `dir`, parsed. */
export async function cargoMetadata(dir: string): Promise<CargoMetadata> {
  const { stdout } = await run('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline'], { cwd: dir });
  return JSON.parse(stdout) as CargoMetadata;
}

/**
 * A CARGO_TARGET_DIR shared by every test that compiles (cargo locks it, so
 * parallel use is safe), so builds are reused across tests and runs.
 */
export const SHARED_CARGO_TARGET_DIR: string = join(tmpdir(), 'crate-train-cargo-target');
