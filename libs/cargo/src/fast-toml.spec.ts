// The fast path gives smol-toml's answer or none: on every manifest at hand (the
// sample, the synthetic workspaces, Wasmtime's and wasm-tools' real trees when
// present), and on documents built to be outside it or invalid.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'smol-toml';
import { parseCargoTomlFast } from './fast-toml';

const REPO = join(__dirname, '..', '..', '..');

function tomlFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', 'target', '.nx', 'dist'].includes(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) tomlFiles(p, out);
    else if (e.name.endsWith('.toml')) out.push(p);
  }
  return out;
}

describe('parseCargoTomlFast', () => {
  it('equals smol-toml on every manifest at hand, and covers nearly all of them', () => {
    const files = [...tomlFiles(join(REPO, 'tools')), ...tomlFiles(join(REPO, '..', 'shared'))];
    expect(files.length).toBeGreaterThan(20);
    let fast = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const mine = parseCargoTomlFast(text);
      if (mine === undefined) continue;
      fast++;
      expect([f, isDeepStrictEqual(mine, parse(text))]).toEqual([f, true]);
    }
    expect(fast / files.length).toBeGreaterThan(0.9);
  });

  it('reads what manifests are made of, as smol-toml does (null-prototype tables)', () => {
    const doc = [
      '# a comment',
      '[package]',
      'name = "a" # trailing comment',
      "version = '1.0.0'",
      'publish = false',
      'edition.workspace = true',
      'keywords = [',
      '  "x", # inside',
      '  "y",',
      ']',
      '',
      '[dependencies]',
      'b = { path = "../b", version = "=1.0.0", features = ["f"], default-features = false }',
      '"quoted.key" = { package = "c", version = "1", nested.deep = 1 }',
      '',
      "[target.'cfg(unix)'.dependencies]",
      'd = "2"',
      '',
      '[[bin]]',
      'name = "one"',
      '[[bin]]',
      'name = "two"',
      '[bin.more]',
      'x = -1_000',
      'esc = "tab\\tquote\\" \\u00e9"',
      '',
    ].join('\r\n');
    const mine = parseCargoTomlFast(doc);
    expect(mine).toBeDefined();
    expect(isDeepStrictEqual(mine, parse(doc))).toBe(true);
    expect(Object.getPrototypeOf(mine)).toBeNull();
  });

  it.each([
    ['a multi-line string', 'description = """\nx\n"""\n'],
    ['a float', 'x = 1.5\n'],
    ['a date', 'x = 1979-05-27\n'],
    ['a hex integer', 'x = 0x10\n'],
    ['a duplicate key', 'a = 1\na = 2\n'],
    ['a table defined twice', '[a]\n[a]\n'],
    ['a dotted-key table reopened', 'a.b = 1\n[a]\n'],
    ['an inline table extended', 'a = { b = 1 }\n[a.c]\n'],
    ['an array appended as a table array', 'a = [1]\n[[a]]\n'],
    ['a trailing comma in an inline table', 'a = { b = 1, }\n'],
    ['a value on the next line', 'a =\n1\n'],
    ['two values on a line', 'a = 1 b = 2\n'],
    ['an unterminated string', 'a = "x\n'],
    ['a control character in a comment', 'a = 1 # \u0001\n'],
    ['a lone surrogate escape', 'a = "\\ud800"\n'],
    ['a __proto__ key', '__proto__ = 1\n'],
  ])('leaves %s to smol-toml', (_, doc) => {
    expect(parseCargoTomlFast(doc)).toBeUndefined();
  });
});
