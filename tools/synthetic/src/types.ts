export interface SyntheticOptions {
  /** Number of member crates besides the root package (>= 1). */
  crates: number;
  /** Dependency layers (depth); default min(10, ceil(log2(crates + 1))). */
  layers?: number;
  /** PRNG seed; the same seed and options give byte-identical files. Default 1. */
  seed?: number;
  /** Also write Cargo.lock with `cargo generate-lockfile --offline`. */
  lockfile?: boolean;
  /** Crate name prefix; the root package is `<name>-cli`. Default `synth`. */
  name?: string;
}

/** How a dependency is written in the manifest. */
export type DepForm =
  | 'inline' // foo = { path = "../foo", version = "=1.0.0" }
  | 'workspace' // foo = { workspace = true }
  | 'workspace-features' // foo = { workspace = true, features = ["extra"] }
  | 'dotted' // foo.workspace = true
  | 'renamed-inline' // foo_dep = { package = "foo", path = ..., version = ... }
  | 'renamed-workspace' // alias-foo = { workspace = true } (package = in [workspace.dependencies])
  | 'table' // [dependencies.foo] path = ... version = ...
  | 'path-only'; // foo = { path = "../foo" } (dev-dependencies only: stripped on publish)

export type DepKind = 'normal' | 'build' | 'dev';

export interface SyntheticEdge {
  from: string;
  to: string;
  kind: DepKind;
  /** `cfg(unix)` for `[target.'cfg(unix)'.dependencies]`, else null. */
  target: string | null;
  /** The key in the manifest when it differs from the crate name. */
  rename: string | null;
  form: DepForm;
}

export interface SyntheticCrate {
  name: string;
  /** Folder relative to the workspace root, `.` for the root package. */
  dir: string;
  version: string;
  /** 0 = no dependencies; the root package is at `layers`. */
  layer: number;
  publish: boolean;
  public: boolean;
  /** 'major' crates use `version.workspace = true`; 'zero' crates carry their own 0.Y.0. */
  line: 'major' | 'zero';
}

export interface SyntheticInfo {
  /** Absolute path of the workspace. */
  dir: string;
  rootCrate: string;
  /** Every workspace member, the root package first. */
  crates: SyntheticCrate[];
  names: string[];
  edges: SyntheticEdge[];
  /** CRATES_TO_PUBLISH as written (a valid dependency order). */
  publishOrder: string[];
  publicCrates: string[];
  /** Crate names per layer; layers[layers.length - 1] is [rootCrate]. */
  layers: string[][];
  workspaceVersion: string;
  zeroLineVersion: string;
  /** Folders with a Cargo.toml that `[workspace] exclude` keeps out. */
  excluded: string[];
}
