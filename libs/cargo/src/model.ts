// The workspace model every other piece reads. Paths are relative to the
// workspace root and use '/' (the root crate's folder is '.').

export type DepKind = 'normal' | 'dev' | 'build';

export interface CrateDependency {
  /** Name of the crate depended on (the `package = "..."` of a renamed dep, else the key). */
  name: string;
  /** The key in the manifest (differs from `name` when renamed). */
  alias: string;
  kind: DepKind;
  /** `cfg(...)` or target triple for `[target.X.*dependencies]`. */
  target?: string;
  /** Version requirement, after resolving `workspace = true`. */
  req?: string;
  /** Path of the dependency's folder relative to the workspace root, when it is a path dep. */
  path?: string;
  /** Declared with `workspace = true`. */
  workspace: boolean;
  optional: boolean;
}

export interface CrateInfo {
  name: string;
  /** Resolved version (through `[workspace.package]` when `version.workspace = true`). */
  version: string;
  versionFromWorkspace: boolean;
  /** Crate folder relative to the workspace root ('.' for the root package). */
  root: string;
  /** Manifest path relative to the workspace root. */
  manifestPath: string;
  /** False when `publish = false` (or `publish = []`). */
  publish: boolean;
  description?: string;
  dependencies: CrateDependency[];
  /** Has a library target (`[lib]`, `src/lib.rs`, or no binary at all). Filled by readWorkspace. */
  hasLib?: boolean;
  /** Binary targets (`[[bin]]` names, or the crate name for `src/main.rs`). Filled by readWorkspace. */
  bins?: string[];
}

export interface WorkspaceDependency {
  req?: string;
  path?: string;
  package?: string;
}

export interface CargoWorkspace {
  /** Absolute path of the workspace root. */
  root: string;
  crates: CrateInfo[];
  /** `[workspace.package] version`, when present. */
  workspaceVersion?: string;
  /** `[workspace.dependencies]`, by key. */
  workspaceDependencies: Record<string, WorkspaceDependency>;
}

/** An edge between two workspace crates. */
export interface CrateEdge {
  source: string;
  target: string;
  kind: DepKind;
}
