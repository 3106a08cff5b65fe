// A small Rust lexer: just enough to find `const NAME: T = &[ "..", .. ];`
// in a crate list without compiling it. Comments (incl. nested block
// comments), strings, raw strings, char literals and lifetimes are skipped
// correctly so that `//` inside a string or `"` inside a comment never confuse it.

export type TokenKind = 'ident' | 'string' | 'punct' | 'other';

export interface Token {
  kind: TokenKind;
  /** Identifier text, the unescaped string value, or the punctuation character. */
  value: string;
  line: number;
  column: number;
  /** For a string literal that runs past the end of its line: its text on the first line. */
  openLine?: string;
  /** For such a string: the text before its opening quote on that line. */
  lead?: string;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** What to do about it, when the lexer can tell. */
    readonly fix?: string,
  ) {
    super(message);
  }
}

/**
 * The error for a string literal with no closing quote on its own line. A
 * crate list's strings are crate names, which never span lines; Rust allows
 * it, so this is only said once something else went wrong (a quote never
 * closed, or a "name" with a line break in it).
 */
export function unclosedOnItsLine(t: Token, toEnd = false): LexError {
  const runs = toEnd ? 'runs to the end of the file' : 'runs on to the next quote and the strings after it pair up wrong';
  const head = (t.openLine ?? '').trimEnd();
  const lead = /([A-Za-z0-9_-]+)\s*$/.exec(t.lead ?? '')?.[1];
  if (lead && /^[\s,\]);]*$/.test(head)) {
    // `    foo",`: the quote after the name is a closing quote whose opening one is missing.
    return new LexError(
      `unterminated string literal: ${lead}" has no opening quote, so this \`"\` opens a string that ${runs}`,
      t.line,
      t.column,
      `add the opening quote: write "${lead}"${head.startsWith(',') ? ',' : ''}`,
    );
  }
  const name = head.replace(/[,\];\s]+$/, '');
  return new LexError(
    `unterminated string literal: "${head} has no closing quote on its line, so it ${runs}`,
    t.line,
    t.column,
    `close it: write "${name}"${head.endsWith(',') ? ',' : ''}`,
  );
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CONT = /[A-Za-z0-9_]/;

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const col = (at: number) => at - lineStart + 1;
  // Advances over src[from, to), keeping line/column bookkeeping right.
  const advanceTo = (to: number) => {
    for (; i < to; i++) {
      if (src[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
  };

  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      advanceTo(i + 1);
      continue;
    }
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      advanceTo(end < 0 ? src.length : end);
      continue;
    }
    if (c === '/' && next === '*') {
      const startLine = line;
      const startCol = col(i);
      let depth = 0;
      let j = i;
      while (j < src.length) {
        if (src[j] === '/' && src[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (src[j] === '*' && src[j + 1] === '/') {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      if (depth !== 0) throw new LexError('unterminated block comment', startLine, startCol);
      advanceTo(j);
      continue;
    }
    const startLine = line;
    const startCol = col(i);
    // Raw strings: r"..", r#".."#, br"..".
    const raw = c === 'r' || c === 'b' ? /^b?r(#*)"/.exec(src.slice(i, i + 260)) : null;
    if (raw) {
      const hashes = raw[1];
      const bodyStart = i + raw[0].length;
      const end = src.indexOf('"' + hashes, bodyStart);
      if (end < 0) throw new LexError('unterminated raw string', startLine, startCol);
      tokens.push({ kind: raw[0].startsWith('b') ? 'other' : 'string', value: src.slice(bodyStart, end), line: startLine, column: startCol });
      advanceTo(end + 1 + hashes.length);
      continue;
    }
    if (c === '"' || (c === 'b' && next === '"')) {
      const isByte = c === 'b';
      let j = i + (isByte ? 2 : 1);
      let value = '';
      let openLine: string | undefined;
      for (;;) {
        if (j >= src.length) {
          // The quote that is never closed is rarely the culprit: an earlier string that
          // runs past its line took this quote's partner.
          const culprit = tokens.find((t) => t.kind === 'string' && t.openLine !== undefined);
          if (culprit) throw unclosedOnItsLine(culprit);
          if (openLine !== undefined)
            throw unclosedOnItsLine({ kind: 'string', value, line: startLine, column: startCol, openLine, lead: src.slice(lineStart, i) }, true);
          throw new LexError('unterminated string literal: this `"` is never closed', startLine, startCol, 'add the closing `"`');
        }
        const ch = src[j];
        if (ch === '"') break;
        if (ch === '\n' && openLine === undefined) openLine = value;
        if (ch === '\\') {
          const [text, len] = unescape(src, j);
          value += text;
          j += len;
        } else {
          value += ch;
          j++;
        }
      }
      tokens.push({
        kind: isByte ? 'other' : 'string',
        value,
        line: startLine,
        column: startCol,
        ...(openLine !== undefined ? { openLine, lead: src.slice(lineStart, i) } : {}),
      });
      advanceTo(j + 1);
      continue;
    }
    if (c === "'") {
      // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('static).
      const m = /^'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/u.exec(src.slice(i, i + 16));
      if (m) {
        tokens.push({ kind: 'other', value: m[0], line: startLine, column: startCol });
        advanceTo(i + m[0].length);
      } else {
        advanceTo(i + 1); // lifetime tick; the name lexes as an identifier
      }
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < src.length && IDENT_CONT.test(src[j])) j++;
      tokens.push({ kind: 'ident', value: src.slice(i, j), line: startLine, column: startCol });
      advanceTo(j);
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[0-9A-Za-z_.]/.test(src[j])) j++;
      tokens.push({ kind: 'other', value: src.slice(i, j), line: startLine, column: startCol });
      advanceTo(j);
      continue;
    }
    tokens.push({ kind: 'punct', value: c, line: startLine, column: startCol });
    advanceTo(i + 1);
  }
  return tokens;
}

/** Decodes the escape at src[at] (a backslash); returns the text and the length consumed. */
function unescape(src: string, at: number): [string, number] {
  const e = src[at + 1];
  switch (e) {
    case 'n':
      return ['\n', 2];
    case 't':
      return ['\t', 2];
    case 'r':
      return ['\r', 2];
    case '0':
      return ['\0', 2];
    case '\\':
    case '"':
    case "'":
      return [e, 2];
    case 'x':
      return [String.fromCharCode(parseInt(src.slice(at + 2, at + 4), 16)), 4];
    case 'u': {
      const m = /^u\{([0-9a-fA-F_]+)\}/.exec(src.slice(at + 1, at + 12));
      if (m) return [String.fromCodePoint(parseInt(m[1].replace(/_/g, ''), 16)), 1 + m[0].length];
      return ['u', 2];
    }
    case '\n': {
      // Line continuation: skip the newline and the next line's leading whitespace.
      let j = at + 2;
      while (j < src.length && /\s/.test(src[j])) j++;
      return ['', j - at];
    }
    default:
      return [e ?? '', 2];
  }
}
