// What one `nx release version` run has decided so far, per Cargo workspace
// root. Nx builds one VersionActions per project but loads this module once
// and calls its afterAllProjectsVersioned after every project, so the state
// that ties them together (the fixed group's plan, the independent changes
// Cargo.lock must follow) lives here.
import type { BumpPlan, VersionChange } from '@crate-train/versions';

export interface ReleaseState {
  /** The fixed group's bump, by new root version. */
  plans: Map<string, BumpPlan>;
  /** The plan whose manifests and version files are already in the Nx tree. */
  written?: BumpPlan;
  /** Crate versions changed one by one (independent groups), by crate name. */
  changes: Map<string, VersionChange>;
}

const states = new Map<string, ReleaseState>();

export function releaseState(root: string): ReleaseState {
  let s = states.get(root);
  if (!s) states.set(root, (s = { plans: new Map(), changes: new Map() }));
  return s;
}

/** Every crate whose version this run changed (the written plan's and the independent ones). */
export function changedCrates(root: string): Map<string, VersionChange> {
  const s = states.get(root);
  const out = new Map<string, VersionChange>();
  for (const c of s?.written?.crates ?? []) out.set(c.name, { from: c.from, to: c.to });
  for (const [name, c] of s?.changes ?? []) out.set(name, c);
  return out;
}

/** Roots (absolute) of the Cargo workspaces this run has touched. */
export function releaseRoots(): string[] {
  return [...states.keys()];
}

export function forgetRelease(root: string): void {
  states.delete(root);
}
