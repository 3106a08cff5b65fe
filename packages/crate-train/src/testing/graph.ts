// Helpers shared by the graph specs: run createNodesV2 + createDependencies the
// way Nx does (in process), and reduce cargo metadata to the same shape.
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { CreateDependenciesContext, ProjectConfiguration, RawProjectGraphDependency } from '@nx/devkit';
import type { CargoMetadata } from '@crate-train/testing';
import { createDependencies, createDependenciesWith } from '../plugin/dependencies';
import { createNodesV2, createNodesWith } from '../plugin/nodes';
import type { CrateTrainOptions } from '../plugin/options';
import type { WorkspaceGraphs } from '../plugin/workspace-graphs';

/** The Cargo.toml files Nx's `**\/Cargo.toml` glob would find (build output and Nx folders skipped). */
export function findManifests(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!['target', '.nx', '.git', 'node_modules'].includes(e.name)) out.push(...findManifests(root, p));
    } else if (e.name === 'Cargo.toml') out.push(p);
  }
  return out;
}

export interface InferredGraph {
  /** By project name. */
  projects: Map<string, ProjectConfiguration>;
  /** Which manifest defined each project. */
  definedBy: Map<string, string>;
  dependencies: RawProjectGraphDependency[];
}

/**
 * Runs createNodesV2 and createDependencies on `root` as Nx does; with `graphs`,
 * on that workspace state instead of the plugin's own (a fresh one is a new process).
 */
export async function inferInProcess(root: string, options: Partial<CrateTrainOptions> = {}, graphs?: WorkspaceGraphs): Promise<InferredGraph> {
  const manifests = findManifests(root);
  const results = graphs
    ? createNodesWith(graphs, manifests, options)
    : await createNodesV2[1](manifests, options, { workspaceRoot: root, nxJsonConfiguration: {} });
  const projects = new Map<string, ProjectConfiguration>();
  const definedBy = new Map<string, string>();
  for (const [file, result] of results) {
    for (const [projectRoot, p] of Object.entries(result.projects ?? {})) {
      if (projects.has(p.name!)) throw new Error(`project ${p.name} defined twice`);
      projects.set(p.name!, { ...p, root: projectRoot } as ProjectConfiguration);
      definedBy.set(p.name!, file);
    }
  }
  const empty = { projectFileMap: {}, nonProjectFiles: [] };
  const context = {
    workspaceRoot: root,
    projects: Object.fromEntries(projects),
    nxJsonConfiguration: {},
    externalNodes: {},
    fileMap: empty,
    filesToProcess: empty,
  } as unknown as CreateDependenciesContext;
  const dependencies = graphs ? createDependenciesWith(graphs, options, context) : await createDependencies(options, context);
  return { projects, definedBy, dependencies };
}

/** Crates (name -> folder) and path-dependency edges `source -kind-> target` between members, as cargo reports them. */
export function cargoView(meta: CargoMetadata): { crates: Record<string, string>; edges: string[] } {
  const rel = (p: string) => relative(meta.workspace_root, p).split('\\').join('/') || '.';
  const members = new Set(meta.workspace_members);
  const pkgs = meta.packages.filter((p) => members.has(p.id));
  const byDir = new Map(pkgs.map((p) => [rel(dirname(p.manifest_path)), p.name]));
  const crates: Record<string, string> = {};
  const edges = new Set<string>();
  for (const p of pkgs) {
    crates[p.name] = rel(dirname(p.manifest_path));
    for (const d of p.dependencies) {
      if (d.path === undefined || !byDir.has(rel(d.path))) continue;
      edges.add(`${p.name} -${d.kind ?? 'normal'}-> ${byDir.get(rel(d.path))}`);
    }
  }
  return { crates, edges: [...edges].sort() };
}

/** The same view of what the plugin inferred: crate projects and kinds from `metadata.crate.dependencies`. */
export function pluginView(g: InferredGraph): { crates: Record<string, string>; edges: string[] } {
  const crates: Record<string, string> = {};
  const edges: string[] = [];
  for (const [name, p] of g.projects) {
    const crate = p.metadata?.['crate'] as { dependencies: Record<string, string[]> } | undefined;
    if (!crate) continue;
    crates[name] = p.root;
    for (const [kind, targets] of Object.entries(crate.dependencies)) for (const t of targets) edges.push(`${name} -${kind}-> ${t}`);
  }
  return { crates, edges: edges.sort() };
}

/** Nx edges `source->target`, sorted. */
export function nxEdges(g: InferredGraph): string[] {
  return g.dependencies.map((d) => `${d.source}->${d.target}`).sort();
}
