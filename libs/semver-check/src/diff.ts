// Compares two API surfaces of one crate and lists the changes that break
// downstream code under Cargo's semver rules. Additions pass, except where the
// Rust reference says they break users (a variant on an exhaustive enum, a
// field on a struct built with a literal, a required item on a trait).
import type { ApiItem, ApiSurface, FnApi, Location, Sig } from './surface';

export type FindingKind =
  | 'item-removed'
  | 'kind-changed'
  | 'fn-signature-changed'
  | 'type-changed'
  | 'generics-changed'
  | 'field-removed'
  | 'field-type-changed'
  | 'field-added'
  | 'struct-kind-changed'
  | 'struct-made-non-exhaustive'
  | 'struct-fields-made-private'
  | 'variant-removed'
  | 'variant-changed'
  | 'variant-added'
  | 'enum-made-non-exhaustive'
  | 'trait-item-removed'
  | 'trait-item-changed'
  | 'trait-required-item-added'
  | 'trait-item-default-removed'
  | 'trait-made-unsafe'
  | 'trait-no-longer-dyn-compatible'
  | 'trait-bounds-changed'
  | 'trait-impl-removed'
  | 'tool-report';

export interface Finding {
  crate: string;
  /** Path of the item as a user names it, e.g. `wasmtime::Config::new`. */
  item: string;
  kind: FindingKind;
  /** One line: what changed, e.g. "public function removed". */
  message: string;
  before?: string;
  after?: string;
  /** Where: the current tree for changes, the base tree for removals. */
  location?: Location & { tree: 'base' | 'current' };
}

const KIND_NAMES: Record<ApiItem['kind'], string> = {
  module: 'module',
  function: 'function',
  method: 'method',
  struct: 'struct',
  enum: 'enum',
  union: 'union',
  trait: 'trait',
  trait_alias: 'trait alias',
  constant: 'constant',
  static: 'static',
  type_alias: 'type alias',
  assoc_const: 'associated constant',
  assoc_type: 'associated type',
  macro: 'macro',
  reexport: 're-export',
};

function at(loc: Location | undefined, tree: 'base' | 'current'): Finding['location'] {
  return loc ? { ...loc, tree } : undefined;
}

/** `a::b::c` has the proper ancestors `a::b` and `a`. */
function ancestors(path: string): string[] {
  const parts = path.split('::');
  const out: string[] = [];
  for (let i = parts.length - 1; i > 0; i--) out.push(parts.slice(0, i).join('::'));
  return out;
}

export function diffApi(before: ApiSurface, after: ApiSurface): Finding[] {
  const crate = before.crate;
  const findings: Finding[] = [];
  const removed = new Set<string>();
  for (const path of Object.keys(before.items)) if (!after.items[path]) removed.add(path);

  for (const [path, a] of Object.entries(before.items)) {
    const b = after.items[path];
    if (!b) {
      // Report the outermost removed item only: removing a module or a type removes what is inside.
      if (ancestors(path).some((p) => removed.has(p))) continue;
      findings.push({
        crate,
        item: path,
        kind: 'item-removed',
        message: `public ${KIND_NAMES[a.kind]} removed`,
        before: a.sig.display,
        location: at(a.location, 'base'),
      });
      continue;
    }
    const push = (f: Omit<Finding, 'crate' | 'item'> & { item?: string }) => findings.push({ crate, item: path, location: at(b.location, 'current'), ...f });

    if (a.kind !== b.kind) {
      push({ kind: 'kind-changed', message: `${KIND_NAMES[a.kind]} became a ${KIND_NAMES[b.kind]}`, before: a.sig.display, after: b.sig.display });
      continue;
    }
    switch (a.kind) {
      case 'function':
      case 'method':
        diffFn(a.fn!, b.fn!, a.sig, b.sig, KIND_NAMES[a.kind], push);
        break;
      case 'constant':
      case 'static':
      case 'assoc_const':
      case 'type_alias':
        if (a.sig.key !== b.sig.key) push({ kind: 'type-changed', message: `${KIND_NAMES[a.kind]} changed`, before: a.sig.display, after: b.sig.display });
        break;
      case 'reexport':
        if (a.sig.key !== b.sig.key) push({ kind: 'type-changed', message: 're-export points elsewhere', before: a.sig.display, after: b.sig.display });
        break;
      case 'struct':
      case 'union':
        diffGenerics(a, b, push);
        diffStruct(a, b, push);
        diffImpls(a, b, push);
        break;
      case 'enum':
        diffGenerics(a, b, push);
        diffEnum(a, b, push);
        diffImpls(a, b, push);
        break;
      case 'trait':
        diffGenerics(a, b, push);
        diffTrait(a, b, push);
        break;
      default:
        break;
    }
  }
  return findings;
}

type Push = (f: Omit<Finding, 'crate' | 'item'> & { item?: string }) => void;

/** A function's parts, each reported with its own before → after. */
function diffFn(a: FnApi, b: FnApi, sa: Sig, sb: Sig, what: string, push: Push, itemPath?: string): void {
  const changes: string[] = [];
  if (a.inputs.key !== b.inputs.key) changes.push(`parameters ${a.inputs.display} → ${b.inputs.display}`);
  if (a.output.key !== b.output.key) changes.push(`return type ${a.output.display} → ${b.output.display}`);
  if (a.generics.key !== b.generics.key) changes.push(`generics \`${a.generics.display || '<>'}\` → \`${b.generics.display || '<>'}\``);
  // Dropping `const` breaks const contexts; adding it breaks nobody.
  if (a.isConst && !b.isConst) changes.push('no longer `const`');
  // Adding `unsafe` breaks safe callers; removing it only warns (unused_unsafe).
  if (!a.isUnsafe && b.isUnsafe) changes.push('became `unsafe`');
  if (a.isAsync !== b.isAsync) changes.push(b.isAsync ? 'became `async`' : 'no longer `async`');
  if (a.abi !== b.abi) changes.push(`ABI "${a.abi}" → "${b.abi}"`);
  if (changes.length) {
    push({
      kind: 'fn-signature-changed',
      message: `${what} signature changed: ${changes.join('; ')}`,
      before: sa.display,
      after: sb.display,
      ...(itemPath ? { item: itemPath } : {}),
    });
  }
}

function diffGenerics(a: ApiItem, b: ApiItem, push: Push): void {
  const ga = a.generics?.key ?? '';
  const gb = b.generics?.key ?? '';
  if (ga === gb) return;
  // New trailing parameters with defaults (`<T, A = Global>`) keep old uses compiling.
  const pa = ga.replace(/^<|>$/g, '');
  const pb = gb.replace(/^<|>$/g, '');
  if (!ga.includes(' where ') && !gb.includes(' where ') && pa && pb.startsWith(pa + ', ')) {
    const extra = pb.slice(pa.length + 2).split(', ');
    if (extra.every((p) => p.includes(' = '))) return;
  }
  push({
    kind: 'generics-changed',
    message: `generic parameters or bounds changed: \`${a.generics?.display || '<>'}\` → \`${b.generics?.display || '<>'}\``,
    before: a.sig.display,
    after: b.sig.display,
  });
}

function diffStruct(a: ApiItem, b: ApiItem, push: Push): void {
  const what = a.kind;
  if (a.structKind !== b.structKind) {
    push({ kind: 'struct-kind-changed', message: `${what} changed from ${a.structKind} to ${b.structKind} form`, before: a.sig.display, after: b.sig.display });
    return;
  }
  const fb = new Map((b.fields ?? []).map((f) => [f.name, f]));
  const fa = new Map((a.fields ?? []).map((f) => [f.name, f]));
  let fieldGone = false;
  for (const f of a.fields ?? []) {
    const g = fb.get(f.name);
    if (!g) {
      fieldGone = true;
      push({
        kind: 'field-removed',
        item: `${a.path}::${f.name}`,
        message: `public field removed or made private`,
        before: `pub ${f.name}: ${f.type.display}`,
        location: at(f.location ?? a.location, 'base'),
      });
    } else if (f.type.key !== g.type.key) {
      push({
        kind: 'field-type-changed',
        item: `${a.path}::${f.name}`,
        message: `field type changed: ${f.type.display} → ${g.type.display}`,
        before: `pub ${f.name}: ${f.type.display}`,
        after: `pub ${g.name}: ${g.type.display}`,
        location: at(g.location ?? b.location, 'current'),
      });
    }
  }
  // A struct with only public fields and no #[non_exhaustive] can be built with a
  // literal (and matched exhaustively) outside the crate: these changes break that.
  const constructible = !a.hasPrivateFields && !a.nonExhaustive && what === 'struct';
  if (!a.nonExhaustive && b.nonExhaustive) {
    push({
      kind: 'struct-made-non-exhaustive',
      message: `${what} became #[non_exhaustive]: it can no longer be built with a literal outside the crate`,
      before: a.sig.display,
      after: `#[non_exhaustive] ${b.sig.display}`,
    });
  } else if (constructible && b.hasPrivateFields && !fieldGone) {
    // (A field that went private is already reported above.)
    push({
      kind: 'struct-fields-made-private',
      message: `${what} gained private fields: struct literals outside the crate no longer compile`,
      before: a.sig.display,
      after: b.sig.display,
    });
  } else if (constructible && !b.nonExhaustive) {
    const added = (b.fields ?? []).filter((f) => !fa.has(f.name));
    if (added.length) {
      push({
        kind: 'field-added',
        message: `public field(s) ${added.map((f) => `\`${f.name}\``).join(', ')} added to a ${what} built with literals: existing literals no longer compile`,
        before: a.sig.display,
        after: b.sig.display,
      });
    }
  }
}

function diffEnum(a: ApiItem, b: ApiItem, push: Push): void {
  const vb = new Map((b.variants ?? []).map((v) => [v.name, v]));
  const va = new Set((a.variants ?? []).map((v) => v.name));
  for (const v of a.variants ?? []) {
    const w = vb.get(v.name);
    if (!w) {
      push({
        kind: 'variant-removed',
        item: `${a.path}::${v.name}`,
        message: 'enum variant removed',
        before: v.shape.display,
        location: at(v.location ?? a.location, 'base'),
      });
    } else if (v.shape.key !== w.shape.key) {
      push({
        kind: 'variant-changed',
        item: `${a.path}::${v.name}`,
        message: `enum variant changed: ${v.shape.display} → ${w.shape.display}`,
        before: v.shape.display,
        after: w.shape.display,
        location: at(w.location ?? b.location, 'current'),
      });
    }
  }
  if (!a.nonExhaustive && b.nonExhaustive) {
    push({
      kind: 'enum-made-non-exhaustive',
      message: 'enum became #[non_exhaustive]: exhaustive `match`es outside the crate no longer compile',
      before: a.sig.display,
      after: `#[non_exhaustive] ${b.sig.display}`,
    });
  } else if (!a.nonExhaustive) {
    for (const w of b.variants ?? []) {
      if (va.has(w.name)) continue;
      push({
        kind: 'variant-added',
        item: `${a.path}::${w.name}`,
        message: 'variant added to an exhaustive enum: exhaustive `match`es outside the crate no longer compile',
        after: w.shape.display,
        location: at(w.location ?? b.location, 'current'),
      });
    }
  }
}

function diffTrait(a: ApiItem, b: ApiItem, push: Push): void {
  const ib = new Map((b.traitItems ?? []).map((t) => [`${t.kind}:${t.name}`, t]));
  const ia = new Set((a.traitItems ?? []).map((t) => `${t.kind}:${t.name}`));
  for (const t of a.traitItems ?? []) {
    const u = ib.get(`${t.kind}:${t.name}`);
    const item = `${a.path}::${t.name}`;
    if (!u) {
      push({
        kind: 'trait-item-removed',
        item,
        message: `trait ${t.kind.replace('_', ' ')} removed`,
        before: t.sig.display,
        location: at(t.location ?? a.location, 'base'),
      });
      continue;
    }
    const loc = at(u.location ?? b.location, 'current');
    if (t.fn && u.fn) {
      diffFn(t.fn, u.fn, t.sig, u.sig, 'trait method', (f) => push({ ...f, location: loc }), item);
    } else if (t.sig.key !== u.sig.key) {
      push({
        kind: 'trait-item-changed',
        item,
        message: `trait ${t.kind.replace('_', ' ')} changed`,
        before: t.sig.display,
        after: u.sig.display,
        location: loc,
      });
    }
    if (!t.required && u.required) {
      push({
        kind: 'trait-item-default-removed',
        item,
        message: 'trait item lost its default: every implementor must now provide it',
        before: t.sig.display,
        after: u.sig.display,
        location: loc,
      });
    }
  }
  for (const u of b.traitItems ?? []) {
    if (ia.has(`${u.kind}:${u.name}`) || !u.required) continue;
    push({
      kind: 'trait-required-item-added',
      item: `${a.path}::${u.name}`,
      message: `trait ${u.kind.replace('_', ' ')} added without a default: implementations outside the crate no longer compile`,
      after: u.sig.display,
      location: at(u.location ?? b.location, 'current'),
    });
  }
  if (!a.unsafeTrait && b.unsafeTrait)
    push({ kind: 'trait-made-unsafe', message: 'trait became `unsafe`: implementations need `unsafe impl`', before: a.sig.display, after: b.sig.display });
  if (a.dynCompatible && !b.dynCompatible) {
    push({
      kind: 'trait-no-longer-dyn-compatible',
      message: 'trait is no longer dyn-compatible: `dyn Trait` uses no longer compile',
      before: a.sig.display,
      after: b.sig.display,
    });
  }
  const sa = new Set((a.supertraits?.key ?? '').split(' + ').filter(Boolean));
  const added = (b.supertraits?.key ?? '').split(' + ').filter((s) => s && !sa.has(s));
  if (added.length) {
    push({
      kind: 'trait-bounds-changed',
      message: `supertrait bound(s) added: implementors must now also implement them`,
      before: a.sig.display,
      after: b.sig.display,
    });
  }
}

function diffImpls(a: ApiItem, b: ApiItem, push: Push): void {
  const kb = new Set((b.traitImpls ?? []).map((i) => i.key));
  for (const i of a.traitImpls ?? []) {
    if (kb.has(i.key)) continue;
    push({ kind: 'trait-impl-removed', message: `trait implementation removed: ${i.display}`, before: i.display });
  }
}
