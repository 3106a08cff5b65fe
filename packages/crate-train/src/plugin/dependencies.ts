// createDependencies: a static edge per crate dependency (normal, build and
// dev alike), with the declaring manifest as the source file. Dev-dependency
// cycles are fine: Nx's project graph allows cycles; only task graphs do not,
// and the cargo targets declare no dependsOn.
import type { CreateDependencies, CreateDependenciesContext, RawProjectGraphDependency } from '@nx/devkit';
// The enum from nx itself: the @nx/devkit barrel costs every nx command ~100 modules (workspace-graphs.ts).
import { DependencyType } from 'nx/src/config/project-graph';
import type { CrateTrainOptions } from './options';
import { workspaceGraphs, type WorkspaceGraphs } from './workspace-graphs';

export const createDependencies: CreateDependencies<Partial<CrateTrainOptions>> = (options, context) =>
  createDependenciesWith(workspaceGraphs(context.workspaceRoot), options, context);

/** createDependencies with the given workspace state (the plugin's own, or a fresh one a benchmark makes). */
export function createDependenciesWith(
  graphs: WorkspaceGraphs,
  options: Partial<CrateTrainOptions> | undefined,
  context: CreateDependenciesContext,
): RawProjectGraphDependency[] {
  const latest = graphs.latestGraph(options);
  // createNodes failed in this process: Nx shows that error already, once is enough.
  if (latest === 'failed') return [];
  const graph = latest ?? graphs.infer(manifestsInFileMap(context), options);
  const names = new Set<string>();
  for (const [key, p] of Object.entries(context.projects)) {
    names.add(key);
    if (p.name) names.add(p.name);
  }
  const deps: RawProjectGraphDependency[] = [];
  for (const e of graph.edges) {
    if (!names.has(e.source) || !names.has(e.target)) continue;
    deps.push({ source: e.source, target: e.target, sourceFile: e.sourceFile, type: DependencyType.static });
  }
  return deps;
}

/** Every Cargo.toml Nx knows of (used only when createNodes did not run in this process). */
function manifestsInFileMap(context: CreateDependenciesContext): string[] {
  const out: string[] = [];
  const take = (file: string) => {
    if (file === 'Cargo.toml' || file.endsWith('/Cargo.toml')) out.push(file);
  };
  for (const files of Object.values(context.fileMap.projectFileMap)) for (const f of files) take(f.file);
  for (const f of context.fileMap.nonProjectFiles) take(f.file);
  return out;
}
