import { diffApi, type Finding } from './diff';
import { formatFinding } from './format';
import { handmadeCrate, local, prim, ref, selfRef, type HandItem } from './testing/handmade';
import { extractApi, RustdocFormatError } from './surface';

function diff(before: HandItem[], after: HandItem[]): Finding[] {
  return diffApi(extractApi(handmadeCrate('demo', before)), extractApi(handmadeCrate('demo', after)));
}
const kinds = (fs: Finding[]) => fs.map((f) => `${f.kind} ${f.item}`);

const validate: HandItem = { kind: 'fn', name: 'validate', inputs: [['bytes', ref({ slice: prim('u8') })]], output: prim('bool'), line: 7 };
const config = (fields: Array<[string, ReturnType<typeof prim>]>, extra: Partial<Extract<HandItem, { kind: 'struct' }>> = {}): HandItem => ({
  kind: 'struct',
  name: 'Config',
  fields,
  line: 3,
  methods: [{ kind: 'fn', name: 'new', output: local('Config'), line: 4 }],
  ...extra,
});

describe('extractApi on handmade JSON', () => {
  it('lists public items by path, with methods under their type and re-exports under their alias', () => {
    const api = extractApi(
      handmadeCrate('demo', [
        validate,
        config([['fuel', prim('bool')]]),
        { kind: 'mod', name: 'inner', items: [{ kind: 'fn', name: 'deep' }] },
        { kind: 'use', name: 'shallow', target: 'deep' },
      ]),
    );
    expect(Object.keys(api.items).sort()).toEqual(
      ['demo::Config', 'demo::Config::new', 'demo::inner', 'demo::inner::deep', 'demo::shallow', 'demo::validate'].sort(),
    );
    expect(api.items['demo::validate']!.sig.display).toBe('pub fn validate(bytes: &[u8]) -> bool');
    expect(api.items['demo::validate']!.location).toEqual({ file: 'src/lib.rs', line: 7 });
  });

  it('refuses JSON that is not rustdoc output, or too old a format', () => {
    expect(() => extractApi({} as never)).toThrow(RustdocFormatError);
    expect(() => extractApi({ ...handmadeCrate('demo', []), format_version: 20 })).toThrow(/format_version 20.*newer toolchain/);
  });
});

describe('diffApi on handmade JSON', () => {
  it('passes an unchanged API and added items', () => {
    expect(diff([validate], [validate])).toEqual([]);
    expect(diff([validate], [validate, { kind: 'fn', name: 'added', output: prim('u8') }, { kind: 'mod', name: 'newmod', items: [] }])).toEqual([]);
  });

  it('reports a removed function with its old signature and where it was', () => {
    const [f, ...rest] = diff([validate, { kind: 'fn', name: 'keep' }], [{ kind: 'fn', name: 'keep' }]);
    expect(rest).toEqual([]);
    expect(f).toEqual({
      crate: 'demo',
      item: 'demo::validate',
      kind: 'item-removed',
      message: 'public function removed',
      before: 'pub fn validate(bytes: &[u8]) -> bool',
      location: { file: 'src/lib.rs', line: 7, tree: 'base' },
    });
    expect(formatFinding(f!, 'v5.0.0')).toBe(
      'error[item-removed]: demo: `demo::validate`: public function removed\n' +
        '    before: pub fn validate(bytes: &[u8]) -> bool\n' +
        '    --> src/lib.rs:7 (at v5.0.0)',
    );
  });

  it('reports only the outermost of removed nested items', () => {
    const fs = diff([{ kind: 'mod', name: 'm', items: [validate, config([])] }], []);
    expect(kinds(fs)).toEqual(['item-removed demo::m']);
  });

  it('reports changed parameters, return type and qualifiers of a function, but not renamed parameters', () => {
    const renamed: HandItem = { ...validate, inputs: [['data', ref({ slice: prim('u8') })]] } as HandItem;
    expect(diff([validate], [renamed])).toEqual([]);
    const [f] = diff([validate], [{ ...validate, inputs: [['bytes', ref({ slice: prim('u8') }, true)]], output: prim('u32') } as HandItem]);
    expect(f!.kind).toBe('fn-signature-changed');
    expect(f!.message).toBe('function signature changed: parameters (bytes: &[u8]) → (bytes: &mut [u8]); return type bool → u32');
    expect(f!.before).toBe('pub fn validate(bytes: &[u8]) -> bool');
    expect(f!.after).toBe('pub fn validate(bytes: &mut [u8]) -> u32');
    const q = (header: object) => diff([{ ...validate, header: { is_const: true } } as HandItem], [{ ...validate, header } as HandItem]);
    expect(q({ is_const: false })[0]!.message).toMatch(/no longer `const`/);
    expect(q({ is_const: true, is_unsafe: true })[0]!.message).toMatch(/became `unsafe`/);
    expect(q({ is_const: true, is_async: true })[0]!.message).toMatch(/became `async`/);
    // Adding const or removing unsafe breaks nobody.
    expect(diff([validate], [{ ...validate, header: { is_const: true } } as HandItem])).toEqual([]);
    expect(diff([{ ...validate, header: { is_unsafe: true } } as HandItem], [validate])).toEqual([]);
  });

  it('reports a removed or changed method', () => {
    const get: HandItem = { kind: 'fn', name: 'get', inputs: [['self', selfRef]], output: prim('u32') };
    const before = config([], { methods: [get] });
    expect(kinds(diff([before], [config([], { methods: [] })]))).toEqual(['item-removed demo::Config::get']);
    const fs = diff([before], [config([], { methods: [{ ...get, output: prim('u64') } as HandItem] })]);
    expect(fs[0]).toMatchObject({ kind: 'fn-signature-changed', item: 'demo::Config::get', message: 'method signature changed: return type u32 → u64' });
    expect(fs[0]!.before).toBe('pub fn get(&self) -> u32');
  });

  it('reports struct fields removed, retyped, or made private, and #[non_exhaustive]', () => {
    const before = config([
      ['fuel', prim('bool')],
      ['stack', prim('usize')],
    ]);
    expect(kinds(diff([before], [config([['fuel', prim('bool')]], { stripped: true })]))).toEqual(['field-removed demo::Config::stack']);
    const retyped = diff(
      [before],
      [
        config([
          ['fuel', prim('bool')],
          ['stack', prim('u64')],
        ]),
      ],
    );
    expect(retyped[0]).toMatchObject({ kind: 'field-type-changed', item: 'demo::Config::stack', message: 'field type changed: usize → u64' });
    // All fields public before: gaining a private one stops struct literals.
    expect(
      kinds(
        diff(
          [before],
          [
            config(
              [
                ['fuel', prim('bool')],
                ['stack', prim('usize')],
              ],
              { stripped: true },
            ),
          ],
        ),
      ),
    ).toEqual(['struct-fields-made-private demo::Config']);
    expect(
      kinds(
        diff(
          [before],
          [
            config(
              [
                ['fuel', prim('bool')],
                ['stack', prim('usize')],
              ],
              { nonExhaustive: true },
            ),
          ],
        ),
      ),
    ).toEqual(['struct-made-non-exhaustive demo::Config']);
    // A new public field breaks literals of an exhaustive all-public struct…
    expect(
      kinds(
        diff(
          [before],
          [
            config([
              ['fuel', prim('bool')],
              ['stack', prim('usize')],
              ['x', prim('u8')],
            ]),
          ],
        ),
      ),
    ).toEqual(['field-added demo::Config']);
    // …but not of one that already had private fields.
    const priv = config([['fuel', prim('bool')]], { stripped: true });
    expect(
      diff(
        [priv],
        [
          config(
            [
              ['fuel', prim('bool')],
              ['x', prim('u8')],
            ],
            { stripped: true },
          ),
        ],
      ),
    ).toEqual([]);
  });

  it('reports enum variants removed, changed, or added to an exhaustive enum', () => {
    const e = (variants: Array<string | [string, ReturnType<typeof prim>[]]>, nonExhaustive = false): HandItem => ({
      kind: 'enum',
      name: 'Strategy',
      variants,
      nonExhaustive,
    });
    expect(kinds(diff([e(['Auto', 'Winch'])], [e(['Auto'])]))).toEqual(['variant-removed demo::Strategy::Winch']);
    const changed = diff([e(['Auto', ['Level', [prim('u8')]]])], [e(['Auto', ['Level', [prim('u16')]]])]);
    expect(changed[0]).toMatchObject({ kind: 'variant-changed', message: 'enum variant changed: Level(u8) → Level(u16)' });
    expect(kinds(diff([e(['Auto'])], [e(['Auto', 'Pulley'])]))).toEqual(['variant-added demo::Strategy::Pulley']);
    expect(diff([e(['Auto'], true)], [e(['Auto', 'Pulley'], true)])).toEqual([]);
    expect(kinds(diff([e(['Auto'])], [e(['Auto'], true)]))).toEqual(['enum-made-non-exhaustive demo::Strategy']);
  });

  it('reports trait items added without a default, removed, or changed; a provided one passes', () => {
    const req: HandItem = { kind: 'fn', name: 'run', inputs: [['self', selfRef]], hasBody: false };
    const t = (items: HandItem[]): HandItem => ({ kind: 'trait', name: 'Host', items });
    expect(diff([t([req])], [t([req, { kind: 'fn', name: 'extra', inputs: [['self', selfRef]], hasBody: true }])])).toEqual([]);
    const added = diff([t([req])], [t([req, { kind: 'fn', name: 'must', inputs: [['self', selfRef]], hasBody: false }])]);
    expect(added[0]).toMatchObject({ kind: 'trait-required-item-added', item: 'demo::Host::must', after: 'fn must(&self)' });
    expect(kinds(diff([t([req])], [t([])]))).toEqual(['trait-item-removed demo::Host::run']);
    expect(kinds(diff([t([req])], [t([{ ...req, output: prim('bool') } as HandItem])]))).toEqual(['fn-signature-changed demo::Host::run']);
    expect(kinds(diff([t([{ ...req, hasBody: true } as HandItem])], [t([req])]))).toEqual(['trait-item-default-removed demo::Host::run']);
  });

  it('reports a removed re-export and a constant whose type changed', () => {
    const inner: HandItem = { kind: 'mod', name: 'inner', items: [{ kind: 'fn', name: 'deep' }] };
    expect(kinds(diff([inner, { kind: 'use', name: 'shallow', target: 'deep' }], [inner]))).toEqual(['item-removed demo::shallow']);
    const c = (type: ReturnType<typeof prim>): HandItem => ({ kind: 'const', name: 'MAGIC', type });
    expect(diff([c(prim('u32'))], [c(prim('u64'))])[0]).toMatchObject({ kind: 'type-changed', before: 'pub const MAGIC: u32', after: 'pub const MAGIC: u64' });
  });

  it('reports an item that changed kind', () => {
    expect(kinds(diff([{ kind: 'fn', name: 'Thing' }], [{ kind: 'struct', name: 'Thing', unit: true }]))).toEqual(['kind-changed demo::Thing']);
  });
});
