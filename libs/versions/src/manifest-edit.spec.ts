import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bumpManifestText, type ManifestChange } from './manifest-edit';

const FIXTURES = join(__dirname, '..', 'fixtures', 'manifests');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

// alpha's own version and three crates on three version lines move; delta stays.
const change: ManifestChange = {
  package: { from: '1.2.3', to: '2.0.0' },
  workspace: { from: '1.2.3', to: '2.0.0' },
  deps: new Map([
    ['alpha-core', { from: '1.2.3', to: '2.0.0' }],
    ['beta', { from: '0.92.0', to: '0.93.0' }],
    ['gamma', { from: '0.0.7', to: '0.0.8' }],
  ]),
};

describe('hand-written manifests', () => {
  it.each(['kitchen-sink', 'workspace-root'])('%s: the bump equals the expected file byte for byte', (name) => {
    const { text, problems } = bumpManifestText(read(`${name}.in.toml`), `${name}.toml`, change);
    expect(problems).toEqual([]);
    expect(text).toBe(read(`${name}.expected.toml`));
  });

  it('keeps CRLF line endings (and a file mixing CRLF and LF)', () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const out = bumpManifestText(crlf(read('kitchen-sink.in.toml')), 'crlf.toml', change);
    expect(out.problems).toEqual([]);
    expect(out.text).toBe(crlf(read('kitchen-sink.expected.toml')));
    // Mixed: every other line CRLF.
    const mix = (s: string) =>
      s
        .split('\n')
        .map((l, i, all) => (i % 2 && i < all.length - 1 ? l + '\r' : l))
        .join('\n');
    const mixed = bumpManifestText(mix(read('kitchen-sink.in.toml')), 'mixed.toml', change);
    expect(mixed.text).toBe(mix(read('kitchen-sink.expected.toml')));
  });

  it('keeps a byte order mark and a file without a final newline', () => {
    const input = '\ufeff[package]\nname = "alpha"\nversion = "1.2.3"\n[dependencies]\nbeta = "=0.92.0" # x';
    const out = bumpManifestText(input, 'bom.toml', change);
    expect(out.text).toBe('\ufeff[package]\nname = "alpha"\nversion = "2.0.0"\n[dependencies]\nbeta = "=0.93.0" # x');
  });

  it('reads an inline table written across lines (TOML 1.1)', () => {
    const input = '[dependencies]\ngamma2 = { package = "gamma", version = "=0.0.7",\n  path = "../gamma", # the path\n}\n';
    expect(bumpManifestText(input, 'ml.toml', change).text).toBe(input.replace('=0.0.7', '=0.0.8'));
  });

  it('changes nothing when nothing it depends on moves', () => {
    const input = read('kitchen-sink.in.toml');
    const out = bumpManifestText(input, 'k.toml', { deps: new Map() });
    expect(out.text).toBe(input);
  });

  it('refuses a path dependency whose requirement does not name the current version', () => {
    const input = '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\nbeta = { path = "../beta", version = "0.92" }\n';
    const out = bumpManifestText(input, 'crates/x/Cargo.toml', { deps: change.deps });
    expect(out.problems).toEqual([
      'crates/x/Cargo.toml:6: the requirement "0.92" on beta in [dependencies] does not name its current version 0.92.0, so the bump cannot rewrite it: write "0.92.0" (or "=0.92.0") there',
    ]);
  });

  it('refuses a [package] version that is not the one the workspace reported', () => {
    const out = bumpManifestText('[package]\nname = "alpha"\nversion = "1.2.4"\n', 'a/Cargo.toml', change);
    expect(out.problems).toEqual(['a/Cargo.toml:3: [package] version is "1.2.4", expected "1.2.3"']);
  });
});

// A generated corpus: every table a dependency can live in x every way to
// write the entry x both quote styles x every operator x the three shapes of
// version (X.Y.Z, 0.Y.Z, 0.0.Z). Input and expected come from one template
// with @V@ (becomes the old version, then the new one); a control dependency
// on an unbumped crate at the same version must stay untouched.
describe('generated corpus', () => {
  const lines = [
    { from: '5.0.0', to: '6.0.0' },
    { from: '0.92.0', to: '0.93.0' },
    { from: '0.0.3', to: '0.0.4' },
  ];
  const tables = [
    'dependencies',
    'dev-dependencies',
    'build-dependencies',
    "target.'cfg(unix)'.dependencies",
    'target."cfg(windows)".dev-dependencies',
    'target.wasm32-wasip1.build-dependencies',
    'workspace.dependencies',
  ];
  type Form = (table: string, q: (s: string) => string, req: string) => string;
  const forms: Record<string, Form> = {
    plain: (t, q, r) => `[${t}]\ntarget-crate = ${q(r)}\ncontrol = ${q('@C@')}\n`,
    inline: (t, q, r) => `[${t}]\ntarget-crate = { version = ${q(r)}, path = "../t" }\ncontrol = { version = ${q('@C@')}, path = "../c" }\n`,
    'inline-odd-spacing': (t, q, r) => `[${t}]\ntarget-crate={version=${q(r)},path="../t"}   # note\ncontrol = {version  =  ${q('@C@')}}\n`,
    renamed: (t, q, r) =>
      `[${t}]\nalias = { package = ${q('target-crate')}, version = ${q(r)}, path = "../t" }\ncontrol = { package = ${q('control')}, version = ${q('@C@')} }\n`,
    dotted: (t, q, r) => `[${t}]\ntarget-crate.version = ${q(r)}\ntarget-crate.path = "../t"\ncontrol.version = ${q('@C@')}\n`,
    'table-form': (t, q, r) => `[${t}.target-crate]\nversion = ${q(r)}\npath = "../t"\n\n[${t}.control]\nversion = ${q('@C@')}\n`,
    'table-renamed': (t, q, r) => `[${t}.alias]\npackage = ${q('target-crate')}\nversion = ${q(r)}\n\n[${t}."control"]\nversion = ${q('@C@')}\n`,
  };
  const quotes: Record<string, (s: string) => string> = { basic: (s) => `"${s}"`, literal: (s) => `'${s}'` };
  const ops = ['', '=', '^', '~'];

  const cases: Array<[string, string, string, ManifestChange]> = [];
  for (const line of lines)
    for (const table of tables)
      for (const [formName, form] of Object.entries(forms))
        for (const [qName, q] of Object.entries(quotes))
          for (const op of ops) {
            const template = `# generated\n[package]\nname = "me"\nversion = "@V@"\n\n` + form(table, q, `${op}@V@`);
            const input = template.replaceAll('@V@', line.from).replaceAll('@C@', line.from);
            const expected = template.replaceAll('@V@', line.to).replaceAll('@C@', line.from);
            const c: ManifestChange = { package: line, deps: new Map([['target-crate', line]]) };
            cases.push([`${line.from} ${table} ${formName} ${qName} '${op}'`, input, expected, c]);
          }

  it(`covers ${cases.length} manifests`, () => {
    expect(cases.length).toBe(3 * 7 * 7 * 2 * 4);
  });

  it.each(cases)('%s', (name, input, expected, c) => {
    const out = bumpManifestText(input, `${name}.toml`, c);
    expect(out.problems).toEqual([]);
    expect(out.text).toBe(expected);
  });
});
