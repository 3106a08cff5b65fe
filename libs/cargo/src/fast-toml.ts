// A fast path for the TOML that Cargo manifests are made of: tables, arrays of
// tables, dotted keys, basic and literal strings, decimal integers, booleans,
// arrays and inline tables. Its tokens are sticky regular expressions, so on a cold
// start (the first `nx` command of a process: no JIT yet) a manifest is read at the
// regex engine's speed rather than one interpreted character loop at a time, which
// is most of what the plugin's first graph costs on a large tree. It returns exactly
// what smol-toml returns (null-prototype tables), or undefined as soon as it meets
// anything else — multi-line strings, floats, dates, other bases, a redefinition,
// any syntax error — and the caller then parses with smol-toml, which gives the
// real answer or the error with its position. Differential tests compare both on
// every manifest at hand.

type Table = Record<string, unknown>;

/** Thrown inside: "not in the fast path's subset", never shown. */
const UNSUPPORTED = Symbol('unsupported');

const SKIP_SPACE = /[ \t]*/y;
const SKIP_VOID = /(?:[ \t\n]|\r\n|#[^\n\r]*)*/y;
const LINE_END = /[ \t]*(?:#[^\n\r]*)?(?:\r?\n|$)/y;
const BARE_KEY = /[A-Za-z0-9_-]+/y;
// Tab is the only control character allowed in strings and comments.
/* eslint-disable no-control-regex */
const BASIC_STRING = /"((?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:["\\bfnrt]|u[0-9A-Fa-f]{4}))*)"/y;
const LITERAL_STRING = /'([^'\x00-\x08\x0a-\x1f\x7f]*)'/y;
const INTEGER = /[+-]?(?:0|[1-9](?:_?[0-9])*)(?=[ \t\r\n,\]}#]|$)/y;
const BOOLEAN = /(?:true|false)(?=[ \t\r\n,\]}#]|$)/y;
const BAD_COMMENT_CHAR = /#[^\n]*[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]/;
/* eslint-enable no-control-regex */

const newTable = (): Table => Object.create(null) as Table;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

class Parser {
  p = 0;
  /** Tables defined by a [header], by dotted keys, or inline (closed), and arrays made by [[header]]. */
  private readonly headerTables = new Set<Table>();
  private readonly dottedTables = new Set<Table>();
  private readonly inlineValues = new Set<unknown>();
  private readonly tableArrays = new Set<unknown[]>();

  constructor(private readonly s: string) {}

  private match(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.p;
    const m = re.exec(this.s);
    if (m) this.p = re.lastIndex;
    return m;
  }

  private skip(re: RegExp): void {
    re.lastIndex = this.p;
    re.exec(this.s);
    this.p = re.lastIndex;
  }

  private expect(ch: string): void {
    if (this.s[this.p] !== ch) throw UNSUPPORTED;
    this.p++;
  }

  parse(): Table {
    const root = newTable();
    let current = root;
    for (;;) {
      this.skip(SKIP_VOID);
      if (this.p >= this.s.length) return root;
      if (this.s[this.p] === '[') {
        current = this.s[this.p + 1] === '[' ? this.arrayTableHeader(root) : this.tableHeader(root);
      } else {
        this.keyValue(current);
      }
      if (!this.match(LINE_END)) throw UNSUPPORTED;
    }
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skip(SKIP_SPACE);
      let m: RegExpExecArray | null;
      if ((m = this.match(BARE_KEY))) parts.push(m[0]);
      else if (this.s.startsWith('"""', this.p) || this.s.startsWith("'''", this.p)) throw UNSUPPORTED;
      else if ((m = this.match(BASIC_STRING))) parts.push(unescape(m[1]));
      else if ((m = this.match(LITERAL_STRING))) parts.push(m[1]);
      else throw UNSUPPORTED;
      if (parts[parts.length - 1] === '__proto__') throw UNSUPPORTED;
      this.skip(SKIP_SPACE);
      if (this.s[this.p] !== '.') return parts;
      this.p++;
    }
  }

  /** Walks the intermediate keys of a header: tables (made implicitly when absent), or the last table of an array of tables. */
  private descend(root: Table, keys: string[]): Table {
    let t = root;
    for (const k of keys) {
      const v = t[k];
      if (v === undefined) {
        const next = newTable();
        t[k] = next;
        t = next;
      } else if (Array.isArray(v) && this.tableArrays.has(v)) {
        t = v[v.length - 1] as Table;
      } else if (isTable(v) && !this.inlineValues.has(v)) {
        t = v;
      } else {
        throw UNSUPPORTED;
      }
    }
    return t;
  }

  private tableHeader(root: Table): Table {
    this.p++;
    const keys = this.key();
    this.expect(']');
    const parent = this.descend(root, keys.slice(0, -1));
    const last = keys[keys.length - 1];
    const existing = parent[last];
    if (existing === undefined) {
      const t = newTable();
      parent[last] = t;
      this.headerTables.add(t);
      return t;
    }
    // Defined before only implicitly (as the parent of another header): this defines it.
    if (isTable(existing) && !this.headerTables.has(existing) && !this.dottedTables.has(existing) && !this.inlineValues.has(existing)) {
      this.headerTables.add(existing);
      return existing;
    }
    throw UNSUPPORTED;
  }

  private arrayTableHeader(root: Table): Table {
    this.p += 2;
    const keys = this.key();
    this.expect(']');
    this.expect(']');
    const parent = this.descend(root, keys.slice(0, -1));
    const last = keys[keys.length - 1];
    let arr = parent[last];
    if (arr === undefined) {
      arr = [];
      parent[last] = arr;
      this.tableArrays.add(arr as unknown[]);
    } else if (!Array.isArray(arr) || !this.tableArrays.has(arr)) {
      throw UNSUPPORTED;
    }
    const t = newTable();
    (arr as unknown[]).push(t);
    this.headerTables.add(t);
    return t;
  }

  /** `a.b.c = value` into `table`; dotted keys make (or extend) tables of their own only. */
  private keyValue(table: Table, inline?: Set<Table>): void {
    const keys = this.key();
    this.expect('=');
    this.skip(SKIP_SPACE);
    let t = table;
    for (const k of keys.slice(0, -1)) {
      const v = t[k];
      if (v === undefined) {
        const next = newTable();
        t[k] = next;
        (inline ?? this.dottedTables).add(next);
        t = next;
      } else if (isTable(v) && (inline ? inline.has(v) : this.dottedTables.has(v))) {
        t = v;
      } else {
        throw UNSUPPORTED;
      }
    }
    const last = keys[keys.length - 1];
    if (Object.prototype.hasOwnProperty.call(t, last)) throw UNSUPPORTED;
    t[last] = this.value();
  }

  private value(): unknown {
    const c = this.s[this.p];
    let m: RegExpExecArray | null;
    if (c === '"') {
      if (this.s.startsWith('"""', this.p) || !(m = this.match(BASIC_STRING))) throw UNSUPPORTED;
      return unescape(m[1]);
    }
    if (c === "'") {
      if (this.s.startsWith("'''", this.p) || !(m = this.match(LITERAL_STRING))) throw UNSUPPORTED;
      return m[1];
    }
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    if ((m = this.match(BOOLEAN))) return m[0] === 'true';
    if ((m = this.match(INTEGER))) {
      const n = Number(m[0].replace(/_/g, ''));
      if (!Number.isSafeInteger(n)) throw UNSUPPORTED;
      return n;
    }
    throw UNSUPPORTED;
  }

  private array(): unknown[] {
    this.p++;
    const out: unknown[] = [];
    for (;;) {
      this.skip(SKIP_VOID);
      if (this.s[this.p] === ']') {
        this.p++;
        this.inlineValues.add(out);
        return out;
      }
      out.push(this.value());
      this.skip(SKIP_VOID);
      if (this.s[this.p] === ',') this.p++;
      else if (this.s[this.p] !== ']') throw UNSUPPORTED;
    }
  }

  /** One line, no trailing comma (TOML 1.0); anything else goes to smol-toml. */
  private inlineTable(): Table {
    this.p++;
    const t = newTable();
    const sub = new Set<Table>();
    this.skip(SKIP_SPACE);
    if (this.s[this.p] === '}') {
      this.p++;
      this.inlineValues.add(t);
      return t;
    }
    for (;;) {
      this.keyValue(t, sub);
      this.skip(SKIP_SPACE);
      const c = this.s[this.p++];
      if (c === '}') break;
      if (c !== ',') throw UNSUPPORTED;
      this.skip(SKIP_SPACE);
      if (this.s[this.p] === '}') throw UNSUPPORTED;
    }
    this.inlineValues.add(t);
    for (const x of sub) this.inlineValues.add(x);
    return t;
  }
}

function unescape(inner: string): string {
  if (!inner.includes('\\')) return inner;
  // A surrogate is no Unicode scalar value: TOML refuses it, JSON would not.
  if (/\\u[dD][89a-fA-F]/.test(inner)) throw UNSUPPORTED;
  return JSON.parse(`"${inner}"`) as string;
}

/** The document as smol-toml would parse it, or undefined when it is outside the fast path (parse it with smol-toml). */
export function parseCargoTomlFast(text: string): Table | undefined {
  if (BAD_COMMENT_CHAR.test(text)) return undefined;
  try {
    return new Parser(text).parse();
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}
