import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DiscoveryError, findCratesFolders } from './discovery';
import { LexError, tokenize, unclosedOnItsLine, type Token } from './lexer';
import { locateCrateList } from './locate';

/** The arrays of a `publish.rs`-style script (Wasmtime's `scripts/publish.rs`, wasm-tools' `ci/publish.rs`). */
export interface CrateList {
  /** Every published crate, in the (hand-kept) publish order. */
  cratesToPublish: string[];
  /**
   * Wasmtime's PUBLIC_CRATES: crates whose API follows semver (caret requirements;
   * every other published crate is required exactly, `=X.Y.Z`). Undefined when the
   * script has no such array (wasm-tools): then no exact/caret rule applies.
   */
  publicCrates?: string[];
  /**
   * wasm-tools' API_STABLE_CRATES: crates whose major bump is a minor step
   * (1.256.0 -> 1.257.0). Undefined when the script has none.
   */
  apiStableCrates?: string[];
  /** Not read from a file: the workspace's publishable members (see workspaceCrateList). */
  fromWorkspace?: true;
  /**
   * The folders the script walks for crates (its `find_crates(...)` calls),
   * or undefined when it has none: then every workspace member is governed.
   */
  discoveryRoots?: string[];
}

export class CrateListError extends Error {
  constructor(
    readonly file: string,
    readonly what: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${what}`);
    this.name = 'CrateListError';
  }
}

export const CRATES_TO_PUBLISH = 'CRATES_TO_PUBLISH';
export const PUBLIC_CRATES = 'PUBLIC_CRATES';
export const API_STABLE_CRATES = 'API_STABLE_CRATES';

/**
 * Parses the crate list out of Rust source: `const CRATES_TO_PUBLISH: &[&str] = &[...]`,
 * and the optional `const PUBLIC_CRATES` (Wasmtime) and `const API_STABLE_CRATES` (wasm-tools).
 * Also accepts `pub const`, `static`, and `[&str; N]` types.
 * The source is only lexed, never compiled or run.
 */
export function parseCrateList(source: string, file: string): CrateList {
  let tokens: Token[];
  try {
    tokens = tokenize(source);
  } catch (e) {
    if (e instanceof LexError) throw new CrateListError(file, `${e.message} — ${e.fix ?? 'fix the Rust syntax of the crate list'}`, e.line, e.column);
    throw e;
  }
  let roots: string[] | undefined;
  try {
    roots = findCratesFolders(tokens)?.map((c) => c.folder);
  } catch (e) {
    if (e instanceof DiscoveryError) throw new CrateListError(file, e.message, e.line, e.column);
    throw e;
  }
  const cratesToPublish = readArray(tokens, CRATES_TO_PUBLISH, file);
  const publicCrates = findDeclaration(tokens, PUBLIC_CRATES) < 0 ? undefined : readArray(tokens, PUBLIC_CRATES, file);
  const apiStableCrates = findDeclaration(tokens, API_STABLE_CRATES) < 0 ? undefined : readArray(tokens, API_STABLE_CRATES, file);
  return {
    cratesToPublish,
    ...(publicCrates ? { publicCrates } : {}),
    ...(apiStableCrates ? { apiStableCrates } : {}),
    ...(roots ? { discoveryRoots: roots } : {}),
  };
}

/**
 * Reads and parses the crate list file of a workspace: `relPath` when given,
 * else the file locateCrateList finds.
 */
export function readCrateList(workspaceRoot: string, relPath?: string): CrateList {
  const rel = relPath ?? locateCrateList(workspaceRoot);
  const file = join(workspaceRoot, rel);
  if (!existsSync(file)) throw missingCrateList(rel);
  if (statSync(file).isDirectory()) {
    throw new CrateListError(
      rel,
      `is a directory, not the crate list file — set \`crateList\` in the crate-train plugin options in nx.json to the .rs file that defines ${CRATES_TO_PUBLISH}`,
    );
  }
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw unreadableCrateList(rel, e);
  }
  return parseCrateList(source, rel);
}

/** The error for a crate list that does not exist. */
export function missingCrateList(rel: string): CrateListError {
  return new CrateListError(
    rel,
    `crate list not found — create it with \`const ${CRATES_TO_PUBLISH}: &[&str] = &[...]\` (and optionally \`const ${PUBLIC_CRATES}\`), or set \`crateList\` in the crate-train plugin options in nx.json`,
  );
}

/** The error for a crate list that exists but cannot be read (permissions, I/O, a directory). */
export function unreadableCrateList(rel: string, e: unknown): CrateListError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') {
    return new CrateListError(
      rel,
      `is a directory, not the crate list file — set \`crateList\` in the crate-train plugin options in nx.json to the .rs file that defines ${CRATES_TO_PUBLISH}`,
    );
  }
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : ((e as Error).message ?? String(e));
  return new CrateListError(
    rel,
    `the crate list cannot be read (${code ? `${code}: ` : ''}${why}) — make it readable, or set \`crateList\` in the crate-train plugin options in nx.json to the .rs file that defines ${CRATES_TO_PUBLISH}`,
  );
}

function readArray(tokens: Token[], name: string, file: string): string[] {
  const at = findDeclaration(tokens, name);
  if (at < 0) {
    throw new CrateListError(
      file,
      `no \`const ${name}: &[&str] = &[...]\` array found — the crate list needs ${CRATES_TO_PUBLISH} as an array of string literals (crate names in publish order)`,
    );
  }
  const decl = tokens[at];
  // Skip the type (which may itself contain brackets, `[&str; 3]`) up to `=`.
  let i = at + 1;
  let depth = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.value === '[' || t.value === '(') depth++;
    else if (t.value === ']' || t.value === ')') depth--;
    else if (t.value === '=' && depth === 0) break;
    else if (t.value === ';' && depth === 0) i = tokens.length;
  }
  if (i >= tokens.length) throw new CrateListError(file, `\`${name}\` has no \`= [...]\` value — give it an array of crate names`, decl.line, decl.column);
  i++;
  if (isPunct(tokens[i], '&')) i++;
  const open = tokens[i];
  if (!isPunct(open, '[')) {
    throw new CrateListError(
      file,
      `\`${name}\` must be an array literal \`&["crate", ...]\` — found \`${open?.value ?? 'end of file'}\``,
      open?.line ?? decl.line,
      open?.column,
    );
  }
  const names: string[] = [];
  const seen = new Map<string, number>();
  let expectComma = false;
  for (i++; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, ']')) return names;
    if (expectComma) {
      if (!isPunct(t, ',')) throw new CrateListError(file, `expected \`,\` or \`]\` in \`${name}\`, found \`${t.value}\``, t.line, t.column);
      expectComma = false;
      continue;
    }
    if (t.kind !== 'string') {
      throw new CrateListError(file, `\`${name}\` may only contain string literals (crate names) — found \`${t.value}\``, t.line, t.column);
    }
    if (t.openLine !== undefined) {
      const e = unclosedOnItsLine(t);
      throw new CrateListError(file, `${e.message} — ${e.fix}`, e.line, e.column);
    }
    if (!/^[A-Za-z0-9_-]+$/.test(t.value)) {
      throw new CrateListError(file, `"${t.value}" in \`${name}\` is not a valid crate name`, t.line, t.column);
    }
    const prev = seen.get(t.value);
    if (prev !== undefined) {
      throw new CrateListError(file, `"${t.value}" is listed twice in \`${name}\` (first on line ${prev}) — remove one`, t.line, t.column);
    }
    seen.set(t.value, t.line);
    names.push(t.value);
    expectComma = true;
  }
  throw new CrateListError(file, `\`${name}\` array is not closed with \`]\``, open.line, open.column);
}

/** Index of NAME in `[pub[(..)]] const|static [mut] NAME :`, or -1. */
function findDeclaration(tokens: Token[], name: string): number {
  for (let i = 1; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (t.kind !== 'ident' || t.value !== name || !isPunct(tokens[i + 1], ':')) continue;
    const before = tokens[i - 1];
    const kw = before.kind === 'ident' && before.value === 'mut' ? tokens[i - 2] : before;
    if (kw && kw.kind === 'ident' && (kw.value === 'const' || kw.value === 'static')) return i;
  }
  return -1;
}

function isPunct(t: Token | undefined, p: string): boolean {
  return !!t && t.kind === 'punct' && t.value === p;
}
