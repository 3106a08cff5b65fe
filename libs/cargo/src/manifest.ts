import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { CargoManifestError } from './errors';

/** A parsed Cargo.toml together with its text (kept to locate problems by line). */
export interface Manifest {
  /** Path relative to the workspace root, '/'-separated. */
  file: string;
  text: string;
  data: TomlTable;
}

export type TomlTable = Record<string, unknown>;

/** Parses manifest text; syntax errors become CargoManifestError with line and column. */
export function parseManifest(text: string, file: string): Manifest {
  try {
    return { file, text, data: parse(text) as TomlTable };
  } catch (e) {
    if (e instanceof TomlError) {
      const what = e.message.replace(/^Invalid TOML document: /, '').split('\n')[0];
      throw new CargoManifestError(file, `invalid TOML: ${what} — fix the syntax of this manifest`, e.line, e.column);
    }
    throw e;
  }
}

/** Reads and parses a manifest; `file` is how errors name it (relative to the workspace root). */
export function readManifest(absPath: string, file: string = absPath): Manifest {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (e) {
    throw new CargoManifestError(
      file,
      `cannot read manifest (${(e as NodeJS.ErrnoException).code ?? String(e)}) — create it or fix the path that refers to it`,
    );
  }
  return parseManifest(text, file);
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * 1-based line of the first line matching `test`, for pointing errors at the
 * right place (smol-toml gives positions only for syntax errors).
 */
export function findLine(text: string, test: (line: string) => boolean): number | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (test(lines[i])) return i + 1;
  return undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Line where a key is defined: `key = ..`, `key.workspace = ..`, `[x.key]`, `"key" = ..`. */
export function keyLine(text: string, key: string): number | undefined {
  const k = escapeRe(key);
  const re = new RegExp(`(^|[.\\[])\\s*(${k}|"${k}"|'${k}')\\s*([=.\\]])`);
  return findLine(text, (l) => re.test(l.replace(/#.*$/, '')));
}

/** Line containing a string literal with this value. */
export function stringLine(text: string, value: string): number | undefined {
  return findLine(text, (l) => l.includes(`"${value}"`) || l.includes(`'${value}'`));
}
