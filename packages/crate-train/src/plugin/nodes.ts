// createNodesV2: one Nx project per crate of each Cargo workspace, plus the
// `release` project, from the `**/Cargo.toml` files Nx found.
import { logger, type CreateNodesResultV2, type CreateNodesV2 } from '@nx/devkit';
import { workspaceDataDirectoryForWorkspace } from 'nx/src/utils/cache-directory';
import { cacheFor, snapshot } from './cache';
import { analyzeCrates, buildCrateGraph, type CrateGraph } from './graph';
import { normalizeOptions, type CrateTrainOptions } from './options';

export const CARGO_MANIFEST_GLOB = '**/Cargo.toml';

// The graph of the latest createNodes call, for createDependencies in the same process.
const latest = new Map<string, CrateGraph>();
// Workspaces whose last createNodes call failed: Nx already shows that error.
const failed = new Set<string>();
const latestKey = (workspaceRoot: string, options: CrateTrainOptions) => `${workspaceRoot}\0${JSON.stringify(options)}`;

/** The crate graph for these manifests: from the content-hash cache, or computed and cached. */
export function inferCrateGraph(workspaceRoot: string, manifestFiles: readonly string[], rawOptions: Partial<CrateTrainOptions> | undefined): CrateGraph {
  const options = normalizeOptions(rawOptions, workspaceRoot);
  const id = latestKey(workspaceRoot, options);
  try {
    const graph = inferUncaught(workspaceRoot, manifestFiles, options);
    failed.delete(id);
    latest.set(id, graph);
    return graph;
  } catch (e) {
    latest.delete(id);
    failed.add(id);
    throw e;
  }
}

function inferUncaught(workspaceRoot: string, manifestFiles: readonly string[], options: CrateTrainOptions): CrateGraph {
  const snap = snapshot(workspaceRoot, manifestFiles, options);
  const cache = cacheFor(workspaceRoot, dataDirectory(workspaceRoot));
  let entry = cache.get(snap.key);
  if (!entry) {
    const manifests = new Map<string, string>();
    for (const [file, bytes] of snap.manifests) manifests.set(file, bytes.toString('utf8'));
    const model = analyzeCrates({
      workspaceRoot,
      manifests,
      crateListSource: snap.crateListSource,
      crateListProblem: snap.crateListProblem,
      exists: (rel) => snap.probes.get(rel),
      options,
    });
    entry = cache.setModel(snap.key, model);
  }
  if (!entry.graph) {
    entry.graph = buildCrateGraph(entry.model, options);
    for (const w of entry.graph.warnings) logger.warn(w);
  }
  return entry.graph;
}

/**
 * The graph computed by the last createNodes call for this workspace and options:
 * the graph, 'failed' when that call threw (Nx reports it), or undefined.
 */
export function latestCrateGraph(workspaceRoot: string, rawOptions: Partial<CrateTrainOptions> | undefined): CrateGraph | 'failed' | undefined {
  let id: string;
  try {
    id = latestKey(workspaceRoot, normalizeOptions(rawOptions, workspaceRoot));
  } catch {
    return 'failed'; // bad plugin options: createNodes already reported them
  }
  return failed.has(id) ? 'failed' : latest.get(id);
}

/** Forgets the latest graphs (benchmarks measure cold runs with it). */
export function clearLatestGraphs(): void {
  latest.clear();
  failed.clear();
}

function dataDirectory(workspaceRoot: string): string | undefined {
  try {
    return workspaceDataDirectoryForWorkspace(workspaceRoot);
  } catch {
    return undefined;
  }
}

export const createNodesV2: CreateNodesV2<Partial<CrateTrainOptions>> = [
  CARGO_MANIFEST_GLOB,
  (manifestFiles, options, context): CreateNodesResultV2 => {
    const graph = inferCrateGraph(context.workspaceRoot, manifestFiles, options);
    return graph.nodes.map(([file, projects]) => [file, { projects }] as const);
  },
];

/** Nx 22 calls both names; they are the same v2 API. */
export const createNodes = createNodesV2;
