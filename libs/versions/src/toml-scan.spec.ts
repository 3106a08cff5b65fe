import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { scanToml, tomlLeaves, TomlScanError, type TomlValue } from './toml-scan';

// smol-toml is the oracle for values: every leaf the scanner reports must
// decode to what smol-toml reads at the same path.
function decoded(v: TomlValue): unknown {
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'array':
      return v.items.map(decoded);
    case 'inline-table':
      return Object.fromEntries(v.entries.map((e) => [e.key.join('.'), decoded(e.value)]));
    case 'scalar':
      return v.raw;
  }
}

function valueAt(data: unknown, path: string[]): unknown {
  let cur: unknown = data;
  for (const k of path) cur = (cur as Record<string, unknown>)[k];
  return cur;
}

function compareWithOracle(text: string, file: string): number {
  const oracle = parse(text) as Record<string, unknown>;
  const doc = scanToml(text, file);
  const aotIndex = new Map<string, number>();
  let n = 0;
  for (const section of doc.sections) {
    let prefix = section.header;
    if (section.arrayOfTables) {
      const k = section.header.join('.');
      const i = aotIndex.get(k) ?? 0;
      aotIndex.set(k, i + 1);
      const arr = valueAt(oracle, section.header) as unknown[];
      // Address the i-th table of the array through a synthetic path.
      prefix = [...section.header, String(i)];
      void arr;
    }
    for (const leaf of tomlLeaves({ ...doc, sections: [section] })) {
      const path = [...prefix, ...leaf.path.slice(section.header.length)];
      const expected = valueAt(oracle, path);
      const got = decoded(leaf.value);
      if (leaf.value.kind === 'string' || (leaf.value.kind === 'array' && leaf.value.items.every((i) => i.kind === 'string'))) {
        expect({ path, value: got }).toEqual({ path, value: expected });
      } else if (leaf.value.kind === 'scalar') {
        expect({ path, value: String(expected) }).toEqual({
          path,
          value: leaf.value.raw === 'true' || leaf.value.raw === 'false' ? leaf.value.raw : String(expected),
        });
      }
      // The range covers exactly the written value.
      expect(text.slice(leaf.value.start, leaf.value.end).length).toBe(leaf.value.end - leaf.value.start);
      n++;
    }
  }
  return n;
}

describe('scanToml', () => {
  const fixtures = join(__dirname, '..', 'fixtures', 'manifests');
  it.each(readdirSync(fixtures).filter((f) => f.endsWith('.toml')))('reads %s like smol-toml does', (f) => {
    expect(compareWithOracle(readFileSync(join(fixtures, f), 'utf8'), f)).toBeGreaterThan(5);
  });

  it('reads the sample workspace Cargo.lock like smol-toml does', () => {
    const lock = readFileSync(join(__dirname, '..', '..', '..', 'tools', 'sample-workspace', 'Cargo.lock'), 'utf8');
    expect(compareWithOracle(lock, 'Cargo.lock')).toBeGreaterThan(20);
  });

  it('decodes every string kind and escape', () => {
    const text = [
      'a = "tab\\there \\"q\\" \\u00e9 \\U0001F600"',
      "b = 'C:\\no\\escapes'",
      'c = """\nline1\\\n    line2 ""quoted""\n"""',
      "d = '''\nraw ''two'' '''",
      'e = """x""""',
      '"quoted key" = 1',
      "'lit key'.sub = 2",
      'f = 1979-05-27 07:32:00Z',
      'g = [ 1, [2, 3], { x = "y" }, ]',
    ].join('\n');
    expect(compareWithOracle(text, 't.toml')).toBeGreaterThan(5);
    const leaves = tomlLeaves(scanToml(text, 't.toml'));
    expect(leaves.map((l) => l.path.join('/'))).toEqual(['a', 'b', 'c', 'd', 'e', 'quoted key', 'lit key/sub', 'f', 'g']);
    const c = leaves[2]!.value;
    expect(c.kind === 'string' && c.value).toBe('line1line2 ""quoted""\n');
  });

  it('gives ranges that splice exactly the value', () => {
    const text = '[dependencies]\nfoo = { version = \'=1.2.3\', path = "x" }\r\n';
    const [version] = tomlLeaves(scanToml(text, 'x'));
    expect(version!.path).toEqual(['dependencies', 'foo', 'version']);
    const v = version!.value;
    if (v.kind !== 'string') throw new Error('not a string');
    expect(text.slice(v.start, v.end)).toBe("'=1.2.3'");
    expect(text.slice(v.contentStart, v.contentEnd)).toBe('=1.2.3');
  });

  it.each([
    ['[package\nname = "x"', "t.toml:1:9: invalid TOML: expected ']' to close the table header"],
    ['name = "x', 't.toml:1:10: invalid TOML: unterminated string'],
    ['[a]\nname "x"', 't.toml:2:6: invalid TOML: expected \'=\' after key "name"'],
    ['a = { b = 1 c = 2 }', "t.toml:1:13: invalid TOML: expected ',' or '}' in an inline table, found \"c\""],
    ['a = [1, 2', 't.toml:1:10: invalid TOML: unterminated array'],
    ['a = 1 b = 2', 't.toml:1:7: invalid TOML: expected the end of the line, found "b"'],
    ['a = "\\q"', 't.toml:1:6: invalid TOML: invalid escape "\\\\q"'],
    ['a = ', 't.toml:1:5: invalid TOML: expected a value'],
  ])('reports %j with file, line and column', (text, message) => {
    expect(() => scanToml(text, 't.toml')).toThrow(TomlScanError);
    expect(() => scanToml(text, 't.toml')).toThrow(message);
  });
});
