// What the plugin remembers about one Nx workspace for the life of a process
// (plugin worker, daemon), in one object: manifest bytes by stat, crate models
// and graphs (memory, and one file on disk), and the graph of the latest
// createNodes call per options, which createDependencies reuses.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
// From nx itself, not the @nx/devkit barrel: the barrel loads ~100 more modules into
// every nx command's process (about 50 ms of `nx run` on a small machine).
import { cacheDir } from 'nx/src/utils/cache-directory';
import { logger } from 'nx/src/utils/logger';
import { workspaceRoot as nxWorkspaceRoot } from 'nx/src/utils/workspace-root';
import { GraphCache, ManifestFiles, snapshot } from './cache';
import { analyzeCrates, buildCrateGraph, type CrateGraph } from './graph';
import { normalizeOptions, type CrateTrainOptions } from './options';

export class WorkspaceGraphs {
  private readonly files = new ManifestFiles();
  private readonly cache: GraphCache;
  // The graph of the latest infer() per options, for createDependencies in the same process.
  private readonly latest = new Map<string, CrateGraph>();
  // Options whose last infer() failed: Nx already shows that error.
  private readonly failed = new Set<string>();

  /** `diskFile`: where the latest crate model persists across processes; none: memory only. */
  constructor(
    readonly workspaceRoot: string,
    diskFile: string | undefined,
  ) {
    this.cache = new GraphCache(diskFile);
  }

  /** The crate graph for these manifests: from the content-hash cache, or computed and cached. */
  infer(manifestFiles: readonly string[], rawOptions: Partial<CrateTrainOptions> | undefined): CrateGraph {
    const options = normalizeOptions(rawOptions, this.workspaceRoot);
    const id = JSON.stringify(options);
    try {
      const graph = this.inferUncaught(manifestFiles, options);
      this.failed.delete(id);
      this.latest.set(id, graph);
      return graph;
    } catch (e) {
      this.latest.delete(id);
      this.failed.add(id);
      throw e;
    }
  }

  /**
   * The graph computed by the last infer() with these options: the graph,
   * 'failed' when that call threw (Nx reports it), or undefined.
   */
  latestGraph(rawOptions: Partial<CrateTrainOptions> | undefined): CrateGraph | 'failed' | undefined {
    let id: string;
    try {
      id = JSON.stringify(normalizeOptions(rawOptions, this.workspaceRoot));
    } catch {
      return 'failed'; // bad plugin options: createNodes already reported them
    }
    return this.failed.has(id) ? 'failed' : this.latest.get(id);
  }

  private inferUncaught(manifestFiles: readonly string[], options: CrateTrainOptions): CrateGraph {
    const snap = snapshot(this.workspaceRoot, manifestFiles, options, this.files);
    let entry = this.cache.get(snap.key);
    if (!entry) {
      const manifests = new Map<string, string>();
      for (const [file, bytes] of snap.manifests) manifests.set(file, bytes.toString('utf8'));
      const model = analyzeCrates({
        workspaceRoot: this.workspaceRoot,
        manifests,
        crateListSource: snap.crateListSource,
        crateListProblem: snap.crateListProblem,
        exists: (rel) => snap.probes.get(rel),
        options,
      });
      entry = this.cache.setModel(snap.key, model);
    }
    if (!entry.graph) {
      entry.graph = buildCrateGraph(entry.model, options);
      for (const w of entry.graph.warnings) logger.warn(w);
    }
    return entry.graph;
  }
}

/**
 * Where the crate model of a workspace persists: in Nx's cache directory
 * (cleared by `nx reset`), one file per workspace root, since git worktrees
 * share it. Only for the workspace this process runs in (what Nx's `cacheDir`
 * belongs to); any other root (tests, benchmarks) gets memory only unless it
 * names its own file.
 */
export function graphCacheFile(workspaceRoot: string): string | undefined {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const root = real(workspaceRoot);
  if (root !== real(nxWorkspaceRoot)) return undefined;
  const id = createHash('sha1').update(root).digest('hex').slice(0, 12);
  return join(cacheDir, 'crate-train', `graph-${id}.json`);
}

const byRoot = new Map<string, WorkspaceGraphs>();

/** The WorkspaceGraphs of a workspace root in this process (what createNodes and createDependencies share). */
export function workspaceGraphs(workspaceRoot: string): WorkspaceGraphs {
  let graphs = byRoot.get(workspaceRoot);
  if (!graphs) {
    graphs = new WorkspaceGraphs(workspaceRoot, graphCacheFile(workspaceRoot));
    byRoot.set(workspaceRoot, graphs);
  }
  return graphs;
}
