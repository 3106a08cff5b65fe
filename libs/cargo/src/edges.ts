import type { CargoWorkspace, CrateEdge } from './model';

/**
 * Edges between workspace crates: one per (source, target, kind), only for path
 * dependencies (direct or through `[workspace.dependencies]`). A dependency by
 * version alone is resolved by cargo from the registry, so it is no edge.
 */
export function workspaceEdges(ws: CargoWorkspace): CrateEdge[] {
  const byRoot = new Map(ws.crates.map((c) => [c.root, c.name]));
  const seen = new Set<string>();
  const edges: CrateEdge[] = [];
  for (const c of ws.crates) {
    for (const d of c.dependencies) {
      if (d.path === undefined) continue;
      const target = byRoot.get(d.path);
      if (target === undefined || target === c.name) continue;
      const key = `${c.name}\0${target}\0${d.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ source: c.name, target, kind: d.kind });
    }
  }
  return edges;
}
