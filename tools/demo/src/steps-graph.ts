// Steps 2 and 3: the crates as Nx projects (show projects, the graph, what a
// change affects) and `release:verify`.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_CRATES } from '@crate-train/testing';
import { reverseClosure, summarizeGraph, type NxGraphFile } from './graph-summary';
import type { Reporter } from './report';
import { DemoFailure } from './shell';
import type { DemoState } from './state';

/** The crate the demo changes: a leaf of the dependency tree (it depends on nothing). */
export const CHANGED_CRATE = 'wasmtime-fiber';

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function columns(names: string[], perRow = 4): string[] {
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const rows: string[] = [];
  for (let i = 0; i < names.length; i += perRow)
    rows.push(
      names
        .slice(i, i + perRow)
        .map((n) => n.padEnd(width))
        .join('')
        .trimEnd(),
    );
  return rows;
}

/** Project names from `nx show projects` output (one per line). */
function projectNames(lines: string[]): string[] {
  return lines
    .filter((l) => /^[A-Za-z0-9_-]+$/.test(l.trim()))
    .map((l) => l.trim())
    .sort();
}

export async function graphStep(state: DemoState, rep: Reporter): Promise<string> {
  const { sh, env } = state;

  const shown = await sh.nx(['show', 'projects'], { show: false });
  const projects = projectNames(shown.lines);
  rep.output(columns(projects));
  const expected = [...Object.keys(SAMPLE_CRATES), 'release'].sort();
  if (!sameList(projects, expected)) {
    throw new DemoFailure('nx show projects', `expected ${expected.join(', ')}\ngot      ${projects.join(', ')}`);
  }
  rep.outcome(`${projects.length} projects: every crate of the Cargo workspace (the root crate wasmtime-cli too), plus release`);

  await sh.nx(['graph', `--file=${state.graphFile}`], { show: false });
  const graph = summarizeGraph(JSON.parse(readFileSync(state.graphFile, 'utf8')) as NxGraphFile);
  state.graph = graph;
  const short = (tags: string[]) =>
    tags
      .filter((t) => t.startsWith('crate:'))
      .map((t) => t.slice(6))
      .join(',');
  const deps = (c: (typeof graph.crates)[number]) =>
    [c.deps.normal.join(' '), c.deps.build.length ? `build: ${c.deps.build.join(' ')}` : '', c.deps.dev.length ? `dev: ${c.deps.dev.join(' ')}` : '']
      .filter(Boolean)
      .join('; ') || '—';
  const rows = graph.crates.map((c) => [c.name, c.version, c.root, short(c.tags), deps(c)]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
  const pad = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
  rep.output([pad(['crate', 'version', 'folder', 'tags', 'depends on']), ...rows.map(pad)]);
  const k = graph.edgesByKind;
  rep.outcome(
    `graph: ${graph.crates.length} crates + ${graph.others.join(', ')}; ${graph.nxEdges} Nx edges from the manifests alone ` +
      `(Cargo kinds: ${k.normal} normal, ${k.build} build, ${k.dev} dev)`,
  );
  for (const [a, b] of graph.devCycles) rep.outcome(`dev-dependency cycle ${a} <-> ${b} is in the graph, and Nx runs with it`);

  // A change to one crate: Nx must pick exactly it and its reverse dependents.
  const changed = graph.crates.find((c) => c.name === CHANGED_CRATE);
  if (!changed) throw new DemoFailure(`nx graph --file=${state.graphFile}`, `no project ${CHANGED_CRATE} in the graph`);
  const file = join(changed.root, 'src', 'lib.rs');
  rep.command(`echo '// a small change' >> ${file}`);
  appendFileSync(join(env.workspace, file), '\n// A small change for the demo.\n');
  const want = reverseClosure(graph, CHANGED_CRATE);
  try {
    const affected = projectNames((await sh.nx(['show', 'projects', '--affected'], { show: false })).lines);
    rep.output(columns(affected));
    // release:verify's inputs cover the sources of every published crate, so a
    // change to one makes `release` affected too (its verify result is stale).
    const published = changed.tags.includes('crate:published');
    const wantProjects = [...want, ...(published ? ['release'] : [])].sort();
    if (!sameList(affected, wantProjects)) {
      throw new DemoFailure(
        'nx show projects --affected',
        `expected ${wantProjects.join(', ')} (${CHANGED_CRATE}, its reverse dependents${published ? ', release' : ''})\ngot      ${affected.join(', ')}`,
      );
    }
    rep.outcome(
      `affected: ${CHANGED_CRATE} and its ${want.length - 1} reverse dependents (computed independently from the graph's edges)` +
        (published ? ', and release, whose verify target reads every published crate' : ''),
    );

    const check = await sh.nx(['affected', '-t', 'check'], { maxLines: 24 });
    const ran = [...new Set([...check.stdout.matchAll(/nx run ([A-Za-z0-9_-]+):check/g)].map((m) => m[1]))].sort();
    if (!sameList(ran, want)) {
      throw new DemoFailure('nx affected -t check', `cargo check ran on ${ran.join(', ') || 'nothing'}; expected ${want.join(', ')}`);
    }
    rep.outcome(`cargo check ran on exactly those ${ran.length} of ${graph.crates.length} crates`);
  } finally {
    await sh.git('checkout', '-q', '--', file);
  }
  return `${projects.length} projects, ${graph.nxEdges} edges; a change to ${CHANGED_CRATE} checks ${want.length} crates`;
}

export async function verifyStep(state: DemoState, rep: Reporter): Promise<string> {
  state.needTarget('verify');
  const { sh } = state;
  await sh.nx(['run', 'release:verify'], { maxLines: 40 });
  const published = state.graph?.crates.filter((c) => c.tags.includes('crate:published')).length;
  rep.outcome(`the crate-list rules hold and the ${published ?? 'published'} published crates package offline`);
  const again = await sh.nx(['run', 'release:verify'], { show: false });
  const cached = /from the cache|\[local cache\]|existing outputs match the cache/.test(again.stdout);
  if (cached) rep.outcome('a second `nx run release:verify` on the unchanged tree was served from the Nx cache');
  else rep.note('the second run was not served from the Nx cache');
  return `tree publishable${cached ? '; re-run from Nx cache' : ''}`;
}
