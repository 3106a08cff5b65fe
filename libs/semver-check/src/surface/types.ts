// The public API surface of one crate, as extractApi returns it and diffApi compares it.

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
