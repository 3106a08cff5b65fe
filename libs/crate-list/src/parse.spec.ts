import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrateListError, parseCrateList, readCrateList, unreadableCrateList } from './index';

// Shaped like Wasmtime's scripts/publish.rs: doc comments, `//` sections
// inside the arrays, trailing commas, and code that must not be mistaken for the list.
const WASMTIME_LIKE = `//! Helper script to publish the wasmtime and cranelift suites of crates
//! * \`./publish bump\` - bump crate versions in-tree

use std::collections::HashMap;

// note that this list must be topologically sorted by dependencies
const CRATES_TO_PUBLISH: &[&str] = &[
    // pulley
    "pulley-interpreter",
    // cranelift
    "cranelift-entity",

    "cranelift-codegen-meta", /* the meta crate */
    "cranelift-codegen",
    // "commented-out-crate",
    /* "also-commented", /* nested */ */
    "wasmtime",
    "wasmtime-cli",
];

// Anything **not** mentioned in this array is required to have an \`=a.b.c\`
// dependency requirement on it.
const PUBLIC_CRATES: &[&str] = &[
    // These are actually public crates
    "wasmtime",
    "cranelift-entity",
    "wasmtime-cli"
];

const C_HEADER_PATH: &str = "./crates/c-api/include/wasmtime.h";

fn read_crate(ws: Option<&Workspace>, manifest: &Path) -> Crate {
    let s: &'static str = "const PUBLIC_CRATES: &[&str] = &[\\"fake\\"];";
    if line.starts_with("name = \\"") { let c = '"'; }
    assert!(!publish || CRATES_TO_PUBLISH.contains(&&name[..]));
}
`;

describe('parseCrateList', () => {
  it('reads both arrays of a Wasmtime-shaped publish.rs, skipping comments', () => {
    const list = parseCrateList(WASMTIME_LIKE, 'scripts/publish.rs');
    expect(list.cratesToPublish).toEqual(['pulley-interpreter', 'cranelift-entity', 'cranelift-codegen-meta', 'cranelift-codegen', 'wasmtime', 'wasmtime-cli']);
    expect(list.publicCrates).toEqual(['wasmtime', 'cranelift-entity', 'wasmtime-cli']);
  });

  it('accepts pub const, static, fixed-size array types and no leading &', () => {
    const src = `pub const CRATES_TO_PUBLISH: [&str; 2] = ["a", "b"];
pub(crate) static PUBLIC_CRATES: &'static [&'static str] = &[r"a", r#"b"#,];`;
    expect(parseCrateList(src, 'x.rs')).toEqual({ cratesToPublish: ['a', 'b'], publicCrates: ['a', 'b'] });
  });

  it('accepts empty arrays', () => {
    const src = `const CRATES_TO_PUBLISH: &[&str] = &[];\nconst PUBLIC_CRATES: &[&str] = &[\n  // none yet\n];`;
    expect(parseCrateList(src, 'x.rs')).toEqual({ cratesToPublish: [], publicCrates: [] });
  });

  it('names the file and the missing array', () => {
    const src = `const PUBLIC_CRATES: &[&str] = &["a"];\n`;
    expect(() => parseCrateList(src, 'scripts/publish.rs')).toThrow(/^scripts\/publish\.rs: no `const CRATES_TO_PUBLISH: &\[&str\] = &\[\.\.\.\]` array found/);
  });

  it("reads wasm-tools' ci/publish.rs: no PUBLIC_CRATES (no exact/caret rule), API_STABLE_CRATES, find_crates over crates/", () => {
    const src = `// note that this list must be topologically sorted by dependencies
const CRATES_TO_PUBLISH: &[&str] = &[
    "wasmparser",
    "wat",
    "wasm-tools",
];

// These crates are "API stable" and breaking changes are vetted during review.
const API_STABLE_CRATES: &[&str] = &["wasm-tools", "wat"];

fn main() {
    let root = read_crate(None, "./Cargo.toml".as_ref());
    find_crates("crates".as_ref(), &ws, &mut crates);
}

fn find_crates(dir: &Path, ws: &Workspace, dst: &mut Vec<Crate>) {
    for entry in dir.read_dir().unwrap() {
        find_crates(&entry.path(), ws, dst);
    }
}
`;
    expect(parseCrateList(src, 'ci/publish.rs')).toEqual({
      cratesToPublish: ['wasmparser', 'wat', 'wasm-tools'],
      apiStableCrates: ['wasm-tools', 'wat'],
      discoveryRoots: ['crates'],
    });
  });

  it('a malformed optional array is still an error naming it', () => {
    const src = `const CRATES_TO_PUBLISH: &[&str] = &["a"];\nconst API_STABLE_CRATES: &[&str] = &[a];\n`;
    expect(() => parseCrateList(src, 'ci/publish.rs')).toThrow(/^ci\/publish\.rs:2:\d+: `API_STABLE_CRATES` may only contain string literals/);
  });

  it('does not take a mention inside a string or comment as the declaration', () => {
    const src = `// const PUBLIC_CRATES: &[&str] = &["x"];\nconst CRATES_TO_PUBLISH: &[&str] = &["a"];\nlet s = "const PUBLIC_CRATES: &[&str] = &[];";`;
    // The mentions are not declarations: the list has no PUBLIC_CRATES.
    expect(parseCrateList(src, 'p.rs')).toEqual({ cratesToPublish: ['a'] });
  });

  it('points at the line of a non-literal element', () => {
    const src = `const CRATES_TO_PUBLISH: &[&str] = &[\n  "a",\n  OTHER,\n];\nconst PUBLIC_CRATES: &[&str] = &[];`;
    let err: CrateListError | undefined;
    try {
      parseCrateList(src, 'scripts/publish.rs');
    } catch (e) {
      err = e as CrateListError;
    }
    expect(err).toBeInstanceOf(CrateListError);
    expect(err!.line).toBe(3);
    expect(err!.message).toMatch(/^scripts\/publish\.rs:3:3: `CRATES_TO_PUBLISH` may only contain string literals/);
  });

  it('reports a missing comma, an unclosed array, duplicates and bad names with their line', () => {
    const base = (body: string) => `const CRATES_TO_PUBLISH: &[&str] = &[${body}\nconst PUBLIC_CRATES: &[&str] = &[];`;
    expect(() => parseCrateList(base('\n"a"\n"b"];'), 'f.rs')).toThrow(/^f\.rs:3:1: expected `,` or `]`/);
    expect(() => parseCrateList(`const PUBLIC_CRATES: &[&str] = &[];\nconst CRATES_TO_PUBLISH: &[&str] = &["a",`, 'f.rs')).toThrow(
      /^f\.rs:2:37: `CRATES_TO_PUBLISH` array is not closed/,
    );
    expect(() => parseCrateList(base('\n"a",\n"a",];'), 'f.rs')).toThrow(/^f\.rs:3:1: "a" is listed twice in `CRATES_TO_PUBLISH` \(first on line 2\)/);
    expect(() => parseCrateList(base('"a b"];'), 'f.rs')).toThrow(/"a b" in `CRATES_TO_PUBLISH` is not a valid crate name/);
  });

  it('reports an unterminated comment or string with its position', () => {
    expect(() => parseCrateList('const CRATES_TO_PUBLISH: &[&str] = &[\n /* oops', 'f.rs')).toThrow(/^f\.rs:2:2: unterminated block comment/);
    expect(() => parseCrateList('const X: &str = "abc', 'f.rs')).toThrow(/^f\.rs:1:17: unterminated string literal/);
  });

  describe('an unterminated string names the string whose quote is missing, not the last quote of the file', () => {
    const list = (crates: string, pub = '"ex-api"') => `const CRATES_TO_PUBLISH: &[&str] = &[\n${crates}\n];\nconst PUBLIC_CRATES: &[&str] = &[${pub}];\n`;
    const message = (src: string) => {
      try {
        parseCrateList(src, 'scripts/publish.rs');
      } catch (e) {
        expect(e).toBeInstanceOf(CrateListError);
        return (e as Error).message;
      }
      throw new Error('parsed');
    };
    it('a closing quote missing (the quotes after it pair up wrong)', () => {
      expect(message(list('    "ex-core,\n    "ex-api",\n    "ex-cli",'))).toBe(
        'scripts/publish.rs:2:5: unterminated string literal: "ex-core, has no closing quote on its line, so it runs on to the next quote and the strings after it pair up wrong — close it: write "ex-core",',
      );
    });
    it('a closing quote missing, with an even number of quotes after it', () => {
      expect(message(list('    "ex-core",\n    "ex-api,\n    "ex-cli",\n    "ex-more",'))).toBe(
        'scripts/publish.rs:3:5: unterminated string literal: "ex-api, has no closing quote on its line, so it runs on to the next quote and the strings after it pair up wrong — close it: write "ex-api",',
      );
    });
    it('an opening quote missing', () => {
      expect(message(list('    "ex-core",\n    ex-api",'))).toBe(
        'scripts/publish.rs:3:11: unterminated string literal: ex-api" has no opening quote, so this `"` opens a string that runs on to the next quote and the strings after it pair up wrong — add the opening quote: write "ex-api",',
      );
    });
    it('the last quote of the file', () => {
      expect(message(list('    "ex-core",', '"ex-api'))).toBe(
        'scripts/publish.rs:4:34: unterminated string literal: "ex-api]; has no closing quote on its line, so it runs to the end of the file — close it: write "ex-api"',
      );
    });
  });
});

describe('readCrateList', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crate-train-crate-list-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads scripts/publish.rs by default, or another path', () => {
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    writeFileSync(join(dir, 'scripts', 'publish.rs'), WASMTIME_LIKE);
    expect(readCrateList(dir).publicCrates).toContain('wasmtime');
    writeFileSync(join(dir, 'crates.rs'), 'const CRATES_TO_PUBLISH: &[&str] = &["z"]; const PUBLIC_CRATES: &[&str] = &[];');
    expect(readCrateList(dir, 'crates.rs').cratesToPublish).toEqual(['z']);
  });

  it('says how to fix a missing file', () => {
    expect(() => readCrateList(dir, 'nope/publish.rs')).toThrow(/^nope\/publish\.rs: crate list not found — .*set `crateList`/);
  });

  it('says the crate list is a directory, naming the crateList option', () => {
    mkdirSync(join(dir, 'lists', 'publish.rs'), { recursive: true });
    expect(() => readCrateList(dir, 'lists/publish.rs')).toThrow(
      'lists/publish.rs: is a directory, not the crate list file — set `crateList` in the crate-train plugin options in nx.json to the .rs file that defines CRATES_TO_PUBLISH',
    );
  });

  it('says the crate list cannot be read, with the reason and the crateList option (never a raw EACCES)', () => {
    // Tests may run as root, where no file is unreadable: the error readFileSync gives is built here.
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/abs/scripts/publish.rs'"), { code: 'EACCES' });
    expect(unreadableCrateList('scripts/publish.rs', eacces).message).toBe(
      'scripts/publish.rs: the crate list cannot be read (EACCES: permission denied) — make it readable, or set `crateList` in the crate-train plugin options in nx.json to the .rs file that defines CRATES_TO_PUBLISH',
    );
    expect(
      unreadableCrateList('scripts/publish.rs', Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR' })).message,
    ).toMatch(/^scripts\/publish\.rs: is a directory/);
  });
});
