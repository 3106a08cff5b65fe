// Builds small rustdoc JSON documents by hand (format 57 shapes, copied from
// real `cargo rustdoc --output-format json` output of rustc 1.95) so the diff
// rules can be tested without a compiler. Test helper only.
import type { RdType, RustdocCrate } from '../rustdoc-types';

export const prim = (p: string): RdType => ({ primitive: p });
export const ref = (type: RdType, is_mutable = false): RdType => ({ borrowed_ref: { lifetime: null, is_mutable, type } });
export const selfRef: RdType = ref({ generic: 'Self' });

type Header = { is_const?: boolean; is_async?: boolean; is_unsafe?: boolean };

export type HandItem =
  | { kind: 'fn'; name: string; inputs?: Array<[string, RdType]>; output?: RdType | null; header?: Header; hasBody?: boolean; line?: number }
  | {
      kind: 'struct';
      name: string;
      fields?: Array<[string, RdType]>;
      tuple?: Array<RdType | null>;
      unit?: boolean;
      stripped?: boolean;
      nonExhaustive?: boolean;
      methods?: HandItem[];
      line?: number;
    }
  | { kind: 'enum'; name: string; variants: Array<string | [string, RdType[]]>; nonExhaustive?: boolean; line?: number }
  | { kind: 'trait'; name: string; items: HandItem[]; line?: number }
  | { kind: 'const'; name: string; type: RdType; line?: number }
  | { kind: 'mod'; name: string; items: HandItem[]; line?: number }
  | { kind: 'use'; name: string; target: string; line?: number };

/** A crate named `name` whose root module holds `items`. */
export function handmadeCrate(name: string, items: HandItem[]): RustdocCrate {
  const index: RustdocCrate['index'] = {};
  const paths: RustdocCrate['paths'] = {};
  let next = 1;
  const span = (line = 1) => ({ filename: 'src/lib.rs', begin: [line, 1] as [number, number], end: [line, 2] as [number, number] });
  const add = (name: string | null, inner: Record<string, unknown>, line?: number, vis: 'public' | 'default' = 'public', attrs: string[] = []) => {
    const id = next++;
    index[String(id)] = { id, crate_id: 0, name, span: span(line), visibility: vis, attrs, inner };
    return id;
  };
  const fn = (it: Extract<HandItem, { kind: 'fn' }>, vis: 'public' | 'default') =>
    add(
      it.name,
      {
        function: {
          sig: { inputs: it.inputs ?? [], output: it.output ?? null, is_c_variadic: false },
          generics: { params: [], where_predicates: [] },
          header: { is_const: false, is_async: false, is_unsafe: false, abi: 'Rust', ...it.header },
          has_body: it.hasBody ?? true,
        },
      },
      it.line,
      vis,
    );
  const uses: Array<{ id: number; target: string }> = [];
  const build = (it: HandItem, prefix: string[]): number => {
    const path = [...prefix, it.name];
    switch (it.kind) {
      case 'fn': {
        const id = fn(it, 'public');
        paths[String(id)] = { crate_id: 0, path, kind: 'function' };
        return id;
      }
      case 'const':
        return add(it.name, { constant: { type: it.type, const: { expr: '0', value: null, is_literal: true } } }, it.line);
      case 'struct': {
        const field = (n: string, t: RdType) => add(n, { struct_field: t }, it.line);
        let kind: unknown;
        if (it.unit) kind = 'unit';
        else if (it.tuple) kind = { tuple: it.tuple.map((t, i) => (t ? field(String(i), t) : null)) };
        else kind = { plain: { fields: (it.fields ?? []).map(([n, t]) => field(n, t)), has_stripped_fields: !!it.stripped } };
        const implItems = (it.methods ?? []).map((m) => build(m, path));
        const impl = add(
          null,
          {
            impl: {
              is_unsafe: false,
              generics: { params: [], where_predicates: [] },
              provided_trait_methods: [],
              trait: null,
              for: { generic: it.name },
              items: implItems,
              is_negative: false,
              is_synthetic: false,
              blanket_impl: null,
            },
          },
          it.line,
          'default',
        );
        const id = add(
          it.name,
          { struct: { kind, generics: { params: [], where_predicates: [] }, impls: [impl] } },
          it.line,
          'public',
          it.nonExhaustive ? ['non_exhaustive'] : [],
        );
        paths[String(id)] = { crate_id: 0, path, kind: 'struct' };
        return id;
      }
      case 'enum': {
        const variants = it.variants.map((v) =>
          typeof v === 'string'
            ? add(v, { variant: { kind: 'plain', discriminant: null } }, it.line, 'default')
            : add(
                v[0],
                { variant: { kind: { tuple: v[1].map((t, i) => add(String(i), { struct_field: t }, it.line, 'default')) }, discriminant: null } },
                it.line,
                'default',
              ),
        );
        const id = add(
          it.name,
          { enum: { generics: { params: [], where_predicates: [] }, has_stripped_variants: false, variants, impls: [] } },
          it.line,
          'public',
          it.nonExhaustive ? ['non_exhaustive'] : [],
        );
        paths[String(id)] = { crate_id: 0, path, kind: 'enum' };
        return id;
      }
      case 'trait': {
        const ids = it.items.map((m) => (m.kind === 'fn' ? fn(m, 'default') : build(m, path)));
        return add(
          it.name,
          {
            trait: {
              is_auto: false,
              is_unsafe: false,
              is_dyn_compatible: true,
              items: ids,
              generics: { params: [], where_predicates: [] },
              bounds: [],
              implementations: [],
            },
          },
          it.line,
        );
      }
      case 'mod': {
        const ids = it.items.map((m) => build(m, path));
        return add(it.name, { module: { is_crate: false, items: ids, is_stripped: false } }, it.line);
      }
      case 'use': {
        const id = add(null, { use: { source: it.target, name: it.name, id: null, is_glob: false } }, it.line);
        uses.push({ id, target: it.target });
        return id;
      }
    }
  };
  const rootItems = items.map((it) => build(it, [name]));
  // `use` targets name local items by their name; resolve once everything exists.
  for (const u of uses) {
    const target = [...Object.values(index)].find((i) => i.name === u.target.split('::').pop() && Object.keys(i.inner)[0] !== 'use');
    (index[String(u.id)]!.inner.use as { id: number | null }).id = target ? Number(target.id) : null;
  }
  const root = add(name, { module: { is_crate: true, items: rootItems, is_stripped: false } });
  return { root, crate_version: '1.0.0', includes_private: false, index, paths, external_crates: {}, format_version: 57 };
}

/** A type naming a local item by its written name (id 0 resolves to no path, so keys use the name). */
export function local(name: string): RdType {
  return { resolved_path: { path: name, id: 0, args: null } };
}
