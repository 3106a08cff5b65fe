// A small TOML scanner that keeps source positions. smol-toml parses Cargo
// manifests well but gives no offsets, and every TOML writer we tried reshapes
// files; to change one version string and keep every other byte we need the
// exact range of each value. This reads the whole TOML syntax (headers with
// quoted and dotted keys, inline tables, arrays, the four string kinds,
// comments, CRLF) and yields ranges; it does not check semantic rules such as
// duplicate keys (cargo does that).

export class TomlScanError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: invalid TOML: ${reason}`);
    this.name = 'TomlScanError';
  }
}

export type StringStyle = 'basic' | 'literal' | 'ml-basic' | 'ml-literal';

interface Ranged {
  /** Offset of the value's first character (a quote for strings). */
  start: number;
  /** Offset just after the value's last character. */
  end: number;
}

export interface TomlString extends Ranged {
  kind: 'string';
  style: StringStyle;
  /** Decoded value. */
  value: string;
  /** Range of the text between the quotes. */
  contentStart: number;
  contentEnd: number;
}

/** Numbers, booleans, dates: kept as written. */
export interface TomlScalar extends Ranged {
  kind: 'scalar';
  raw: string;
}

export interface TomlArray extends Ranged {
  kind: 'array';
  items: TomlValue[];
}

export interface TomlInlineTable extends Ranged {
  kind: 'inline-table';
  entries: TomlKeyValue[];
}

export type TomlValue = TomlString | TomlScalar | TomlArray | TomlInlineTable;

export interface TomlKeyValue {
  /** The dotted key as written, decoded (`foo.version` -> ['foo', 'version']). */
  key: string[];
  keyStart: number;
  value: TomlValue;
}

export interface TomlSection {
  /** Header path; [] for the root table before any header. */
  header: string[];
  /** `[[...]]` */
  arrayOfTables: boolean;
  /** Offset of the `[`; -1 for the root table. */
  start: number;
  entries: TomlKeyValue[];
}

export interface TomlDocument {
  file: string;
  text: string;
  sections: TomlSection[];
  /** 1-based line of an offset. */
  lineOf(offset: number): number;
}

/** A leaf value with its full key path (section header + dotted key + inline-table keys). */
export interface TomlLeaf {
  path: string[];
  value: TomlString | TomlScalar | TomlArray;
  section: TomlSection;
}

const BARE_KEY = /[A-Za-z0-9_-]/;

export function scanToml(text: string, file: string): TomlDocument {
  return new Scanner(text, file).document();
}

/** Every leaf of a document, in source order. Arrays are leaves (their items are in `items`). */
export function tomlLeaves(doc: TomlDocument): TomlLeaf[] {
  const out: TomlLeaf[] = [];
  const walk = (section: TomlSection, prefix: string[], entries: TomlKeyValue[]) => {
    for (const kv of entries) {
      const path = [...prefix, ...kv.key];
      if (kv.value.kind === 'inline-table') walk(section, path, kv.value.entries);
      else out.push({ path, value: kv.value, section });
    }
  };
  for (const s of doc.sections) walk(s, s.header, s.entries);
  return out;
}

class Scanner {
  private pos = 0;
  private lineStarts: number[] | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  document(): TomlDocument {
    const root: TomlSection = { header: [], arrayOfTables: false, start: -1, entries: [] };
    const sections = [root];
    let current = root;
    const t = this.text;
    // A UTF-8 byte order mark is allowed before the first line.
    if (t.charCodeAt(0) === 0xfeff) this.pos = 1;
    while (this.pos < t.length) {
      this.skipWs();
      const c = t[this.pos];
      if (c === undefined) break;
      if (c === '#') {
        this.skipComment();
      } else if (c === '\n' || (c === '\r' && t[this.pos + 1] === '\n')) {
        this.pos += c === '\r' ? 2 : 1;
        continue;
      } else if (c === '[') {
        const start = this.pos;
        const arrayOfTables = t[this.pos + 1] === '[';
        this.pos += arrayOfTables ? 2 : 1;
        this.skipWs();
        const header = this.key();
        this.skipWs();
        if (t[this.pos] !== ']' || (arrayOfTables && t[this.pos + 1] !== ']')) {
          this.fail(arrayOfTables ? "expected ']]' to close the table header" : "expected ']' to close the table header");
        }
        this.pos += arrayOfTables ? 2 : 1;
        current = { header, arrayOfTables, start, entries: [] };
        sections.push(current);
      } else {
        current.entries.push(this.keyValue());
      }
      this.endOfLine();
    }
    const lineStarts = this.getLineStarts();
    return {
      file: this.file,
      text: t,
      sections,
      lineOf: (offset: number) => lineIndex(lineStarts, offset) + 1,
    };
  }

  private keyValue(): TomlKeyValue {
    const keyStart = this.pos;
    const key = this.key();
    this.skipWs();
    if (this.text[this.pos] !== '=') this.fail(`expected '=' after key ${JSON.stringify(key.join('.'))}`);
    this.pos++;
    this.skipWs();
    const value = this.value();
    return { key, keyStart, value };
  }

  /** A dotted key: parts separated by '.', whitespace allowed around the dots. */
  private key(): string[] {
    const parts = [this.simpleKey()];
    for (;;) {
      const save = this.pos;
      this.skipWs();
      if (this.text[this.pos] !== '.') {
        this.pos = save;
        return parts;
      }
      this.pos++;
      this.skipWs();
      parts.push(this.simpleKey());
    }
  }

  private simpleKey(): string {
    const t = this.text;
    const c = t[this.pos];
    if (c === '"') {
      if (t.startsWith('"""', this.pos)) this.fail('a key cannot be a multi-line string');
      return this.basicString().value;
    }
    if (c === "'") {
      if (t.startsWith("'''", this.pos)) this.fail('a key cannot be a multi-line string');
      return this.literalString().value;
    }
    const start = this.pos;
    while (this.pos < t.length && BARE_KEY.test(t[this.pos]!)) this.pos++;
    if (this.pos === start) this.fail(c === undefined ? 'expected a key, found the end of the file' : `expected a key, found ${JSON.stringify(c)}`);
    return t.slice(start, this.pos);
  }

  private value(): TomlValue {
    const t = this.text;
    const c = t[this.pos];
    if (c === '"') return t.startsWith('"""', this.pos) ? this.mlBasicString() : this.basicString();
    if (c === "'") return t.startsWith("'''", this.pos) ? this.mlLiteralString() : this.literalString();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    return this.scalar();
  }

  private scalar(): TomlScalar {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && !/[\s,\]}#]/.test(t[this.pos]!)) this.pos++;
    // A date-time may separate date and time with a space (1979-05-27 07:32:00Z).
    if (/^\d{4}-\d{2}-\d{2}$/.test(t.slice(start, this.pos)) && t[this.pos] === ' ' && /\d{2}:/.test(t.slice(this.pos + 1, this.pos + 4))) {
      this.pos++;
      while (this.pos < t.length && !/[\s,\]}#]/.test(t[this.pos]!)) this.pos++;
    }
    if (this.pos === start) {
      const c = t[this.pos];
      this.fail(c === undefined || c === '\n' || c === '\r' ? 'expected a value' : `expected a value, found ${JSON.stringify(c)}`);
    }
    return { kind: 'scalar', raw: t.slice(start, this.pos), start, end: this.pos };
  }

  private array(): TomlArray {
    const start = this.pos;
    this.pos++; // [
    const items: TomlValue[] = [];
    for (;;) {
      this.skipWsNewlinesComments();
      if (this.text[this.pos] === ']') break;
      items.push(this.value());
      this.skipWsNewlinesComments();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') break;
      this.fail(c === undefined ? 'unterminated array' : `expected ',' or ']' in an array, found ${JSON.stringify(c)}`);
    }
    this.pos++; // ]
    return { kind: 'array', items, start, end: this.pos };
  }

  private inlineTable(): TomlInlineTable {
    const start = this.pos;
    this.pos++; // {
    const entries: TomlKeyValue[] = [];
    // TOML 1.0 keeps inline tables on one line; 1.1 allows newlines and
    // comments. Accepting both costs nothing and cargo decides what is valid.
    this.skipWsNewlinesComments();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'inline-table', entries, start, end: this.pos };
    }
    for (;;) {
      this.skipWsNewlinesComments();
      if (this.text[this.pos] === '}') break; // trailing comma (TOML 1.1)
      entries.push(this.keyValue());
      this.skipWsNewlinesComments();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') break;
      this.fail(c === undefined ? 'unterminated inline table' : `expected ',' or '}' in an inline table, found ${JSON.stringify(c)}`);
    }
    this.pos++; // }
    return { kind: 'inline-table', entries, start, end: this.pos };
  }

  private basicString(): TomlString {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    let value = '';
    for (;;) {
      const c = t[this.pos];
      if (c === undefined || c === '\n' || (c === '\r' && t[this.pos + 1] === '\n')) this.fail('unterminated string');
      if (c === '"') break;
      if (c === '\\') value += this.escape(false);
      else {
        value += c;
        this.pos++;
      }
    }
    const contentEnd = this.pos;
    this.pos++;
    return { kind: 'string', style: 'basic', value, start, end: this.pos, contentStart: start + 1, contentEnd };
  }

  private literalString(): TomlString {
    const t = this.text;
    const start = this.pos;
    const close = t.indexOf("'", start + 1);
    const nl = t.indexOf('\n', start + 1);
    if (close < 0 || (nl >= 0 && nl < close)) this.fail('unterminated literal string');
    const contentEnd = close;
    this.pos = close + 1;
    return { kind: 'string', style: 'literal', value: t.slice(start + 1, contentEnd), start, end: this.pos, contentStart: start + 1, contentEnd };
  }

  private mlLiteralString(): TomlString {
    const t = this.text;
    const start = this.pos;
    const close = t.indexOf("'''", start + 3);
    if (close < 0) this.fail('unterminated multi-line literal string');
    // Up to two quotes right before the closing ''' belong to the content.
    let extra = 0;
    while (extra < 2 && t[close + 3 + extra] === "'") extra++;
    const contentStart = start + 3;
    const contentEnd = close + extra;
    this.pos = contentEnd + 3;
    return { kind: 'string', style: 'ml-literal', value: stripFirstNewline(t.slice(contentStart, contentEnd)), start, end: this.pos, contentStart, contentEnd };
  }

  private mlBasicString(): TomlString {
    const t = this.text;
    const start = this.pos;
    this.pos += 3;
    const contentStart = this.pos;
    // A newline right after the opening delimiter is not part of the value.
    if (t[this.pos] === '\n') this.pos++;
    else if (t[this.pos] === '\r' && t[this.pos + 1] === '\n') this.pos += 2;
    let value = '';
    for (;;) {
      const c = t[this.pos];
      if (c === undefined) this.fail('unterminated multi-line string');
      if (c === '"' && t.startsWith('"""', this.pos)) {
        let extra = 0;
        while (extra < 2 && t[this.pos + 3 + extra] === '"') extra++;
        value += '"'.repeat(extra);
        this.pos += extra;
        break;
      }
      if (c === '\\') value += this.escape(true);
      else {
        value += c;
        this.pos++;
      }
    }
    const contentEnd = this.pos;
    this.pos += 3;
    return { kind: 'string', style: 'ml-basic', value, start, end: this.pos, contentStart, contentEnd };
  }

  /** Reads one escape at `pos` (which is on the backslash); returns its decoded text. */
  private escape(multiline: boolean): string {
    const t = this.text;
    const n = t[this.pos + 1];
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\x1b' };
    if (n !== undefined && n in simple) {
      this.pos += 2;
      return simple[n]!;
    }
    if (n === 'u' || n === 'U' || n === 'x') {
      const len = n === 'u' ? 4 : n === 'U' ? 8 : 2;
      const hex = t.slice(this.pos + 2, this.pos + 2 + len);
      if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) this.fail(`invalid \\${n} escape`);
      this.pos += 2 + len;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    if (multiline) {
      // A line-ending backslash trims the newline and the whitespace after it.
      let p = this.pos + 1;
      while (t[p] === ' ' || t[p] === '\t') p++;
      if (t[p] === '\n' || (t[p] === '\r' && t[p + 1] === '\n')) {
        while (p < t.length && /[ \t\r\n]/.test(t[p]!)) p++;
        this.pos = p;
        return '';
      }
    }
    this.fail(`invalid escape ${JSON.stringify('\\' + (n ?? ''))}`);
  }

  private skipWs(): void {
    const t = this.text;
    while (t[this.pos] === ' ' || t[this.pos] === '\t') this.pos++;
  }

  private skipComment(): void {
    const t = this.text;
    while (this.pos < t.length && t[this.pos] !== '\n' && !(t[this.pos] === '\r' && t[this.pos + 1] === '\n')) this.pos++;
  }

  private skipWsNewlinesComments(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n') this.pos++;
      else if (c === '\r' && t[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') this.skipComment();
      else return;
    }
  }

  /** After a key/value or header: optional whitespace and comment, then a newline or the end. */
  private endOfLine(): void {
    this.skipWs();
    const t = this.text;
    if (t[this.pos] === '#') this.skipComment();
    const c = t[this.pos];
    if (c === undefined) return;
    if (c === '\n') this.pos++;
    else if (c === '\r' && t[this.pos + 1] === '\n') this.pos += 2;
    else this.fail(`expected the end of the line, found ${JSON.stringify(c)}`);
  }

  private getLineStarts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  private fail(reason: string): never {
    const starts = this.getLineStarts();
    const li = lineIndex(starts, this.pos);
    throw new TomlScanError(this.file, li + 1, this.pos - starts[li]! + 1, reason);
  }
}

function stripFirstNewline(s: string): string {
  if (s.startsWith('\r\n')) return s.slice(2);
  if (s.startsWith('\n')) return s.slice(1);
  return s;
}

function lineIndex(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
