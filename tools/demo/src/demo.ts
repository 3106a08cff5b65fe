// The README's first command: the whole monthly release cycle of a
// Wasmtime-shaped Cargo workspace, run with real `nx` commands and the BUILT
// plugin against a bare git origin, the GitHub API stand-in and the local
// crate registry. Each step prints the commands, their output, and what the
// demo itself checked afterwards on the origin, the API and the registry.
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { setUpEnvironment, type DemoEnvironment } from './environment';
import { Reporter, type StepRecord } from './report';
import { DemoFailure, readCapabilities, Shell } from './shell';
import { DemoState, SkipStep } from './state';
import { graphStep, verifyStep } from './steps-graph';
import { backportStep, cutStep, patchStep, releaseLatestStep, tagStep } from './steps-train';
import { publishStep, readRegistry } from './steps-publish';

export interface DemoOptions {
  /** Directory for everything the demo makes (wiped first). */
  dir: string;
  /** Only headings, outcomes and the summary. */
  quiet?: boolean;
  /** Keep `dir` after a successful run (default true; a failed run always keeps it). */
  keep?: boolean;
  write?: (line: string) => void;
  /** Registry index-propagation delay. Default 300 ms. */
  indexDelayMs?: number;
  /** crates.io's publish limits times this, in the registry and in crate-train's pacing. Default 0.001. */
  rateLimitScale?: number;
  /** Default: the cargo target dir the tests share (builds are reused). */
  cargoTargetDir?: string;
  /** Paths are printed relative to this (default: the current directory). */
  cwd?: string;
}

export interface DemoPull {
  number: number;
  title: string;
  head: string;
  base: string;
  merged: boolean;
}

export interface DemoResult {
  ok: boolean;
  dir: string;
  workspace?: string;
  origin?: string;
  registryDir?: string;
  steps: StepRecord[];
  pulls: DemoPull[];
  /** Tags on the origin: name -> commit. */
  tags: Record<string, string>;
  /** Versions in the local registry (its API), per published crate. */
  published: Record<string, string[]>;
  /** Uploads each publish re-run made (0 each, when resumable). */
  rerunUploads: number[];
  failure?: { step: string; command: string; output: string };
  wallMs: number;
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const rep = new Reporter({ quiet: opts.quiet, write: opts.write });
  const rel = (p: string) => relative(opts.cwd ?? process.cwd(), p) || '.';
  const result: DemoResult = { ok: false, dir: opts.dir, steps: rep.steps, pulls: [], tags: {}, published: {}, rerunUploads: [], wallMs: 0 };
  let env: DemoEnvironment | undefined;

  rep.line('crate-train demo: one monthly release cycle of a Wasmtime-shaped Cargo workspace,');
  rep.line('driven by real `nx` commands with the built crate-train plugin.');

  const step = async (n: number, title: string, short: string, fn: () => Promise<string>): Promise<void> => {
    rep.heading(n, title);
    const t0 = Date.now();
    try {
      const changed = await fn();
      rep.record({ n, title: short, status: 'done', changed, ms: Date.now() - t0 });
    } catch (e) {
      if (e instanceof SkipStep) {
        rep.skipped(e.what, e.why);
        rep.record({ n, title: short, status: 'skipped', changed: `skipped: ${e.what} ${e.why}`, ms: Date.now() - t0 });
        return;
      }
      const failure = e instanceof DemoFailure ? e : new DemoFailure(`(step ${n}: ${title})`, (e as Error).stack ?? String(e));
      rep.record({ n, title: short, status: 'failed', changed: `failed: ${failure.command}`, ms: Date.now() - t0 });
      result.failure = { step: `${n}. ${title}`, command: failure.command, output: failure.output };
      throw failure;
    }
  };

  try {
    await step(1, 'Setup: sample workspace, git origin, crate registry, GitHub stand-in', 'setup', async () => {
      env = await setUpEnvironment({
        dir: opts.dir,
        indexDelayMs: opts.indexDelayMs ?? 300,
        rateLimitScale: opts.rateLimitScale ?? 0.001,
        cargoTargetDir: opts.cargoTargetDir,
      });
      for (const s of env.secrets) rep.addSecret(s);
      Object.assign(result, { workspace: env.workspace, origin: env.origin, registryDir: env.registry.storageDir });
      const r = env.registry;
      const newCrate = r.rateLimit('publish-new');
      rep.outcome(`plugin built with tools/build/build-plugin.mjs; the workspace's node_modules/crate-train is that build (${rel(env.pluginDir)})`);
      rep.outcome(`workspace: ${rel(env.workspace)} (copy of tools/sample-workspace, committed on main)`);
      rep.outcome(`origin: ${rel(env.origin)} (bare git repository, main pushed)`);
      rep.outcome(`GitHub API stand-in: ${env.standIn.url} serving demo/wasmtime from the origin`);
      rep.outcome(
        `crate registry: ${r.url} (storage ${rel(r.storageDir)}; index delay ${opts.indexDelayMs ?? 300} ms; ` +
          `crates.io limits scaled: new crates burst ${newCrate?.burst}, then 1 per ${newCrate?.rateMs} ms)`,
      );
      rep.note(`nx.json plugins: [{ "plugin": "crate-train", "options": ${JSON.stringify(env.pluginOptions)} }]`);
      rep.note(`cargo: CARGO_HOME=${rel(env.env.CARGO_HOME)} names the registry "local" and replaces crates.io with it`);
      rep.note('every nx call gets GITHUB_TOKEN=*** and CARGO_REGISTRIES_LOCAL_TOKEN=*** from the environment (tokens are never printed)');
      return 'workspace, origin, registry and stand-in ready';
    });
    const e = env!;
    const sh = new Shell(e, rep);
    const state = new DemoState(e, sh, await readCapabilities(e));

    await step(2, 'The crates as Nx projects: show projects, graph, affected', 'projects, graph, affected', () => graphStep(state, rep));
    await step(3, 'Is the tree publishable? nx run release:verify', 'release:verify', () => verifyStep(state, rep));
    await step(4, 'Branch cut (5th of the month): nx run release:cut', 'release:cut + merge', () => cutStep(state, rep));
    await step(5, 'A backport lands on the release branch, with its release note', 'backport + release-note', () => backportStep(state, rep, 'first'));
    await step(6, 'Release day (20th): nx run release:release-latest', 'release:release-latest + merges', () => releaseLatestStep(state, rep));
    await step(7, 'CI on the push to the release branch: nx run release:tag', 'release:tag', () => tagStep(state, rep, 'release'));
    await step(8, 'CI on the tag: nx run release:publish', 'release:publish', () => publishStep(state, rep, 'release'));
    await step(9, 'A patch release on the release branch: nx run release:patch', 'release:patch, tag, publish', () => patchStep(state, rep));
    await step(10, 'Summary', 'summary', async () => {
      await collect(state, result);
      summarize(state, result, rep, rel);
      return 'done';
    });
    result.ok = rep.steps.every((s) => s.status !== 'failed');
  } catch (e) {
    if (env) await collect(new DemoState(env, new Shell(env, rep), { targets: new Set(), generators: new Set() }), result).catch(() => undefined);
    if (result.failure) {
      rep.line('');
      rep.line(`✘ step ${result.failure.step} failed`);
      rep.line(`  command: ${result.failure.command}`);
      rep.line('  output:');
      for (const l of result.failure.output.split('\n')) rep.line(`    ${l}`);
      if (env) rep.line(`  everything is left for inspection in ${rel(env.dir)}`);
    } else {
      throw e;
    }
  } finally {
    await env?.stop();
    result.wallMs = Date.now() - started;
  }
  if (result.ok) {
    rep.line('');
    rep.line(`demo finished in ${(result.wallMs / 1000).toFixed(1)} s`);
    if (opts.keep === false) rmSync(opts.dir, { recursive: true, force: true });
  }
  return result;
}

/** PRs, tags and registry contents, read back from the API, the origin and the registry. */
async function collect(state: DemoState, result: DemoResult): Promise<void> {
  const pulls = await state.env.github.listPullRequests({ state: 'all' });
  result.pulls = pulls
    .map((p) => ({ number: p.number, title: p.title, head: p.head.ref, base: p.base.ref, merged: p.merged }))
    .sort((a, b) => a.number - b.number);
  const tags = await state.sh.origin('for-each-ref', '--format=%(refname:short) %(*objectname)%(objectname)', 'refs/tags');
  result.tags = {};
  for (const line of tags.split('\n').filter(Boolean)) {
    const [name, shas] = line.split(' ');
    // Annotated tags print the peeled commit then the tag object; light ones only the commit.
    result.tags[name] = shas.slice(0, 40);
  }
  result.published = await readRegistry(state);
  result.rerunUploads = state.rerunUploads;
}

function summarize(state: DemoState, result: DemoResult, rep: Reporter, rel: (p: string) => string): void {
  rep.line('Steps:');
  rep.table(
    ['#', 'step', 'status', 'time', 'what changed'],
    rep.steps.map((s) => [String(s.n), s.title, s.status, `${(s.ms / 1000).toFixed(1)} s`, s.changed]),
  );
  rep.line('');
  rep.line('Pull requests (GitHub stand-in):');
  rep.table(
    ['#', 'head -> base', 'title', 'state'],
    result.pulls.map((p) => [String(p.number), `${p.head} -> ${p.base}`, p.title, p.merged ? 'merged' : 'open']),
  );
  rep.line('');
  rep.line('Tags on the origin:');
  const tags = Object.entries(result.tags);
  if (tags.length)
    rep.table(
      ['tag', 'commit'],
      tags.map(([t, sha]) => [t, sha.slice(0, 10)]),
    );
  else rep.line('  (none)');
  rep.line('');
  rep.line('Crates in the local registry (its API):');
  const published = Object.entries(result.published);
  if (published.length)
    rep.table(
      ['crate', 'versions'],
      published.map(([c, v]) => [c, v.join(', ') || '—']),
    );
  else rep.line('  (none)');
  rep.line('');
  rep.line('Where to look:');
  const ws = rel(state.env.workspace);
  const origin = rel(state.env.origin);
  rep.table(
    ['what', 'path', 'try'],
    [
      ['workspace', ws, `cd ${ws} && git log --oneline --graph --all && npx nx graph`],
      ['origin', origin, `git --git-dir=${origin} log --oneline --graph --all`],
      ['registry data', rel(state.env.registry.storageDir), ''],
      ['crate graph', rel(state.graphFile), ''],
    ],
  );
}
