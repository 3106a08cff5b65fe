// The subset of rustdoc's JSON output (`--output-format json`) this library reads.
// Written against format_version 57 (rustc 1.95); see `rustdoc-json-types` in
// rust-lang/rust for the full schema. Ids are numbers since format 30-something,
// strings before: we index with String(id) so either works.

export type Id = number | string;

export interface RustdocCrate {
  root: Id;
  crate_version: string | null;
  includes_private: boolean;
  index: Record<string, RdItem>;
  paths: Record<string, { crate_id: number; path: string[]; kind: string }>;
  external_crates: Record<string, { name: string }>;
  format_version: number;
}

export interface RdSpan {
  filename: string;
  begin: [number, number];
  end: [number, number];
}

/** `attrs` is structured since format ~54 ("non_exhaustive", {other: "#[...]"}); plain strings before. */
export type RdAttr = string | Record<string, unknown>;

export interface RdItem {
  id: Id;
  crate_id: number;
  name: string | null;
  span: RdSpan | null;
  visibility: 'public' | 'default' | 'crate' | { restricted: unknown };
  attrs: RdAttr[];
  inner: Record<string, unknown>;
}

export interface RdPath {
  path: string;
  id: Id;
  args: RdGenericArgs | null;
}

export type RdGenericArgs =
  | { angle_bracketed: { args: RdGenericArg[]; constraints: RdConstraint[] } }
  | { parenthesized: { inputs: RdType[]; output: RdType | null } }
  | 'return_type_notation';

export type RdGenericArg = { lifetime: string } | { type: RdType } | { const: { expr: string } } | 'infer';

export interface RdConstraint {
  name: string;
  args: RdGenericArgs | null;
  binding: { equality: RdTerm } | { constraint: RdBound[] };
}

export type RdTerm = { type: RdType } | { constant: { expr: string } };

export type RdBound =
  | { trait_bound: { trait: RdPath; generic_params: RdGenericParam[]; modifier: 'none' | 'maybe' | 'maybe_const' } }
  | { outlives: string }
  | { use: Array<{ lifetime: string } | { param: string } | string> };

export type RdType =
  | { resolved_path: RdPath }
  | { dyn_trait: { traits: Array<{ trait: RdPath; generic_params: RdGenericParam[] }>; lifetime: string | null } }
  | { generic: string }
  | { primitive: string }
  | { function_pointer: { sig: RdFnSig; generic_params: RdGenericParam[]; header: RdHeader } }
  | { tuple: RdType[] }
  | { slice: RdType }
  | { array: { type: RdType; len: string } }
  | { pat: { type: RdType } }
  | { impl_trait: RdBound[] }
  | 'infer'
  | { raw_pointer: { is_mutable: boolean; type: RdType } }
  | { borrowed_ref: { lifetime: string | null; is_mutable: boolean; type: RdType } }
  | { qualified_path: { name: string; args: RdGenericArgs | null; self_type: RdType; trait: RdPath | null } };

export interface RdGenericParam {
  name: string;
  kind:
    | { lifetime: { outlives: string[] } }
    | { type: { bounds: RdBound[]; default: RdType | null; is_synthetic: boolean } }
    | { const: { type: RdType; default: string | null } };
}

export type RdWherePredicate =
  | { bound_predicate: { type: RdType; bounds: RdBound[]; generic_params: RdGenericParam[] } }
  | { lifetime_predicate: { lifetime: string; outlives: string[] } }
  | { eq_predicate: { lhs: RdType; rhs: RdTerm } };

export interface RdGenerics {
  params: RdGenericParam[];
  where_predicates: RdWherePredicate[];
}

export interface RdFnSig {
  inputs: Array<[string, RdType]>;
  output: RdType | null;
  is_c_variadic: boolean;
}

export type RdAbi = 'Rust' | string | Record<string, unknown>;

export interface RdHeader {
  is_const: boolean;
  is_unsafe: boolean;
  is_async: boolean;
  abi: RdAbi;
}

export interface RdFunction {
  sig: RdFnSig;
  generics: RdGenerics;
  header: RdHeader;
  has_body: boolean;
}
