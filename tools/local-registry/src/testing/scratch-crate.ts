// Small helpers the registry's own tests (and others') use to make throwaway crates.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ScratchCrate {
  name: string;
  version: string;
  /** Extra `[dependencies]` lines. */
  deps?: string[];
  features?: string[];
}

/** Writes a minimal publishable library crate under `dir/name` and returns its folder. */
export function writeScratchCrate(dir: string, c: ScratchCrate): string {
  const root = join(dir, c.name);
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(
    join(root, 'Cargo.toml'),
    [
      '[package]',
      `name = "${c.name}"`,
      `version = "${c.version}"`,
      'edition = "2021"',
      `description = "scratch crate ${c.name}"`,
      'license = "MIT"',
      '',
      '[dependencies]',
      ...(c.deps ?? []),
      '',
      '[features]',
      ...(c.features ?? []),
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'src', 'lib.rs'), `pub fn name() -> &'static str { "${c.name}" }\n`);
  return root;
}
