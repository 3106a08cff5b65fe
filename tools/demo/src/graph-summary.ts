// Reads the file `nx graph --file=...` writes and sums it up for a person:
// which projects are crates, how many edges of each Cargo kind, the
// dev-dependency cycles, and which crates a change to one crate affects.

export type EdgeKind = 'normal' | 'build' | 'dev';

interface GraphNode {
  name: string;
  data: {
    root: string;
    tags?: string[];
    metadata?: { crate?: { version?: string; dependencies?: Partial<Record<EdgeKind, string[]>> } };
  };
}

export interface NxGraphFile {
  graph: {
    nodes: Record<string, GraphNode>;
    dependencies: Record<string, Array<{ source: string; target: string; type: string }>>;
  };
}

export interface CrateInfo {
  name: string;
  root: string;
  version: string;
  tags: string[];
  deps: Record<EdgeKind, string[]>;
}

export interface GraphSummary {
  crates: CrateInfo[];
  /** Projects that are not crates (the `release` project). */
  others: string[];
  /** Nx's own edge count (source -> target, deduplicated). */
  nxEdges: number;
  edgesByKind: Record<EdgeKind, number>;
  /** Pairs that depend on each other, at least one way through dev-dependencies. */
  devCycles: Array<[string, string]>;
}

export function summarizeGraph(file: NxGraphFile): GraphSummary {
  const crates: CrateInfo[] = [];
  const others: string[] = [];
  for (const node of Object.values(file.graph.nodes)) {
    const meta = node.data.metadata?.crate;
    if (!meta) {
      others.push(node.name);
      continue;
    }
    const d = meta.dependencies ?? {};
    crates.push({
      name: node.name,
      root: node.data.root,
      version: meta.version ?? '?',
      tags: node.data.tags ?? [],
      deps: { normal: d.normal ?? [], build: d.build ?? [], dev: d.dev ?? [] },
    });
  }
  crates.sort((a, b) => a.name.localeCompare(b.name));
  others.sort();
  const edgesByKind: Record<EdgeKind, number> = { normal: 0, build: 0, dev: 0 };
  for (const c of crates) for (const k of Object.keys(edgesByKind) as EdgeKind[]) edgesByKind[k] += c.deps[k].length;
  const nxEdges = Object.values(file.graph.dependencies).reduce((n, list) => n + list.length, 0);

  const all = new Map(crates.map((c) => [c.name, new Set([...c.deps.normal, ...c.deps.build, ...c.deps.dev])]));
  const devCycles: Array<[string, string]> = [];
  for (const c of crates) {
    for (const dep of c.deps.dev) {
      if (all.get(dep)?.has(c.name) && !devCycles.some(([a, b]) => a === dep && b === c.name)) devCycles.push([c.name, dep]);
    }
  }
  return { crates, others, nxEdges, edgesByKind, devCycles };
}

/** `crate` and every crate that depends on it, directly or not, through any kind of edge (sorted). */
export function reverseClosure(summary: GraphSummary, crate: string): string[] {
  const dependents = new Map<string, string[]>();
  for (const c of summary.crates) {
    for (const dep of new Set([...c.deps.normal, ...c.deps.build, ...c.deps.dev])) {
      dependents.set(dep, [...(dependents.get(dep) ?? []), c.name]);
    }
  }
  const seen = new Set([crate]);
  const queue = [crate];
  while (queue.length)
    for (const d of dependents.get(queue.shift()!) ?? [])
      if (!seen.has(d)) {
        seen.add(d);
        queue.push(d);
      }
  return [...seen].sort();
}
