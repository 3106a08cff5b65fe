// The folders Wasmtime's publish script walks for crates: the string literals of
// its `find_crates(...)` calls. A crate outside them is not governed by the list
// (not checked, bumped or published), exactly as the script behaves.

import type { Token } from './lexer';

export interface DiscoveryCall {
  folder: string;
  line: number;
}

export class DiscoveryError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    what: string,
  ) {
    super(what);
  }
}

const FIND_CRATES = 'find_crates';

/**
 * The folders of every `find_crates(<folder>, ...)` call, in source order
 * (duplicates dropped), or undefined when the source has no such call.
 * Accepted spellings of the folder: `"crates".as_ref()`, `Path::new("crates")`,
 * `PathBuf::from("crates")`, `"crates"`, each optionally behind `&`.
 * The function's own definition and its recursive calls are skipped.
 */
export function findCratesFolders(tokens: Token[]): DiscoveryCall[] | undefined {
  const body = definitionBody(tokens);
  const calls: DiscoveryCall[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (t.kind !== 'ident' || t.value !== FIND_CRATES || !isPunct(tokens[i + 1], '(')) continue;
    if (i > 0 && isIdent(tokens[i - 1], 'fn')) continue;
    if (body && i > body.open && i < body.close) continue; // the recursion over sub-folders
    const folder = folderArgument(tokens, i + 2);
    if (folder === undefined) {
      const arg = tokens[i + 2];
      throw new DiscoveryError(
        t.line,
        t.column,
        `cannot read the folder of this \`${FIND_CRATES}(...)\` call (found \`${arg?.value ?? 'end of file'}\`): write it as a string literal, e.g. \`${FIND_CRATES}("crates".as_ref(), ...)\`, or set \`crateRoots\` in the crate-train plugin options`,
      );
    }
    if (!calls.some((c) => c.folder === folder)) calls.push({ folder, line: t.line });
  }
  return calls.length ? calls : undefined;
}

/** The folder string of a call's first argument starting at token `i`, or undefined. */
function folderArgument(tokens: Token[], i: number): string | undefined {
  if (isPunct(tokens[i], '&')) i++;
  const t = tokens[i];
  if (!t) return undefined;
  let folder: string | undefined;
  let next = i + 1;
  if (t.kind === 'string') {
    folder = t.value;
    // "crates".as_ref() / "crates".into()
    if (isPunct(tokens[next], '.') && tokens[next + 1]?.kind === 'ident' && isPunct(tokens[next + 2], '(') && isPunct(tokens[next + 3], ')')) next += 4;
  } else if (
    t.kind === 'ident' &&
    (t.value === 'Path' || t.value === 'PathBuf') &&
    isPunct(tokens[i + 1], ':') &&
    isPunct(tokens[i + 2], ':') &&
    tokens[i + 3]?.kind === 'ident' &&
    isPunct(tokens[i + 4], '(') &&
    tokens[i + 5]?.kind === 'string' &&
    isPunct(tokens[i + 6], ')')
  ) {
    folder = tokens[i + 5].value;
    next = i + 7;
  }
  if (folder === undefined || !(isPunct(tokens[next], ',') || isPunct(tokens[next], ')'))) return undefined;
  return normalizeFolder(folder);
}

export function normalizeFolder(folder: string): string {
  const f = folder
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  return f === '' ? '.' : f;
}

/** Token range of `fn find_crates(...) { ... }`'s body, if the source defines it. */
function definitionBody(tokens: Token[]): { open: number; close: number } | undefined {
  for (let i = 1; i < tokens.length; i++) {
    if (!isIdent(tokens[i], FIND_CRATES) || !isIdent(tokens[i - 1], 'fn')) continue;
    let j = i + 1;
    while (j < tokens.length && !isPunct(tokens[j], '{')) j++;
    let depth = 0;
    for (let k = j; k < tokens.length; k++) {
      if (isPunct(tokens[k], '{')) depth++;
      else if (isPunct(tokens[k], '}') && --depth === 0) return { open: j, close: k };
    }
    return { open: j, close: tokens.length };
  }
  return undefined;
}

function isPunct(t: Token | undefined, p: string): boolean {
  return !!t && t.kind === 'punct' && t.value === p;
}

function isIdent(t: Token | undefined, v: string): boolean {
  return !!t && t.kind === 'ident' && t.value === v;
}
