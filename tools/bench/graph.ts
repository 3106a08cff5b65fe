// Benchmark: crate-train's graph construction (createNodes + createDependencies,
// called in process as Nx calls them, on plugin state the benchmark makes: a
// fresh WorkspaceGraphs is a new process) against `cargo metadata --no-deps
// --offline` on the same synthetic workspace; then the same on a real tree
// (Wasmtime 48's 102 manifests, sources stubbed so cargo can read it), where the
// first call of a fresh process (JIT cold, no cache) is what `nx` pays on a cold
// start, each in its own process; and the same with the plugin's disk cache, what
// every later `nx` command pays.
// Run: node tools/build/run-ts.mjs tools/bench/graph.ts [--crates 1000] [--runs 7]
//        [--real DIR (default ../shared/wasmtime-cases/major-bump-48.0.0-pr13818/before)]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import type { CreateDependenciesContext, ProjectConfiguration } from '@nx/devkit';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';
import { createDependenciesWith } from '../../packages/crate-train/src/plugin/dependencies';
import { createNodesWith } from '../../packages/crate-train/src/plugin/nodes';
import { WorkspaceGraphs } from '../../packages/crate-train/src/plugin/workspace-graphs';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CRATES = arg('crates', 1000);
const RUNS = arg('runs', 9);
const argStr = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const REAL = argStr('real', resolve(__dirname, '../../../shared/wasmtime-cases/major-bump-48.0.0-pr13818/before'));

/** The Cargo.toml files Nx would hand to createNodesV2 (its glob skips ignored folders). */
function manifestFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name !== 'target' && e.name !== '.nx' && e.name !== '.git') out.push(...manifestFiles(root, p));
    } else if (e.name === 'Cargo.toml') out.push(p);
  }
  return out;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
/** The time of `cargo metadata --no-deps --offline` in `root`, as a whole process. */
function cargoMetadataMs(root: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline'], {
    cwd: root,
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return ms(t0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** createNodes then createDependencies, as Nx calls them, on the plugin state `graphs` (a fresh one is a new process). */
function graphOnce(graphs: WorkspaceGraphs, files: string[]): { projects: number; edges: number } {
  const root = graphs.workspaceRoot;
  const nodes = createNodesWith(graphs, files, {});
  const projects: Record<string, ProjectConfiguration> = {};
  for (const [, r] of nodes) for (const [projRoot, p] of Object.entries(r.projects ?? {})) projects[p.name!] = { ...p, root: projRoot } as ProjectConfiguration;
  const empty = { projectFileMap: {}, nonProjectFiles: [] };
  const context = {
    workspaceRoot: root,
    projects,
    nxJsonConfiguration: {},
    externalNodes: {},
    fileMap: empty,
    filesToProcess: empty,
  } as unknown as CreateDependenciesContext;
  const deps = createDependenciesWith(graphs, {}, context);
  return { projects: Object.keys(projects).length, edges: deps.length };
}

/**
 * A copy of a tree of manifests with an empty file wherever cargo looks for a target
 * (lib, bins, build script), so `cargo metadata` can read it: the shared cases hold
 * manifests only.
 */
function stubbedCopy(src: string, dest: string): void {
  cpSync(src, dest, { recursive: true });
  for (const m of manifestFiles(dest)) {
    const t = parse(readFileSync(join(dest, m), 'utf8')) as Record<string, any>;
    if (!t.package) continue;
    const dir = dirname(join(dest, m));
    const touch = (p: string) => {
      const f = join(dir, p);
      if (existsSync(f)) return;
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, '');
    };
    if (t.lib) touch(t.lib.path ?? 'src/lib.rs');
    for (const k of ['bin', 'example', 'test', 'bench']) for (const x of t[k] ?? []) if (x.path) touch(x.path);
    if (!t.lib && !existsSync(join(dir, 'src/main.rs')) && !(t.bin ?? []).length) touch('src/lib.rs');
    if (typeof t.package.build === 'string') touch(t.package.build);
    else if (t.package.links && t.package.build !== false) touch('build.rs');
  }
}

/**
 * `--first-call ROOT [--disk FILE]`: one createNodes + createDependencies in this fresh
 * process (JIT cold); with `--disk`, the plugin's disk cache (written there if absent);
 * prints ms.
 */
function firstCall(root: string): void {
  const files = manifestFiles(root);
  const disk = argStr('disk', '') || undefined;
  const t0 = process.hrtime.bigint();
  const shape = graphOnce(new WorkspaceGraphs(root, disk), files);
  process.stdout.write(JSON.stringify({ ms: ms(t0), ...shape, files: files.length }) + '\n');
}

/** The real tree: cargo metadata (a process) against crate-train's first call in a fresh process, interleaved. */
function realTree(dir: string): void {
  if (!existsSync(join(REAL, 'Cargo.toml'))) {
    console.log(`real tree: ${REAL} not found (pass --real DIR); skipped`);
    return;
  }
  const root = join(dir, 'real');
  stubbedCopy(REAL, root);
  const cargo: number[] = [];
  const first: number[] = [];
  const firstWithDisk: number[] = [];
  let shape = { projects: 0, edges: 0, files: 0 };
  // The plugin's disk cache of this tree, as any nx command after the first finds it.
  const diskFile = join(dir, 'real-graph-cache.json');
  const freshProcess = (extra: string[]) =>
    JSON.parse(execFileSync(process.execPath, [process.argv[1], '--first-call', root, ...extra], { encoding: 'utf8' })) as {
      ms: number;
      projects: number;
      edges: number;
      files: number;
    };
  freshProcess(['--disk', diskFile]);
  for (let i = 0; i < RUNS; i++) {
    cargo.push(cargoMetadataMs(root));
    const out = freshProcess([]);
    first.push(out.ms);
    shape = out;
    firstWithDisk.push(freshProcess(['--disk', diskFile]).ms);
  }
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
  console.log('');
  console.log(`real tree ${REAL}: ${shape.files} Cargo.toml files, ${shape.projects} projects, ${shape.edges} edges`);
  console.log(`cargo metadata --no-deps --offline        : ${fmt(cargo)}`);
  console.log(
    `crate-train first call (fresh process)    : ${fmt(first)}   -> ${(median(first) / median(cargo)).toFixed(2)}x cargo metadata's time (goal <= 0.25x)`,
  );
  console.log(
    `  the same with the plugin's disk cache  : ${fmt(firstWithDisk)}   -> ${(median(firstWithDisk) / median(cargo)).toFixed(2)}x (every nx command after the first)`,
  );
}

async function main(): Promise<void> {
  const firstCallRoot = argStr('first-call', '');
  if (firstCallRoot) return firstCall(firstCallRoot);
  const dir = mkdtempSync(join(tmpdir(), 'crate-train-bench-graph-'));
  try {
    const root = join(dir, 'ws');
    const info = generateSyntheticWorkspace(root, { crates: CRATES, seed: 7 });
    const files = manifestFiles(root);
    // Where the plugin keeps the crate model between processes (its own workspace: Nx's cacheDir).
    const diskFile = join(root, '.nx', 'cache', 'crate-train', 'graph.json');
    console.log(`synthetic workspace: ${info.names.length} crates, ${info.edges.length} dependency declarations, ${files.length} Cargo.toml files`);

    // Interleaved rounds, so that cargo and crate-train see the same machine load
    // (the machine is shared): each round times cargo metadata, then crate-train
    // cold (no memory, no disk cache), warm from the disk cache (a new nx process),
    // and cached in memory (the plugin worker / daemon on an unchanged workspace).
    const cargo: number[] = [];
    const cold: number[] = [];
    const disk: number[] = [];
    const cached: number[] = [];
    const coldRatios: number[] = [];
    let shape = { projects: 0, edges: 0 };
    let firstCold = 0;
    for (let i = 0; i < RUNS; i++) {
      cargo.push(cargoMetadataMs(root));

      rmSync(join(root, '.nx'), { recursive: true, force: true });
      let t0 = process.hrtime.bigint();
      shape = graphOnce(new WorkspaceGraphs(root, diskFile), files);
      cold.push(ms(t0));
      if (i === 0) firstCold = cold[0];
      coldRatios.push(cargo[i] / cold[i]);

      // A new process: fresh state, the model on disk.
      const warm = new WorkspaceGraphs(root, diskFile);
      t0 = process.hrtime.bigint();
      graphOnce(warm, files);
      disk.push(ms(t0));

      for (let j = 0; j < 3; j++) {
        t0 = process.hrtime.bigint();
        graphOnce(warm, files);
        cached.push(ms(t0));
      }
    }

    const c = median(cargo);
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
    console.log(`graph: ${shape.projects} projects, ${shape.edges} edges`);
    console.log(`cargo metadata --no-deps --offline : ${fmt(cargo)}`);
    console.log(
      `crate-train cold (no cache)        : ${fmt(cold)}   -> ${(c / median(cold)).toFixed(1)}x faster than cargo metadata (goal >= 5x); per-round ratio median ${median(coldRatios).toFixed(1)}x`,
    );
    console.log(`  (first cold call of this process, JIT not warmed up: ${firstCold.toFixed(1)} ms)`);
    console.log(`crate-train warm (disk cache)      : ${fmt(disk)}   -> ${(c / median(disk)).toFixed(1)}x`);
    console.log(`crate-train cached (memory)        : ${fmt(cached)}   -> ${(c / median(cached)).toFixed(1)}x (goal < 20 ms)`);
    realTree(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
