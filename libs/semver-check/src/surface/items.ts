// Pass 2 of extractApi: what each public path names, described per kind (functions,
// structs and unions, enums, traits, constants, statics, aliases, macros, the methods
// and trait impls of a type) and the re-exports of other crates' items.
import { renderBound, renderFn, renderGenerics, renderPath, renderType } from '../render';
import type { Id, RdBound, RdFunction, RdGenerics, RdItem, RdPath, RdType } from '../rustdoc-types';
import type { CanonicalRenderer } from './canonical-render';
import type { ExternalReexport, PublicPath } from './module-paths';
import { innerOf, isNonExhaustive, kindOf, type RustdocIndex } from './rustdoc-index';
import type { ApiItem, FieldApi, Location, Sig, TraitItemApi, VariantApi } from './types';

// Auto traits users rely on; rustdoc also emits unstable ones (Freeze, UnsafeUnpin).
const AUTO_TRAITS = new Set(['Send', 'Sync', 'Unpin', 'UnwindSafe', 'RefUnwindSafe']);

type Items = Record<string, ApiItem>;

interface StructInner {
  kind?: 'unit' | { plain: { fields: Id[]; has_stripped_fields: boolean } } | { tuple: Array<Id | null> };
  fields?: Id[];
  has_stripped_fields?: boolean;
  generics: RdGenerics;
  impls: Id[];
}

interface EnumInner {
  generics: RdGenerics;
  variants: Id[];
  has_stripped_variants: boolean;
  impls: Id[];
}

type VariantKind = 'plain' | { tuple: Array<Id | null> } | { struct: { fields: Id[]; has_stripped_fields: boolean } };

interface TraitInner {
  is_unsafe: boolean;
  is_dyn_compatible?: boolean;
  is_object_safe?: boolean;
  items: Id[];
  generics: RdGenerics;
  bounds: RdBound[];
}

interface ImplInner {
  trait: RdPath | null;
  for: RdType;
  items: Id[];
  is_synthetic: boolean;
  is_negative: boolean;
  blanket_impl: RdType | null;
  generics: RdGenerics;
}

/** One item found at `path`: its last segment and where it is defined. */
interface Named {
  path: string;
  name: string;
  location: Location | undefined;
}

function byKey(a: Sig, b: Sig): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export class ItemDescriber {
  constructor(
    private readonly index: RustdocIndex,
    private readonly sigs: CanonicalRenderer,
  ) {}

  /** Every item found at a public path, in the order found (a later path may overwrite an earlier entry). */
  describeAll(found: PublicPath[]): Items {
    const items: Items = {};
    for (const { path, id } of found) this.describe(this.index.item(id)!, path, items);
    return items;
  }

  /** Re-exports of items from other crates: removing one is breaking; what they point to is another crate's API. */
  addExternalReexports(reexports: ExternalReexport[], items: Items): void {
    for (const { path, use, target, glob, source } of reexports) {
      if (items[path]) continue;
      const to = this.sigs.canonical(target, source);
      items[path] = {
        path,
        kind: 'reexport',
        sig: { display: `pub use ${source}${glob ? '::*' : ''}`, key: `use ${to}${glob ? '::*' : ''}` },
        location: this.index.location(use.span),
      };
    }
  }

  private describe(item: RdItem, path: string, items: Items): void {
    const at: Named = { path, name: path.split('::').pop()!, location: this.index.location(item.span) };
    const { name, location: loc } = at;
    const kind = kindOf(item);
    switch (kind) {
      case 'module':
        items[path] = { path, kind: 'module', sig: { display: `pub mod ${name}`, key: 'mod' }, location: loc };
        break;
      case 'function': {
        const f = innerOf<RdFunction>(item, 'function');
        items[path] = { path, kind: 'function', sig: this.sigs.both((r) => renderFn(name, f, r)), fn: this.sigs.fnApi(f), location: loc };
        break;
      }
      case 'struct':
      case 'union':
        return this.describeStructOrUnion(item, kind, at, items);
      case 'enum':
        return this.describeEnum(item, at, items);
      case 'trait':
        items[path] = this.describeTrait(item, at);
        break;
      case 'trait_alias':
        items[path] = { path, kind: 'trait_alias', sig: { display: `pub trait ${name} = ...`, key: 'trait_alias' }, location: loc };
        break;
      case 'constant': {
        const type = this.sigs.type(innerOf<{ type: RdType }>(item, 'constant').type);
        items[path] = { path, kind: 'constant', sig: { display: `pub const ${name}: ${type.display}`, key: type.key }, type, location: loc };
        break;
      }
      case 'static': {
        const s = innerOf<{ type: RdType; is_mutable: boolean }>(item, 'static');
        const type = this.sigs.both((r) => `${s.is_mutable ? 'mut ' : ''}${renderType(s.type, r)}`);
        items[path] = { path, kind: 'static', sig: { display: `pub static ${name}: ${type.display}`, key: type.key }, type, location: loc };
        break;
      }
      case 'type_alias':
        items[path] = this.describeTypeAlias(item, at);
        break;
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

  private describeStructOrUnion(item: RdItem, kind: 'struct' | 'union', at: Named, items: Items): void {
    const s = innerOf<StructInner>(item, kind);
    let structKind: ApiItem['structKind'] = 'plain';
    let fields: FieldApi[] = [];
    let hidden = false;
    if (kind === 'union') {
      ({ fields, hidden } = this.fields(s.fields ?? [], false));
      hidden ||= !!s.has_stripped_fields;
    } else if (s.kind === 'unit') {
      structKind = 'unit';
    } else if (s.kind && 'tuple' in s.kind) {
      structKind = 'tuple';
      ({ fields, hidden } = this.fields(s.kind.tuple, true));
    } else if (s.kind && 'plain' in s.kind) {
      ({ fields, hidden } = this.fields(s.kind.plain.fields, false));
      hidden ||= s.kind.plain.has_stripped_fields;
    }
    const generics = this.sigs.generics(s.generics);
    const described: ApiItem = {
      path: at.path,
      kind,
      sig: { display: `pub ${kind} ${at.name}${generics.display}`, key: `${kind}${generics.key}` },
      generics,
      structKind,
      fields,
      hasPrivateFields: hidden,
      nonExhaustive: isNonExhaustive(item),
      location: at.location,
    };
    items[at.path] = described;
    described.traitImpls = this.impls(at.path, s.impls, items);
  }

  /** Fields by id; a missing one (stripped by rustdoc: private) makes `hidden`. Tuple fields are named by position. */
  private fields(ids: Array<Id | null>, tuple: boolean): { fields: FieldApi[]; hidden: boolean } {
    const fields: FieldApi[] = [];
    let hidden = false;
    ids.forEach((fieldId, i) => {
      const field = this.index.item(fieldId);
      if (!field) {
        hidden = true;
        return;
      }
      const type = innerOf<RdType>(field, 'struct_field');
      fields.push({ name: tuple ? String(i) : (field.name ?? String(i)), type: this.sigs.type(type), location: this.index.location(field.span) });
    });
    return { fields, hidden };
  }

  private describeEnum(item: RdItem, at: Named, items: Items): void {
    const e = innerOf<EnumInner>(item, 'enum');
    const variants: VariantApi[] = [];
    for (const variantId of e.variants) {
      const variant = this.index.item(variantId);
      if (variant?.name) variants.push(this.variant(variant, variant.name));
    }
    const generics = this.sigs.generics(e.generics);
    const described: ApiItem = {
      path: at.path,
      kind: 'enum',
      sig: { display: `pub enum ${at.name}${generics.display}`, key: `enum${generics.key}` },
      generics,
      variants,
      hasHiddenVariants: e.has_stripped_variants,
      nonExhaustive: isNonExhaustive(item),
      location: at.location,
    };
    items[at.path] = described;
    described.traitImpls = this.impls(at.path, e.impls, items);
  }

  /** A variant and its shape: `A`, `B(u8, String)`, `C { x: i32 }`. */
  private variant(variant: RdItem, name: string): VariantApi {
    const kind = innerOf<{ kind: VariantKind }>(variant, 'variant').kind;
    let shape: Sig = { display: name, key: name };
    if (kind !== 'plain' && 'tuple' in kind) {
      const { fields } = this.fields(kind.tuple, true);
      shape = {
        display: `${name}(${fields.map((f) => f.type.display).join(', ')})`,
        key: `${name}(${fields.map((f) => f.type.key).join(', ')})`,
      };
    } else if (kind !== 'plain' && 'struct' in kind) {
      const { fields } = this.fields(kind.struct.fields, false);
      shape = {
        display: `${name} { ${fields.map((f) => `${f.name}: ${f.type.display}`).join(', ')} }`,
        key: `${name} { ${fields.map((f) => `${f.name}: ${f.type.key}`).join(', ')} }`,
      };
    }
    return { name, shape, location: this.index.location(variant.span) };
  }

  private describeTrait(item: RdItem, at: Named): ApiItem {
    const t = innerOf<TraitInner>(item, 'trait');
    const traitItems: TraitItemApi[] = [];
    for (const memberId of t.items) {
      const member = this.index.item(memberId);
      if (!member?.name) continue;
      const described = this.traitItem(member, member.name);
      if (described) traitItems.push(described);
    }
    const generics = this.sigs.generics(t.generics);
    const supertraits = this.sigs.both((r) =>
      t.bounds
        .map((b) => renderBound(b, r))
        .sort()
        .join(' + '),
    );
    return {
      path: at.path,
      kind: 'trait',
      sig: {
        display: `pub ${t.is_unsafe ? 'unsafe ' : ''}trait ${at.name}${generics.display}${supertraits.display ? `: ${supertraits.display}` : ''}`,
        key: `trait${generics.key}`,
      },
      generics,
      traitItems,
      unsafeTrait: t.is_unsafe,
      dynCompatible: t.is_dyn_compatible ?? t.is_object_safe ?? true,
      supertraits,
      location: at.location,
    };
  }

  /** A method, associated const or associated type of a trait; `required` when it has no default. */
  private traitItem(member: RdItem, name: string): TraitItemApi | undefined {
    const location = this.index.location(member.span);
    switch (kindOf(member)) {
      case 'function': {
        const f = innerOf<RdFunction>(member, 'function');
        return { name, kind: 'method', sig: this.sigs.both((r) => renderFn(name, f, r, '')), required: !f.has_body, fn: this.sigs.fnApi(f), location };
      }
      case 'assoc_const': {
        const c = innerOf<{ type: RdType; value: string | null }>(member, 'assoc_const');
        return { name, kind: 'assoc_const', sig: this.sigs.both((r) => `const ${name}: ${renderType(c.type, r)}`), required: c.value === null, location };
      }
      case 'assoc_type': {
        const a = innerOf<{ generics: RdGenerics; bounds: RdBound[]; type: RdType | null }>(member, 'assoc_type');
        const sig = this.sigs.both((r) => {
          const g = renderGenerics(a.generics, r);
          const b = a.bounds.length ? `: ${a.bounds.map((x) => renderBound(x, r)).join(' + ')}` : '';
          return `type ${name}${g.params}${b}${g.where}`;
        });
        return { name, kind: 'assoc_type', sig, required: a.type === null, location };
      }
      default:
        return undefined;
    }
  }

  private describeTypeAlias(item: RdItem, at: Named): ApiItem {
    const a = innerOf<{ type: RdType; generics: RdGenerics }>(item, 'type_alias');
    const generics = this.sigs.generics(a.generics);
    const type = this.sigs.type(a.type);
    return {
      path: at.path,
      kind: 'type_alias',
      sig: { display: `pub type ${at.name}${generics.display} = ${type.display}`, key: `${generics.key} = ${type.key}` },
      generics,
      type,
      location: at.location,
    };
  }

  /**
   * The impls of the type at `typePath`: trait impls (explicit, and the auto traits users
   * rely on) are returned sorted by key; an inherent impl's public methods and associated
   * consts are API of their own, added to `items`.
   */
  private impls(typePath: string, implIds: Id[], items: Items): Sig[] {
    const traitImpls: Sig[] = [];
    for (const implId of implIds) {
      const impl = this.index.item(implId);
      if (!impl || kindOf(impl) !== 'impl') continue;
      const im = innerOf<ImplInner>(impl, 'impl');
      if (im.blanket_impl || im.is_negative) continue;
      if (im.trait) {
        const trait = im.trait;
        if (im.is_synthetic && !AUTO_TRAITS.has(trait.path.split('::').pop()!)) continue;
        traitImpls.push(
          this.sigs.both((r) => {
            const gg = renderGenerics(im.generics, r);
            return `impl${gg.params} ${renderPath(trait, r)} for ${renderType(im.for, r)}${gg.where}`;
          }),
        );
        continue;
      }
      for (const memberId of im.items) this.inherentItem(typePath, this.index.item(memberId), items);
    }
    return traitImpls.sort(byKey);
  }

  /** A public method or associated const of an inherent impl. */
  private inherentItem(typePath: string, member: RdItem | undefined, items: Items): void {
    if (!member || member.visibility !== 'public' || !member.name) return;
    const name = member.name;
    const kind = kindOf(member);
    const path = `${typePath}::${name}`;
    if (kind === 'function') {
      const f = innerOf<RdFunction>(member, 'function');
      items[path] = {
        path,
        kind: 'method',
        sig: this.sigs.both((r) => renderFn(name, f, r)),
        fn: this.sigs.fnApi(f),
        location: this.index.location(member.span),
      };
    } else if (kind === 'assoc_const') {
      const type = this.sigs.type(innerOf<{ type: RdType }>(member, 'assoc_const').type);
      items[path] = {
        path,
        kind: 'assoc_const',
        sig: { display: `pub const ${name}: ${type.display}`, key: type.key },
        type,
        location: this.index.location(member.span),
      };
    }
  }
}
