// Renders rustdoc JSON types and signatures as Rust-like text, in two modes:
// - 'display': the way the source wrote it (`Option<&str>`), for messages;
// - 'key': with every path canonical (`core::option::Option<&str>`) and without
//   parameter names, so two builds compare equal exactly when the API is the same
//   (rustdoc's numeric ids differ between builds and cannot be compared).
import type {
  Id,
  RdAbi,
  RdBound,
  RdFunction,
  RdGenericArg,
  RdGenericArgs,
  RdGenericParam,
  RdGenerics,
  RdPath,
  RdTerm,
  RdType,
  RdWherePredicate,
} from './rustdoc-types';

export type RenderMode = 'display' | 'key';

export interface Renderer {
  mode: RenderMode;
  /** The canonical name of a path's target (used in 'key' mode). */
  canonical(id: Id | null | undefined, written: string): string;
}

function has<K extends string>(v: unknown, k: K): v is Record<K, unknown> {
  return typeof v === 'object' && v !== null && k in v;
}

export function renderPath(p: RdPath, r: Renderer): string {
  const name = r.mode === 'key' ? r.canonical(p.id, p.path) : p.path;
  return name + renderArgs(p.args, r);
}

export function renderArgs(args: RdGenericArgs | null | undefined, r: Renderer): string {
  if (!args) return '';
  if (args === 'return_type_notation') return '(..)';
  if (has(args, 'parenthesized')) {
    const { inputs, output } = args.parenthesized;
    return `(${inputs.map((t) => renderType(t, r)).join(', ')})${output ? ` -> ${renderType(output, r)}` : ''}`;
  }
  const { args: list, constraints } = args.angle_bracketed;
  const parts = [
    ...list.map((a) => renderGenericArg(a, r)),
    ...constraints.map((c) => {
      const head = c.name + renderArgs(c.args, r);
      if (has(c.binding, 'equality')) return `${head} = ${renderTerm(c.binding.equality, r)}`;
      return `${head}: ${renderBounds(c.binding.constraint, r)}`;
    }),
  ];
  return parts.length ? `<${parts.join(', ')}>` : '';
}

function renderGenericArg(a: RdGenericArg, r: Renderer): string {
  if (a === 'infer') return '_';
  if (has(a, 'lifetime')) return a.lifetime;
  if (has(a, 'type')) return renderType(a.type, r);
  if (has(a, 'const')) return a.const.expr;
  return '?';
}

function renderTerm(t: RdTerm, r: Renderer): string {
  return has(t, 'type') ? renderType(t.type, r) : t.constant.expr;
}

export function renderBound(b: RdBound, r: Renderer): string {
  if (has(b, 'outlives')) return b.outlives;
  if (has(b, 'use')) {
    const names = b.use.map((u) => (typeof u === 'string' ? u : has(u, 'lifetime') ? u.lifetime : u.param));
    return `use<${names.join(', ')}>`;
  }
  const { trait, generic_params, modifier } = b.trait_bound;
  const hrtb = generic_params.length ? `for<${generic_params.map((p) => p.name).join(', ')}> ` : '';
  const mod = modifier === 'maybe' ? '?' : modifier === 'maybe_const' ? '~const ' : '';
  return `${hrtb}${mod}${renderPath(trait, r)}`;
}

export function renderBounds(bounds: RdBound[], r: Renderer): string {
  const parts = bounds.map((b) => renderBound(b, r));
  // Bound order carries no meaning; sort in key mode so reordering is not a change.
  if (r.mode === 'key') parts.sort();
  return parts.join(' + ');
}

export function renderType(t: RdType | null | undefined, r: Renderer): string {
  if (t === null || t === undefined) return '()';
  if (t === 'infer') return '_';
  if (has(t, 'primitive')) return t.primitive;
  if (has(t, 'generic')) return t.generic;
  if (has(t, 'resolved_path')) return renderPath(t.resolved_path, r);
  if (has(t, 'tuple')) {
    const items = t.tuple.map((x) => renderType(x, r));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (has(t, 'slice')) return `[${renderType(t.slice, r)}]`;
  if (has(t, 'array')) return `[${renderType(t.array.type, r)}; ${t.array.len}]`;
  if (has(t, 'pat')) return renderType(t.pat.type, r);
  if (has(t, 'borrowed_ref')) {
    const { lifetime, is_mutable, type } = t.borrowed_ref;
    return `&${lifetime ? lifetime + ' ' : ''}${is_mutable ? 'mut ' : ''}${renderType(type, r)}`;
  }
  if (has(t, 'raw_pointer')) return `*${t.raw_pointer.is_mutable ? 'mut' : 'const'} ${renderType(t.raw_pointer.type, r)}`;
  if (has(t, 'impl_trait')) return `impl ${renderBounds(t.impl_trait, r)}`;
  if (has(t, 'dyn_trait')) {
    const traits = t.dyn_trait.traits.map(
      (x) => (x.generic_params.length ? `for<${x.generic_params.map((p) => p.name).join(', ')}> ` : '') + renderPath(x.trait, r),
    );
    if (r.mode === 'key') traits.sort();
    const lt = t.dyn_trait.lifetime ? ` + ${t.dyn_trait.lifetime}` : '';
    return `dyn ${traits.join(' + ')}${lt}`;
  }
  if (has(t, 'function_pointer')) {
    const { sig, header, generic_params } = t.function_pointer;
    const hrtb = generic_params.length ? `for<${generic_params.map((p) => p.name).join(', ')}> ` : '';
    const inputs = sig.inputs.map(([n, ty]) => (r.mode === 'display' && n && n !== '_' ? `${n}: ${renderType(ty, r)}` : renderType(ty, r)));
    if (sig.is_c_variadic) inputs.push('...');
    return `${hrtb}${headerPrefix(header.is_const, header.is_async, header.is_unsafe, header.abi)}fn(${inputs.join(', ')})${
      sig.output ? ` -> ${renderType(sig.output, r)}` : ''
    }`;
  }
  if (has(t, 'qualified_path')) {
    const { name, args, self_type, trait } = t.qualified_path;
    const self = renderType(self_type, r);
    // `Self::Out` inside a trait: the trait path is empty.
    if (!trait || trait.path === '') return `${self}::${name}${renderArgs(args, r)}`;
    return `<${self} as ${renderPath(trait, r)}>::${name}${renderArgs(args, r)}`;
  }
  return JSON.stringify(t);
}

export function abiName(abi: RdAbi): string {
  if (abi === 'Rust') return 'Rust';
  if (typeof abi === 'string') return abi;
  const [k, v] = Object.entries(abi)[0] ?? ['?', undefined];
  const unwind = has(v, 'unwind') && v.unwind ? '-unwind' : '';
  return `${k}${unwind}`;
}

function headerPrefix(isConst: boolean, isAsync: boolean, isUnsafe: boolean, abi: RdAbi): string {
  const name = abiName(abi);
  return `${isConst ? 'const ' : ''}${isAsync ? 'async ' : ''}${isUnsafe ? 'unsafe ' : ''}${name === 'Rust' ? '' : `extern "${name}" `}`;
}

function renderParam(p: RdGenericParam, r: Renderer): string {
  const k = p.kind;
  if (has(k, 'lifetime')) return k.lifetime.outlives.length ? `${p.name}: ${k.lifetime.outlives.join(' + ')}` : p.name;
  if (has(k, 'const')) return `const ${p.name}: ${renderType(k.const.type, r)}${k.const.default ? ` = ${k.const.default}` : ''}`;
  const t = k.type;
  const bounds = t.bounds.length ? `: ${renderBounds(t.bounds, r)}` : '';
  return `${p.name}${bounds}${t.default ? ` = ${renderType(t.default, r)}` : ''}`;
}

function renderWhere(w: RdWherePredicate, r: Renderer): string {
  if (has(w, 'bound_predicate')) {
    const { type, bounds, generic_params } = w.bound_predicate;
    const hrtb = generic_params.length ? `for<${generic_params.map((p) => p.name).join(', ')}> ` : '';
    return `${hrtb}${renderType(type, r)}: ${renderBounds(bounds, r)}`;
  }
  if (has(w, 'lifetime_predicate')) return `${w.lifetime_predicate.lifetime}: ${w.lifetime_predicate.outlives.join(' + ')}`;
  return `${renderType(w.eq_predicate.lhs, r)} = ${renderTerm(w.eq_predicate.rhs, r)}`;
}

/** Explicit generic parameters; `impl Trait` arguments (synthetic) show in the inputs instead. */
export function visibleParams(g: RdGenerics | undefined): RdGenericParam[] {
  return (g?.params ?? []).filter((p) => !(has(p.kind, 'type') && p.kind.type.is_synthetic));
}

export function renderGenerics(g: RdGenerics | undefined, r: Renderer): { params: string; where: string } {
  const params = visibleParams(g).map((p) => renderParam(p, r));
  const preds = (g?.where_predicates ?? []).map((w) => renderWhere(w, r));
  if (r.mode === 'key') preds.sort();
  return {
    params: params.length ? `<${params.join(', ')}>` : '',
    where: preds.length ? ` where ${preds.join(', ')}` : '',
  };
}

/** The parameter list: `self` forms are shown the way they are written. */
export function renderInputs(inputs: Array<[string, RdType]>, variadic: boolean, r: Renderer): string[] {
  const out = inputs.map(([name, ty]) => {
    if (name === 'self') {
      if (has(ty, 'generic') && ty.generic === 'Self') return 'self';
      if (has(ty, 'borrowed_ref') && has(ty.borrowed_ref.type, 'generic') && ty.borrowed_ref.type.generic === 'Self') {
        const { lifetime, is_mutable } = ty.borrowed_ref;
        return `&${lifetime ? lifetime + ' ' : ''}${is_mutable ? 'mut ' : ''}self`;
      }
      return `self: ${renderType(ty, r)}`;
    }
    // Parameter names are not part of the API: leave them out of keys.
    return r.mode === 'display' ? `${name}: ${renderType(ty, r)}` : renderType(ty, r);
  });
  if (variadic) out.push('...');
  return out;
}

export interface FnParts {
  qualifiers: string;
  params: string;
  inputs: string;
  output: string;
  where: string;
}

export function fnParts(f: RdFunction, r: Renderer): FnParts {
  const g = renderGenerics(f.generics, r);
  return {
    qualifiers: headerPrefix(f.header.is_const, f.header.is_async, f.header.is_unsafe, f.header.abi),
    params: g.params,
    inputs: `(${renderInputs(f.sig.inputs, f.sig.is_c_variadic, r).join(', ')})`,
    output: f.sig.output ? renderType(f.sig.output, r) : '()',
    where: g.where,
  };
}

export function renderFn(name: string, f: RdFunction, r: Renderer, vis = 'pub '): string {
  const p = fnParts(f, r);
  const ret = p.output === '()' ? '' : ` -> ${p.output}`;
  return `${vis}${p.qualifiers}fn ${name}${p.params}${p.inputs}${ret}${p.where}`;
}
