import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, run } from '@crate-train/proc';
import type { RustdocCrate } from './rustdoc-types';
import { assertRustdocFormat } from './surface';

export interface RustdocJsonOptions {
  /** Workspace root of the tree to document. */
  treeDir: string;
  crate: string;
  /** Library target name with underscores (the JSON file's stem). */
  libName: string;
  /** CARGO_TARGET_DIR for this tree; reused across runs. */
  targetDir: string;
  offline: boolean;
  /** How to name the tree in errors ("the working tree", "v5.0.0"). */
  label: string;
}

/**
 * `cargo rustdoc --output-format json` for one crate. JSON output is unstable;
 * RUSTC_BOOTSTRAP=1 lets a stable toolchain produce it (as cargo-semver-checks does).
 */
export async function buildRustdocJson(o: RustdocJsonOptions): Promise<RustdocCrate> {
  const args = ['rustdoc', '-p', o.crate, '--lib', ...(o.offline ? ['--offline'] : []), '--', '-Z', 'unstable-options', '--output-format', 'json'];
  try {
    await run('cargo', args, { cwd: o.treeDir, env: { RUSTC_BOOTSTRAP: '1', CARGO_TARGET_DIR: o.targetDir } });
  } catch (e) {
    if (e instanceof CommandError) {
      const tail = e.stderr.trim().split('\n').slice(-15).join('\n');
      throw new Error(`semver-check: cargo rustdoc failed for crate '${o.crate}' in ${o.label} (${o.treeDir}):\n${tail}`);
    }
    throw e;
  }
  const file = join(o.targetDir, 'doc', `${o.libName}.json`);
  if (!existsSync(file)) throw new Error(`semver-check: cargo rustdoc succeeded for '${o.crate}' in ${o.label} but wrote no ${file}`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  assertRustdocFormat(json, file);
  return json;
}
