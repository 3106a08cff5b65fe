// A Cargo workspace with no crate list (the common case among release-plz and
// cargo-release users) still has one: its publishable members, dependencies
// first, as `cargo publish --workspace` orders them.

import type { CrateList } from './parse';

/** What the list needs of a member (CrateInfo fits). */
export interface ListCrate {
  name: string;
  publish: boolean;
  dependencies: readonly { name: string; kind: string }[];
}

/**
 * Every member whose `publish` is not false, in dependency order (normal and build
 * dependencies first; ties and cycles by name). No crate is public unless
 * `publicCrates` says so; without it there is no exact/caret rule.
 */
export function workspaceCrateList(crates: readonly ListCrate[], publicCrates?: readonly string[]): CrateList {
  const publishable = crates.filter((c) => c.publish).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set(publishable.map((c) => c.name));
  const waiting = new Map(
    publishable.map((c) => [c.name, new Set(c.dependencies.filter((d) => d.kind !== 'dev' && d.name !== c.name && names.has(d.name)).map((d) => d.name))]),
  );
  const order: string[] = [];
  while (waiting.size) {
    let ready = [...waiting].filter(([, deps]) => deps.size === 0).map(([n]) => n);
    // A cycle through normal dependencies cannot be published anyway; keep going so the rules can name it.
    if (!ready.length) ready = [[...waiting.keys()][0]];
    for (const n of ready) {
      order.push(n);
      waiting.delete(n);
    }
    for (const deps of waiting.values()) for (const n of ready) deps.delete(n);
  }
  return { cratesToPublish: order, ...(publicCrates ? { publicCrates: [...publicCrates] } : {}), fromWorkspace: true };
}
