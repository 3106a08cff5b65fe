// createNodesV2: one Nx project per crate of each Cargo workspace, plus the
// `release` project, from the `**/Cargo.toml` files Nx found.
import type { CreateNodesResultV2, CreateNodesV2 } from '@nx/devkit';
import type { CrateTrainOptions } from './options';
import { workspaceGraphs, type WorkspaceGraphs } from './workspace-graphs';

export const CARGO_MANIFEST_GLOB = '**/Cargo.toml';

/** createNodes with the given workspace state (the plugin's own, or a fresh one a benchmark makes). */
export function createNodesWith(
  graphs: WorkspaceGraphs,
  manifestFiles: readonly string[],
  options: Partial<CrateTrainOptions> | undefined,
): CreateNodesResultV2 {
  const graph = graphs.infer(manifestFiles, options);
  return graph.nodes.map(([file, projects]) => [file, { projects }] as const);
}

export const createNodesV2: CreateNodesV2<Partial<CrateTrainOptions>> = [
  CARGO_MANIFEST_GLOB,
  (manifestFiles, options, context) => createNodesWith(workspaceGraphs(context.workspaceRoot), manifestFiles, options),
];

/** Nx 22 calls both names; they are the same v2 API. */
export const createNodes = createNodesV2;
