// The crate graph as Nx wants it, in two steps:
//  1. analyzeCrates: manifests + crate list -> a compact, serializable model
//     (the expensive part: TOML parsing; this is what the disk cache keeps);
//  2. buildCrateGraph: model + options -> projects per manifest and edges (cheap, pure).
// Cargo workspace roots are the top-most manifests with a `[workspace]` table
// (plus a lone root package); other Cargo.toml files are projects only if they
// are members of such a root (an excluded fuzz workspace is not).
import { join, posix } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { CargoManifestError, readWorkspace, workspaceEdges, type CargoWorkspace, type CrateEdge, type DepKind } from '@crate-train/cargo';
import { crateScope, missingCrateList, parseCrateList, workspaceCrateList, type CrateList } from '@crate-train/crate-list';
import { CRATE_SOURCES, crateSourceInputs, generateCrateTargets } from './generate-targets';
import type { CrateTrainOptions } from './options';
import { generateReleaseTargets } from './release-targets';

/** What the graph needs of a crate (paths relative to its Cargo workspace root). */
export interface ModelCrate {
  name: string;
  root: string;
  manifestPath: string;
  version: string;
  versionFromWorkspace: boolean;
  publish: boolean;
  description?: string;
  bins: string[];
  hasLib: boolean;
}

export interface CrateModel {
  /** One entry per Cargo workspace; `cargoRoot` is relative to the Nx workspace root. */
  workspaces: Array<{ cargoRoot: string; crates: ModelCrate[]; edges: CrateEdge[] }>;
  /** The parsed crate list, when the file exists. */
  list?: CrateList;
  /** Why there is no list (missing, a directory, unreadable), naming the file and the crateList option. */
  listProblem?: string;
}

export interface CrateGraphEdge {
  source: string;
  target: string;
  /** The manifest declaring the dependency (Nx-root-relative). */
  sourceFile: string;
  kinds: DepKind[];
}

/** Everything createNodesV2 and createDependencies return. */
export interface CrateGraph {
  /** Per manifest (Nx-root-relative): the projects it defines (the root manifest also carries `release`). */
  nodes: Array<[file: string, projects: Record<string, ProjectConfiguration>]>;
  edges: CrateGraphEdge[];
  warnings: string[];
}

export interface GraphInput {
  /** Nx workspace root (absolute). */
  workspaceRoot: string;
  /** Every `**\/Cargo.toml` Nx found, relative to workspaceRoot, with its text. */
  manifests: Map<string, string>;
  /** Crate list source, or undefined when the file does not exist (or cannot be read). */
  crateListSource: string | undefined;
  /** Why the source is undefined, for the `release` project to report. */
  crateListProblem?: string;
  /** Nx-root-relative file existence already known to the caller (src/main.rs probes). */
  exists?: (relPath: string) => boolean | undefined;
  options: CrateTrainOptions;
}

const WORKSPACE_TABLE = /^[ \t]*\[[ \t]*workspace[ \t]*[.\]]/m;
const dirOf = (file: string) => posix.dirname(file);
/** The release project's folder: the crate list's, or `scripts` (Wasmtime's) when there is no list. */
const releaseRootOf = (options: CrateTrainOptions) => (options.crateList ? dirOf(options.crateList) : 'scripts');
const joinRel = (a: string, b: string) => (a === '.' ? b : b === '.' ? a : `${a}/${b}`);
const isUnder = (p: string, base: string) => base === '.' || p === base || p.startsWith(base + '/');

/** Cargo workspace roots (Nx-root-relative folders) among the manifests: top-most `[workspace]` manifests. */
export function findCargoRoots(manifests: Map<string, string>): string[] {
  const candidates: string[] = [];
  for (const [file, text] of manifests) if (WORKSPACE_TABLE.test(text)) candidates.push(dirOf(file));
  // A root Cargo.toml without [workspace] is a one-crate workspace of its own.
  if (manifests.has('Cargo.toml') && !candidates.includes('.')) candidates.push('.');
  candidates.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1));
  const roots: string[] = [];
  for (const c of candidates) if (!roots.some((r) => isUnder(c, r))) roots.push(c);
  return roots;
}

function depth(p: string): number {
  return p === '.' ? 0 : p.split('/').length;
}

/** Step 1: read every Cargo workspace and the crate list into the compact model. */
export function analyzeCrates(input: GraphInput): CrateModel {
  const { workspaceRoot, manifests, options } = input;
  const model: CrateModel = { workspaces: [] };
  // No crate list (crateList false): each Cargo workspace's publishable members, in buildCrateGraph.
  if (options.crateList !== false) {
    if (input.crateListSource !== undefined) model.list = parseCrateList(input.crateListSource, options.crateList);
    else model.listProblem = input.crateListProblem ?? missingCrateList(options.crateList).message;
  }
  const roots = findCargoRoots(manifests);
  if (roots.length === 0 && manifests.size > 0) {
    const some = [...manifests.keys()].sort().slice(0, 3).join(', ');
    throw new CargoManifestError(
      some.split(', ')[0],
      `no Cargo workspace found: none of the ${manifests.size} Cargo.toml files (${some}${manifests.size > 3 ? ', ...' : ''}) has a [workspace] table, and there is no Cargo.toml at the Nx workspace root — add [workspace] to your root manifest, or remove crate-train from nx.json plugins`,
    );
  }
  for (const cargoRoot of roots) {
    // Manifests of this workspace, relative to the Cargo root, for readWorkspace to reuse.
    const local = new Map<string, string>();
    for (const [file, text] of manifests) if (isUnder(file, cargoRoot)) local.set(cargoRoot === '.' ? file : file.slice(cargoRoot.length + 1), text);
    const exists = input.exists && ((rel: string) => input.exists!(joinRel(cargoRoot, rel)));
    let ws: CargoWorkspace;
    try {
      ws = readWorkspace(join(workspaceRoot, cargoRoot), { manifests: local, exists });
    } catch (e) {
      // Name files relative to the Nx workspace, where the user runs nx.
      if (e instanceof CargoManifestError && cargoRoot !== '.') throw new CargoManifestError(joinRel(cargoRoot, e.file), e.detail, e.line, e.column);
      throw e;
    }
    const crates = ws.crates.map((c): ModelCrate => {
      const m: ModelCrate = {
        name: c.name,
        root: c.root,
        manifestPath: c.manifestPath,
        version: c.version,
        versionFromWorkspace: c.versionFromWorkspace,
        publish: c.publish,
        bins: c.bins ?? [],
        hasLib: c.hasLib ?? true,
      };
      if (c.description !== undefined) m.description = c.description;
      return m;
    });
    model.workspaces.push({ cargoRoot, crates, edges: workspaceEdges(ws) });
  }
  return model;
}

/** Step 2: projects and edges for Nx. */
export function buildCrateGraph(model: CrateModel, options: CrateTrainOptions): CrateGraph {
  const warnings: string[] = [];
  const nodes: CrateGraph['nodes'] = [];
  const edges: CrateGraphEdge[] = [];

  model.workspaces.forEach(({ cargoRoot, crates, edges: crateEdges }, index) => {
    const depsByKind = new Map<string, Record<DepKind, string[]>>();
    for (const e of crateEdges) {
      let d = depsByKind.get(e.source);
      if (!d) depsByKind.set(e.source, (d = { normal: [], build: [], dev: [] }));
      d[e.kind].push(e.target);
    }
    const list =
      options.crateList === false
        ? workspaceCrateList(
            crates.map((c) => {
              const d = depsByKind.get(c.name);
              return { ...c, dependencies: d ? (['normal', 'build', 'dev'] as const).flatMap((kind) => d[kind].map((name) => ({ name, kind }))) : [] };
            }),
            options.publicCrates,
          )
        : model.list;
    const publicCrates = new Set(list?.publicCrates);
    // Published = listed and under the folders the list walks (publish.rs's find_crates), as release steps decide.
    const published = list
      ? crateScope(crates, list, { crateRoots: options.crateRoots, listFile: options.crateList || 'the workspace' }).published
      : new Set<string>();
    const nested = nestedCrateFolders(crates.map((c) => joinRel(cargoRoot, c.root)));

    const projectsByManifest = new Map<string, Record<string, ProjectConfiguration>>();
    for (const crate of crates) {
      const projectRoot = joinRel(cargoRoot, crate.root);
      const isPublic = publicCrates.has(crate.name);
      const ctx = {
        name: crate.name,
        projectRoot,
        cargoRoot,
        nestedCrates: nested.get(projectRoot) ?? [],
        isWorkspaceRoot: crate.root === '.',
        isPublic,
        bins: crate.bins,
        hasLib: crate.hasLib,
      };
      const tags = list
        ? [published.has(crate.name) ? 'crate:published' : 'crate:unpublished', isPublic ? 'crate:public' : 'crate:internal']
        : [crate.publish ? 'crate:published' : 'crate:unpublished'];
      const project: ProjectConfiguration = {
        name: crate.name,
        root: projectRoot,
        projectType: crate.bins.length > 0 && !crate.hasLib ? 'application' : 'library',
        tags,
        namedInputs: { [CRATE_SOURCES]: crateSourceInputs(ctx) },
        targets: generateCrateTargets(ctx, options),
        metadata: {
          description: crate.description ?? `Rust crate ${crate.name} ${crate.version}`,
          technologies: ['cargo'],
          crate: {
            version: crate.version,
            versionFromWorkspace: crate.versionFromWorkspace,
            manifest: joinRel(cargoRoot, crate.manifestPath),
            publish: crate.publish,
            bins: crate.bins,
            dependencies: depsByKind.get(crate.name) ?? { normal: [], build: [], dev: [] },
            cargoWorkspace: cargoRoot,
          },
        },
      };
      projectsByManifest.set(joinRel(cargoRoot, crate.manifestPath), { [projectRoot]: project });
    }

    // The release project lives in the crate list's folder and is defined by the first workspace's root manifest.
    // Without a usable list it is inferred all the same: `nx run release:X` then reaches the executor,
    // which names the file and the crateList option (a project that vanished would only say
    // "Cannot find project 'release'"), and `nx show project release` says what is wrong.
    if (index === 0) {
      const releaseRoot = releaseRootOf(options);
      const clash = crates.find((c) => joinRel(cargoRoot, c.root) === releaseRoot);
      if (clash) {
        warnings.push(
          `crate-train: the crate list ${options.crateList} is in the folder of crate ${clash.name}, so no "${options.releaseProject}" project is inferred — move it into a folder of its own (e.g. scripts/publish.rs) and set \`crateList\` in the plugin options.`,
        );
      } else {
        const rootManifest = joinRel(cargoRoot, 'Cargo.toml');
        const entry = projectsByManifest.get(rootManifest) ?? {};
        entry[releaseRoot] = releaseProject(crates, cargoRoot, published, options, list ? undefined : model.listProblem);
        projectsByManifest.set(rootManifest, entry);
      }
    }
    for (const [file, projects] of projectsByManifest) nodes.push([file, projects]);

    // Nx edges carry no kind: one per (source, target); the kinds are kept in metadata.
    const merged = new Map<string, CrateGraphEdge>();
    const manifestByName = new Map(crates.map((c) => [c.name, joinRel(cargoRoot, c.manifestPath)]));
    for (const e of crateEdges) {
      const key = `${e.source}\0${e.target}`;
      const existing = merged.get(key);
      if (existing) existing.kinds.push(e.kind);
      else merged.set(key, { source: e.source, target: e.target, sourceFile: manifestByName.get(e.source)!, kinds: [e.kind] });
    }
    edges.push(...merged.values());
  });
  return { nodes, edges, warnings };
}

/** For each crate folder, the other crate folders inside it (relative to it). Walks ancestors: O(n · depth). */
export function nestedCrateFolders(roots: string[]): Map<string, string[]> {
  const set = new Set(roots);
  const out = new Map<string, string[]>();
  for (const r of roots) {
    if (r === '.') continue;
    let dir = r;
    for (;;) {
      const slash = dir.lastIndexOf('/');
      dir = slash < 0 ? '.' : dir.slice(0, slash);
      if (set.has(dir)) {
        let list = out.get(dir);
        if (!list) out.set(dir, (list = []));
        list.push(dir === '.' ? r : r.slice(dir.length + 1));
      }
      if (dir === '.') break;
    }
  }
  return out;
}

function releaseProject(
  crates: ModelCrate[],
  cargoRoot: string,
  published: Set<string>,
  options: CrateTrainOptions,
  listProblem?: string,
): ProjectConfiguration {
  const publishedCrates = crates
    .filter((c) => published.has(c.name))
    .map((c) => ({ projectRoot: joinRel(cargoRoot, c.root), isWorkspaceRoot: c.root === '.' }));
  return {
    name: options.releaseProject,
    root: releaseRootOf(options),
    projectType: 'application',
    tags: ['crate-train:release'],
    targets: generateReleaseTargets(options, { publishedCrates, cargoRoot }),
    metadata: {
      description: listProblem
        ? `The release train of ${options.projectName} — not usable until the crate list is fixed: ${listProblem}`
        : `The release train of ${options.projectName}: bump, verify, cut, release, patch and publish the ${published.size} crates of ${options.crateList || 'the workspace (no crate list: every member without publish = false)'}`,
      technologies: ['cargo'],
    },
  };
}
