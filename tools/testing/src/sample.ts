import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { SAMPLE_DIR } from './paths';
import { makeTempDir } from './temp-dirs';

// Build output and this repo's Nx files for the sample's own test project are
// not part of the Cargo workspace a user would have.
const SKIP_ANYWHERE = new Set(['target', 'node_modules', '.nx']);
const SKIP_AT_ROOT = new Set(['project.json', 'jest.config.cjs', 'spec']);

/**
 * Copies the sample workspace into `dest` (created if missing, must be empty)
 * or into a new temp dir, and returns that directory.
 */
export function copySample(dest?: string): string {
  const to = dest ?? makeTempDir('sample');
  if (existsSync(to) && readdirSync(to).length > 0) {
    throw new Error(`copySample: destination ${to} is not empty`);
  }
  mkdirSync(to, { recursive: true });
  cpSync(SAMPLE_DIR, to, {
    recursive: true,
    filter: (src) => {
      const rel = relative(SAMPLE_DIR, src);
      if (rel === '') return true;
      const parts = rel.split(sep);
      if (parts.some((p) => SKIP_ANYWHERE.has(p))) return false;
      return !(parts.length === 1 && SKIP_AT_ROOT.has(parts[0]));
    },
  });
  return to;
}

/** The crates of the sample workspace, by name, with their folder and version. */
export const SAMPLE_CRATES: Readonly<Record<string, { dir: string; version: string }>> = {
  'wasmtime-cli': { dir: '.', version: '5.0.0' },
  wasmtime: { dir: 'crates/wasmtime', version: '5.0.0' },
  'wasmtime-wasi': { dir: 'crates/wasi', version: '5.0.0' },
  'wasmtime-environ': { dir: 'crates/environ', version: '5.0.0' },
  'wasmtime-fiber': { dir: 'crates/fiber', version: '5.0.0' },
  'wasmtime-cli-flags': { dir: 'crates/cli-flags', version: '5.0.0' },
  'wasmtime-c-api': { dir: 'crates/c-api', version: '5.0.0' },
  'wasmtime-test-util': { dir: 'crates/test-util', version: '5.0.0' },
  'cranelift-entity': { dir: 'cranelift/entity', version: '0.92.0' },
  'cranelift-codegen-meta': { dir: 'cranelift/codegen/meta', version: '0.92.0' },
  'cranelift-codegen': { dir: 'cranelift/codegen', version: '0.92.0' },
  'winch-codegen': { dir: 'winch/codegen', version: '0.3.0' },
  'pulley-interpreter': { dir: 'pulley', version: '5.0.0' },
};
