import type { TomlString } from './toml-scan';

/** A requirement that names one full version (`5.0.0`, `=5.0.0`, `^0.92.0`, `~ 1.2.3`). */
export interface SimpleRequirement {
  op: '' | '=' | '^' | '~';
  version: string;
  /** Offsets of the version inside the file (within the string's quotes). */
  versionStart: number;
  versionEnd: number;
}

const SIMPLE = /^(\s*)(=|\^|~)?(\s*)(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)\s*$/;

/**
 * Reads a requirement string as written in the file. Returns undefined for
 * anything else (partial versions like "5", ranges, wildcards, escapes), which
 * cannot carry "the current version" in Wasmtime's sense.
 */
export function parseSimpleRequirement(text: string, node: TomlString): SimpleRequirement | undefined {
  const raw = text.slice(node.contentStart, node.contentEnd);
  if (raw !== node.value) return undefined; // written with escapes: not something we rewrite
  const m = SIMPLE.exec(raw);
  if (!m) return undefined;
  const versionStart = node.contentStart + m[1]!.length + (m[2] ?? '').length + m[3]!.length;
  return {
    op: (m[2] ?? '') as SimpleRequirement['op'],
    version: m[4]!,
    versionStart,
    versionEnd: versionStart + m[4]!.length,
  };
}

/** How a requirement should be written for a crate at `version` (for error messages). */
export function suggestRequirement(version: string, exact: boolean): string {
  return exact ? `=${version}` : version;
}
