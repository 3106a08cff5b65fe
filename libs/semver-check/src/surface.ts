// Turns one crate's rustdoc JSON into its public API surface: every item a user
// can name from outside the crate (through modules and `pub use` re-exports),
// keyed by path, with id-free signatures that two builds can compare.
import { fnParts, renderBound, renderFn, renderGenerics, renderPath, renderType, type Renderer } from './render';
import type { Id, RdBound, RdFunction, RdGenerics, RdItem, RdPath, RdSpan, RdType, RustdocCrate } from './rustdoc-types';

/** rustdoc JSON format this library is written and tested against (rustc 1.95). */
export const TESTED_FORMAT_VERSION = 57;
/** Older formats lack fields we read (`sig`, structured items); refuse them with a clear message. */
export const MIN_FORMAT_VERSION = 45;

export type ItemKind =
  | 'module'
  | 'function'
  | 'method'
  | 'struct'
  | 'enum'
  | 'union'
  | 'trait'
  | 'trait_alias'
  | 'constant'
  | 'static'
  | 'type_alias'
  | 'assoc_const'
  | 'assoc_type'
  | 'macro'
  | 'reexport';

export interface Location {
  file: string;
  line: number;
}

/** The same thing rendered for people (`display`) and for comparison (`key`). */
export interface Sig {
  display: string;
  key: string;
}

export interface FnApi {
  isConst: boolean;
  isAsync: boolean;
  isUnsafe: boolean;
  abi: string;
  generics: Sig;
  inputs: Sig;
  output: Sig;
}

export interface FieldApi {
  name: string;
  type: Sig;
  location?: Location;
}

export interface VariantApi {
  name: string;
  /** `B(u8, String)`, `C { x: i32 }`, `A`. */
  shape: Sig;
  location?: Location;
}

export interface TraitItemApi {
  name: string;
  kind: 'method' | 'assoc_const' | 'assoc_type';
  sig: Sig;
  /** No default: every implementor must provide it. */
  required: boolean;
  fn?: FnApi;
  location?: Location;
}

export interface ApiItem {
  path: string;
  kind: ItemKind;
  /** The whole declaration, e.g. `pub fn validate(bytes: &[u8]) -> Result<(), Error>`. */
  sig: Sig;
  location?: Location;
  fn?: FnApi;
  generics?: Sig;
  /** Type of a constant, static or associated const; target of a type alias. */
  type?: Sig;
  structKind?: 'plain' | 'tuple' | 'unit';
  fields?: FieldApi[];
  hasPrivateFields?: boolean;
  nonExhaustive?: boolean;
  variants?: VariantApi[];
  hasHiddenVariants?: boolean;
  traitItems?: TraitItemApi[];
  unsafeTrait?: boolean;
  dynCompatible?: boolean;
  supertraits?: Sig;
  /** `impl Trait for Type` (explicit and auto traits), by key. */
  traitImpls?: Sig[];
}

export interface ApiSurface {
  crate: string;
  formatVersion: number;
  items: Record<string, ApiItem>;
}

export class RustdocFormatError extends Error {
  override name = 'RustdocFormatError';
}

// Auto traits users rely on; rustdoc also emits unstable ones (Freeze, UnsafeUnpin).
const AUTO_TRAITS = new Set(['Send', 'Sync', 'Unpin', 'UnwindSafe', 'RefUnwindSafe']);

function kindOf(item: RdItem): string {
  return Object.keys(item.inner)[0] ?? '';
}

function innerOf<T>(item: RdItem, kind: string): T {
  return item.inner[kind] as T;
}

function isNonExhaustive(item: RdItem): boolean {
  return item.attrs.some((a) => (typeof a === 'string' ? a === 'non_exhaustive' || a.includes('#[non_exhaustive]') : 'non_exhaustive' in a));
}

export interface ExtractOptions {
  /** Absolute root of the tree that was documented; absolute span paths are made relative to it. */
  treeRoot?: string;
}

/** Checks the JSON is rustdoc output in a format we can read. */
export function assertRustdocFormat(doc: unknown, source: string): asserts doc is RustdocCrate {
  const d = doc as Partial<RustdocCrate> | null;
  if (!d || typeof d !== 'object' || typeof d.format_version !== 'number' || !d.index || d.root === undefined) {
    throw new RustdocFormatError(`${source} is not rustdoc JSON output (no format_version/index/root)`);
  }
  if (d.format_version < MIN_FORMAT_VERSION) {
    throw new RustdocFormatError(
      `${source} has rustdoc JSON format_version ${d.format_version}; crate-train reads ${MIN_FORMAT_VERSION} or newer ` +
        `(tested with ${TESTED_FORMAT_VERSION}, rustc 1.95): use a newer toolchain`,
    );
  }
}

export function extractApi(doc: RustdocCrate, opts: ExtractOptions = {}): ApiSurface {
  assertRustdocFormat(doc, 'rustdoc JSON');
  const index = doc.index;
  const get = (id: Id | null | undefined): RdItem | undefined => (id === null || id === undefined ? undefined : index[String(id)]);
  const root = get(doc.root);
  if (!root || kindOf(root) !== 'module' || !root.name) throw new RustdocFormatError('rustdoc JSON: root module missing');
  const crate = root.name;

  const location = (span: RdSpan | null | undefined): Location | undefined => {
    if (!span) return undefined;
    let file = span.filename.replace(/\\/g, '/');
    const base = opts.treeRoot?.replace(/\\/g, '/').replace(/\/$/, '');
    if (base && file.startsWith(base + '/')) file = file.slice(base.length + 1);
    return { file, line: span.begin[0] };
  };

  // Pass 1: every public path of every item. Re-exports make several paths per id.
  type Found = { path: string; id: string; viaUse?: RdItem };
  const found: Found[] = [];
  const externalReexports: Array<{ path: string; use: RdItem; target: Id | null; glob: boolean; source: string }> = [];
  const pathsOf = new Map<string, string[]>();
  const note = (id: Id, path: string, viaUse?: RdItem) => {
    const k = String(id);
    found.push({ path, id: k, viaUse });
    const list = pathsOf.get(k) ?? [];
    list.push(path);
    pathsOf.set(k, list);
  };

  const visitModule = (mod: RdItem, prefix: string, stack: string[]) => {
    const m = innerOf<{ items: Id[] }>(mod, 'module');
    for (const childId of m.items) {
      const child = get(childId);
      if (!child) continue;
      const k = kindOf(child);
      if (k === 'use') {
        const u = innerOf<{ source: string; name: string; id: Id | null; is_glob: boolean }>(child, 'use');
        if (child.visibility !== 'public') continue;
        const target = get(u.id);
        if (u.is_glob) {
          if (target && kindOf(target) === 'module') {
            if (!stack.includes(String(target.id))) visitModule(target, prefix, [...stack, String(target.id)]);
          } else if (target && kindOf(target) === 'enum') {
            for (const v of innerOf<{ variants: Id[] }>(target, 'enum').variants) {
              const vi = get(v);
              if (vi?.name) externalReexports.push({ path: `${prefix}::${vi.name}`, use: child, target: v, glob: false, source: `${u.source}::${vi.name}` });
            }
          } else {
            externalReexports.push({ path: `${prefix}::*(${u.source})`, use: child, target: u.id, glob: true, source: u.source });
          }
          continue;
        }
        const path = `${prefix}::${u.name}`;
        if (target && target.crate_id === 0 && kindOf(target) !== 'use') {
          addItem(target, path, stack, child);
        } else {
          externalReexports.push({ path, use: child, target: u.id, glob: false, source: u.source });
        }
        continue;
      }
      if (child.visibility !== 'public' || !child.name) continue;
      addItem(child, `${prefix}::${child.name}`, stack);
    }
  };

  const addItem = (item: RdItem, path: string, stack: string[], viaUse?: RdItem) => {
    note(item.id, path, viaUse);
    if (kindOf(item) === 'module' && !stack.includes(String(item.id))) visitModule(item, path, [...stack, String(item.id)]);
  };

  visitModule(root, crate, [String(root.id)]);

  // The shortest public path names a local item in keys: moving a definition and
  // re-exporting it where it was is not an API change.
  const canonicalLocal = new Map<string, string>();
  for (const [id, list] of pathsOf) {
    const best = [...list].sort((a, b) => a.split('::').length - b.split('::').length || (a < b ? -1 : a > b ? 1 : 0))[0]!;
    canonicalLocal.set(id, best);
  }
  const canonical = (id: Id | null | undefined, written: string): string => {
    if (id === null || id === undefined) return written;
    const local = canonicalLocal.get(String(id));
    if (local) return local;
    const p = doc.paths[String(id)];
    if (p) return p.path.join('::');
    return written;
  };
  const rd: Renderer = { mode: 'display', canonical };
  const rk: Renderer = { mode: 'key', canonical };
  const both = (f: (r: Renderer) => string): Sig => ({ display: f(rd), key: f(rk) });

  const fnApi = (f: RdFunction): FnApi => {
    const d = fnParts(f, rd);
    const k = fnParts(f, rk);
    return {
      isConst: f.header.is_const,
      isAsync: f.header.is_async,
      isUnsafe: f.header.is_unsafe,
      abi: k.qualifiers.match(/extern "([^"]+)"/)?.[1] ?? 'Rust',
      generics: { display: d.params + d.where, key: k.params + k.where },
      inputs: { display: d.inputs, key: k.inputs },
      output: { display: d.output, key: k.output },
    };
  };
  const genericsSig = (g: RdGenerics | undefined): Sig =>
    both((r) => {
      const x = renderGenerics(g, r);
      return x.params + x.where;
    });

  const fieldsOf = (ids: Array<Id | null>, tuple: boolean): { fields: FieldApi[]; hidden: boolean } => {
    const fields: FieldApi[] = [];
    let hidden = false;
    ids.forEach((fid, i) => {
      const f = get(fid);
      if (!f) {
        hidden = true;
        return;
      }
      const ty = innerOf<RdType>(f, 'struct_field');
      fields.push({ name: tuple ? String(i) : (f.name ?? String(i)), type: both((r) => renderType(ty, r)), location: location(f.span) });
    });
    return { fields, hidden };
  };

  const implsOf = (typePath: string, impls: Id[], items: Record<string, ApiItem>): Sig[] => {
    const traitImpls: Sig[] = [];
    for (const implId of impls) {
      const impl = get(implId);
      if (!impl || kindOf(impl) !== 'impl') continue;
      const im = innerOf<{
        trait: RdPath | null;
        for: RdType;
        items: Id[];
        is_synthetic: boolean;
        is_negative: boolean;
        blanket_impl: RdType | null;
        generics: RdGenerics;
      }>(impl, 'impl');
      if (im.blanket_impl || im.is_negative) continue;
      if (im.trait) {
        if (im.is_synthetic && !AUTO_TRAITS.has(im.trait.path.split('::').pop()!)) continue;
        traitImpls.push(
          both((r) => {
            const gg = renderGenerics(im.generics, r);
            return `impl${gg.params} ${renderPath(im.trait!, r)} for ${renderType(im.for, r)}${gg.where}`;
          }),
        );
        continue;
      }
      // Inherent impl: its public methods and associated consts are API.
      for (const mid of im.items) {
        const m = get(mid);
        if (!m || m.visibility !== 'public' || !m.name) continue;
        const mk = kindOf(m);
        const path = `${typePath}::${m.name}`;
        if (mk === 'function') {
          const f = innerOf<RdFunction>(m, 'function');
          items[path] = { path, kind: 'method', sig: both((r) => renderFn(m.name!, f, r)), fn: fnApi(f), location: location(m.span) };
        } else if (mk === 'assoc_const') {
          const c = innerOf<{ type: RdType }>(m, 'assoc_const');
          const type = both((r) => renderType(c.type, r));
          items[path] = {
            path,
            kind: 'assoc_const',
            sig: { display: `pub const ${m.name}: ${type.display}`, key: type.key },
            type,
            location: location(m.span),
          };
        }
      }
    }
    return traitImpls.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };

  // Pass 2: describe every item found.
  const items: Record<string, ApiItem> = {};
  for (const { path, id } of found) {
    const item = get(id)!;
    const name = path.split('::').pop()!;
    const loc = location(item.span);
    const k = kindOf(item);
    switch (k) {
      case 'module':
        items[path] = { path, kind: 'module', sig: { display: `pub mod ${name}`, key: 'mod' }, location: loc };
        break;
      case 'function': {
        const f = innerOf<RdFunction>(item, 'function');
        items[path] = { path, kind: 'function', sig: both((r) => renderFn(name, f, r)), fn: fnApi(f), location: loc };
        break;
      }
      case 'struct':
      case 'union': {
        const s = innerOf<{
          kind?: 'unit' | { plain: { fields: Id[]; has_stripped_fields: boolean } } | { tuple: Array<Id | null> };
          fields?: Id[];
          has_stripped_fields?: boolean;
          generics: RdGenerics;
          impls: Id[];
        }>(item, k);
        let structKind: ApiItem['structKind'] = 'plain';
        let fields: FieldApi[] = [];
        let hidden = false;
        if (k === 'union') {
          ({ fields, hidden } = fieldsOf(s.fields ?? [], false));
          hidden ||= !!s.has_stripped_fields;
        } else if (s.kind === 'unit') {
          structKind = 'unit';
        } else if (s.kind && 'tuple' in s.kind) {
          structKind = 'tuple';
          ({ fields, hidden } = fieldsOf(s.kind.tuple, true));
        } else if (s.kind && 'plain' in s.kind) {
          ({ fields, hidden } = fieldsOf(s.kind.plain.fields, false));
          hidden ||= s.kind.plain.has_stripped_fields;
        }
        const generics = genericsSig(s.generics);
        items[path] = {
          path,
          kind: k,
          sig: { display: `pub ${k} ${name}${generics.display}`, key: `${k}${generics.key}` },
          generics,
          structKind,
          fields,
          hasPrivateFields: hidden,
          nonExhaustive: isNonExhaustive(item),
          location: loc,
        };
        items[path]!.traitImpls = implsOf(path, s.impls, items);
        break;
      }
      case 'enum': {
        const e = innerOf<{ generics: RdGenerics; variants: Id[]; has_stripped_variants: boolean; impls: Id[] }>(item, 'enum');
        const variants: VariantApi[] = [];
        for (const vid of e.variants) {
          const v = get(vid);
          if (!v?.name) continue;
          const vk = innerOf<{ kind: 'plain' | { tuple: Array<Id | null> } | { struct: { fields: Id[]; has_stripped_fields: boolean } } }>(v, 'variant').kind;
          const vname = v.name;
          let shape: Sig = { display: vname, key: vname };
          if (vk !== 'plain' && 'tuple' in vk) {
            const { fields } = fieldsOf(vk.tuple, true);
            shape = {
              display: `${vname}(${fields.map((f) => f.type.display).join(', ')})`,
              key: `${vname}(${fields.map((f) => f.type.key).join(', ')})`,
            };
          } else if (vk !== 'plain' && 'struct' in vk) {
            const { fields } = fieldsOf(vk.struct.fields, false);
            shape = {
              display: `${vname} { ${fields.map((f) => `${f.name}: ${f.type.display}`).join(', ')} }`,
              key: `${vname} { ${fields.map((f) => `${f.name}: ${f.type.key}`).join(', ')} }`,
            };
          }
          variants.push({ name: vname, shape, location: location(v.span) });
        }
        const generics = genericsSig(e.generics);
        items[path] = {
          path,
          kind: 'enum',
          sig: { display: `pub enum ${name}${generics.display}`, key: `enum${generics.key}` },
          generics,
          variants,
          hasHiddenVariants: e.has_stripped_variants,
          nonExhaustive: isNonExhaustive(item),
          location: loc,
        };
        items[path]!.traitImpls = implsOf(path, e.impls, items);
        break;
      }
      case 'trait': {
        const t = innerOf<{
          is_unsafe: boolean;
          is_dyn_compatible?: boolean;
          is_object_safe?: boolean;
          items: Id[];
          generics: RdGenerics;
          bounds: RdBound[];
        }>(item, 'trait');
        const traitItems: TraitItemApi[] = [];
        for (const tid of t.items) {
          const ti = get(tid);
          if (!ti?.name) continue;
          const tk = kindOf(ti);
          const tname = ti.name;
          if (tk === 'function') {
            const f = innerOf<RdFunction>(ti, 'function');
            traitItems.push({
              name: tname,
              kind: 'method',
              sig: both((r) => renderFn(tname, f, r, '')),
              required: !f.has_body,
              fn: fnApi(f),
              location: location(ti.span),
            });
          } else if (tk === 'assoc_const') {
            const c = innerOf<{ type: RdType; value: string | null }>(ti, 'assoc_const');
            traitItems.push({
              name: tname,
              kind: 'assoc_const',
              sig: both((r) => `const ${tname}: ${renderType(c.type, r)}`),
              required: c.value === null,
              location: location(ti.span),
            });
          } else if (tk === 'assoc_type') {
            const a = innerOf<{ generics: RdGenerics; bounds: RdBound[]; type: RdType | null }>(ti, 'assoc_type');
            traitItems.push({
              name: tname,
              kind: 'assoc_type',
              sig: both((r) => {
                const g = renderGenerics(a.generics, r);
                const b = a.bounds.length ? `: ${a.bounds.map((x) => renderBound(x, r)).join(' + ')}` : '';
                return `type ${tname}${g.params}${b}${g.where}`;
              }),
              required: a.type === null,
              location: location(ti.span),
            });
          }
        }
        const generics = genericsSig(t.generics);
        const supertraits = both((r) =>
          t.bounds
            .map((b) => renderBound(b, r))
            .sort()
            .join(' + '),
        );
        items[path] = {
          path,
          kind: 'trait',
          sig: {
            display: `pub ${t.is_unsafe ? 'unsafe ' : ''}trait ${name}${generics.display}${supertraits.display ? `: ${supertraits.display}` : ''}`,
            key: `trait${generics.key}`,
          },
          generics,
          traitItems,
          unsafeTrait: t.is_unsafe,
          dynCompatible: t.is_dyn_compatible ?? t.is_object_safe ?? true,
          supertraits,
          location: loc,
        };
        break;
      }
      case 'trait_alias':
        items[path] = { path, kind: 'trait_alias', sig: { display: `pub trait ${name} = ...`, key: 'trait_alias' }, location: loc };
        break;
      case 'constant': {
        const c = innerOf<{ type: RdType }>(item, 'constant');
        const type = both((r) => renderType(c.type, r));
        items[path] = { path, kind: 'constant', sig: { display: `pub const ${name}: ${type.display}`, key: type.key }, type, location: loc };
        break;
      }
      case 'static': {
        const s = innerOf<{ type: RdType; is_mutable: boolean }>(item, 'static');
        const type = both((r) => `${s.is_mutable ? 'mut ' : ''}${renderType(s.type, r)}`);
        items[path] = { path, kind: 'static', sig: { display: `pub static ${name}: ${type.display}`, key: type.key }, type, location: loc };
        break;
      }
      case 'type_alias': {
        const a = innerOf<{ type: RdType; generics: RdGenerics }>(item, 'type_alias');
        const generics = genericsSig(a.generics);
        const type = both((r) => renderType(a.type, r));
        items[path] = {
          path,
          kind: 'type_alias',
          sig: { display: `pub type ${name}${generics.display} = ${type.display}`, key: `${generics.key} = ${type.key}` },
          generics,
          type,
          location: loc,
        };
        break;
      }
      case 'macro':
      case 'proc_macro':
        items[path] = { path, kind: 'macro', sig: { display: `macro ${name}!`, key: 'macro' }, location: loc };
        break;
      case 'extern_crate':
        items[path] = { path, kind: 'reexport', sig: { display: `pub extern crate ${name}`, key: 'extern crate' }, location: loc };
        break;
      default:
        // primitive docs and the like: not API a downstream crate can break on.
        break;
    }
  }

  // Re-exports of items from other crates: removing one is breaking; what they
  // point to is another crate's API.
  for (const { path, use, target, glob, source } of externalReexports) {
    if (items[path]) continue;
    const to = canonical(target, source);
    items[path] = {
      path,
      kind: 'reexport',
      sig: { display: `pub use ${source}${glob ? '::*' : ''}`, key: `use ${to}${glob ? '::*' : ''}` },
      location: location(use.span),
    };
  }

  return { crate, formatVersion: doc.format_version, items };
}
