// Publish benchmark: synthetic Wasmtime-shaped workspaces released to the local
// registry (its own process, with an index-propagation delay), side by side:
//   - crate-train through Nx (`nx run release:publish`, Nx start-up included), with
//     the direct uploader (the default) and with `--uploader=cargo`;
//   - `cargo publish --workspace --no-verify` (cargo >= 1.90);
//   - the bound: waves x index delay (no upload can start before its dependencies are
//     in the index), or under rate limits the time of the last token plus one delay;
//   - the start-up floor: `nx run release:publish --dry-run`, everything a run does
//     before packaging (Nx, the executor's process, the workspace, the registry's answers).
// Each run gets a fresh registry and a fresh copy of the workspace (a git checkout with
// the plugin installed). Without limits, the registry already holds the previous
// release (a monthly release publishes new versions of existing crates); under the
// scaled limits every crate is new (crates.io: burst 5, then 1 new crate per 10 min,
// here x0.01 = 1 per 6 s), where cargo stops at the first 429.
//
//   node tools/build/run-ts.mjs tools/bench/publish.ts [--configs 40x8,60x10,200x20]
//     [--delays 500,2000] [--no-limits-scenario] [--no-packaging] [--seed 7] [--node PATH]
//   (--node: the Node.js that runs nx and the executor, e.g. a Node 22 like the one the
//   generated workflows set up; default this process's)
//   (about 36 min on a 2-CPU machine; `--configs ''` runs the rate-limit scenario only)
//
// Figures: see the README ("Publishing") and the closing note of issue 15.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { run } from '@crate-train/proc';
import { buildPublishBody, writeCargoConfig } from '@crate-train/local-registry';
import { commitAll, git, installPlugin, REPO_ROOT, runNx } from '@crate-train/testing';
import { CRATES_IO_RATE_LIMITS, planWorkspace, RateBudget, scaleRateLimits, type PublishPlan } from '@crate-train/registry';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';

const { values: args } = parseArgs({
  options: {
    configs: { type: 'string', default: '40x8,60x10,200x20' },
    delays: { type: 'string', default: '500,2000' },
    seed: { type: 'string', default: '7' },
    'no-limits-scenario': { type: 'boolean', default: false },
    'no-packaging': { type: 'boolean', default: false },
    'limits-config': { type: 'string', default: '40x8' },
    'limits-delay': { type: 'string', default: '2000' },
    'limits-scale': { type: 'string', default: '0.01' },
    node: { type: 'string', default: '' },
  },
});
const work = mkdtempSync(join(tmpdir(), 'crate-train-bench-publish-'));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (s: string) => process.stdout.write(s + '\n');
/** What nx runs on: `--node`, or this process's Node.js. */
const nxNode = args.node || process.execPath;

/** The registry runs in its own process, as a real one would: its work does not share the clients' CPU time slices. */
interface RegistryProcess {
  url: string;
  indexUrl: string;
  token: string;
  stats(): Promise<{ uploads: Record<string, number>; uploadAttempts: Record<string, number>; rateLimited: number; requests: number; cpuMs: number }>;
  stop(): Promise<void>;
}

let cliBundle: Promise<string> | undefined;
function registryCli(): Promise<string> {
  const outfile = join(work, 'local-registry-cli.cjs');
  cliBundle ??= build({
    entryPoints: [join(REPO_ROOT, 'tools/local-registry/src/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
    tsconfig: join(REPO_ROOT, 'tsconfig.base.json'),
  }).then(() => outfile);
  return cliBundle;
}

async function startRegistryProcess(dir: string, token: string, flags: string[]): Promise<RegistryProcess> {
  const child: ChildProcess = spawn(process.execPath, [await registryCli(), '--port', '0', '--dir', dir, '--token', token, ...flags], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') },
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`local registry exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { url, indexUrl } = JSON.parse(line) as { url: string; indexUrl: string };
  return {
    url,
    indexUrl,
    token,
    stats: async () => (await fetch(`${url}/api/private/stats`)).json() as never,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Source {
  dir: string;
  plan: PublishPlan;
  label: string;
}

/** A synthetic workspace with the plugin installed, committed (cargo packages from a clean checkout). */
async function makeSource(crates: number, layers: number): Promise<Source> {
  const dir = join(work, `src-${crates}x${layers}`);
  generateSyntheticWorkspace(dir, { crates, layers, seed: Number(args.seed), lockfile: true });
  await installPlugin(dir, { registry: 'local' });
  await git(dir, 'init', '-q');
  await commitAll(dir, 'synthetic workspace');
  return { dir, plan: planWorkspace(dir), label: `${crates}/${layers}` };
}

interface Env {
  registry: RegistryProcess;
  env: Record<string, string>;
  root: string;
}

/** A fresh registry (holding the previous release unless `fresh`) and a fresh copy of the workspace. */
async function freshEnv(src: Source, name: string, o: { delayMs: number; rateScale?: number; newCrates?: boolean }): Promise<Env> {
  const dir = join(work, `${name}-registry`);
  const token = `crt_bench_${randomBytes(12).toString('hex')}`;
  if (!o.newCrates) {
    const seed = await startRegistryProcess(dir, token, ['--no-rate-limit']);
    for (const c of src.plan.crates) {
      const body = buildPublishBody(
        { name: c.name, vers: '0.0.1', deps: [], features: {}, description: 'previous release', license: 'MIT' },
        Buffer.from('seed'),
      );
      const r = await fetch(`${seed.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: token }, body });
      if (r.status !== 200) throw new Error(`seeding ${c.name}: ${r.status} ${await r.text()}`);
    }
    await seed.stop();
  }
  const limits = o.rateScale === undefined ? ['--no-rate-limit'] : ['--rate-scale', String(o.rateScale)];
  const registry = await startRegistryProcess(dir, token, ['--index-delay-ms', String(o.delayMs), ...limits]);
  const cargo = writeCargoConfig(registry, { cargoHome: join(work, `${name}-cargo-home`) });
  const root = join(work, `${name}-ws`);
  cpSync(src.dir, root, { recursive: true, verbatimSymlinks: true });
  return { registry, env: { ...cargo.env, CARGO_NET_OFFLINE: 'false', CARGO_TERM_COLOR: 'never' }, root };
}

async function checkAllOnce(e: Env, plan: PublishPlan): Promise<string> {
  const stats = await e.registry.stats();
  const missing = plan.crates.filter((c) => stats.uploads[`${c.name}@${c.version}`] !== 1);
  const dup = Object.entries(stats.uploadAttempts).filter(([, n]) => n > 1);
  if (missing.length) return `${missing.length} of ${plan.crates.length} not published`;
  if (dup.length) return `${dup.length} versions sent twice`;
  return 'ok';
}

interface Outcome {
  ms: number;
  ok: boolean;
  note: string;
}

async function crateTrainNx(e: Env, plan: PublishPlan, uploader: 'direct' | 'cargo', rateScale?: number): Promise<Outcome> {
  const t = Date.now();
  const flags = ['run', 'release:publish', `--uploader=${uploader}`, ...(rateScale === undefined ? ['--rateLimits=none'] : [`--rateLimitScale=${rateScale}`])];
  // As the generated publish workflow runs it (crate-train-publish.yml sets NX_ISOLATE_PLUGINS).
  const r = await runNx(e.root, flags, { env: { ...e.env, NX_ISOLATE_PLUGINS: 'false' }, reject: false, timeoutMs: 30 * 60_000, node: nxNode });
  const ms = Date.now() - t;
  const check = await checkAllOnce(e, plan);
  const planned = /planned finish \S+ \(in ([^)]+)\)/.exec(r.stdout)?.[1];
  const packaged = /all \d+ package \(([\d.]+ s)\)/.exec(r.stdout)?.[1];
  return {
    ms,
    ok: r.exitCode === 0 && check === 'ok',
    note: `${check === 'ok' ? '' : `${check}; `}${packaged ? `preflight ${packaged}; ` : ''}${planned ? `planned ${planned}` : ''}${r.exitCode === 0 ? '' : ` — exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`}`,
  };
}

async function cargoWorkspace(e: Env): Promise<Outcome & { published: number }> {
  const t = Date.now();
  const r = await run('cargo', ['publish', '--workspace', '--registry', 'local', '--no-verify'], {
    cwd: e.root,
    env: e.env,
    reject: false,
    timeoutMs: 30 * 60_000,
  });
  const ms = Date.now() - t;
  const error = r.stderr
    .split('\n')
    .filter((l) => /^error|status 4\d\d|already exists|timed out/.test(l))
    .slice(0, 2)
    .join(' | ');
  const published = Object.keys((await e.registry.stats()).uploads).length;
  return { ms, ok: r.exitCode === 0, note: error, published };
}

/**
 * What every run pays before its first upload, packaging aside: `nx run release:publish
 * --dry-run` (Nx start-up, the executor's process, reading the workspace, asking the
 * registry what it has), the median of 3, against the shortest bound.
 */
async function startUpFloor(src: Source, delay: number): Promise<void> {
  const e = await freshEnv(src, `floor-${src.label.replace('/', 'x')}`, { delayMs: delay });
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = Date.now();
      const r = await runNx(e.root, ['run', 'release:publish', '--dry-run', '--rateLimits=none'], {
        env: { ...e.env, NX_ISOLATE_PLUGINS: 'false' },
        reject: false,
        node: nxNode,
      });
      if (r.exitCode !== 0) throw new Error(`nx run release:publish --dry-run failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`);
      times.push(Date.now() - t);
    }
    const median = times.sort((a, b) => a - b)[1];
    const bound = src.plan.waves.length * delay;
    log(
      `  start-up floor: nx run release:publish --dry-run ${(median / 1000).toFixed(2)} s (no packaging, no upload) = ${((100 * median) / bound).toFixed(0)}% of the ${secs(bound)} bound at ${secs(delay)}`,
    );
  } finally {
    await e.registry.stop();
    rmSync(e.root, { recursive: true, force: true });
  }
}

interface Row {
  config: string;
  delay: string;
  bound: number;
  boundNote: string;
  direct?: Outcome;
  viaCargo?: Outcome;
  cargo?: Outcome;
}

const ratio = (o: Outcome | undefined, bound: number) => (o ? `${secs(o.ms)} (${(o.ms / bound).toFixed(2)}x)${o.ok ? '' : ' FAILED'}` : '-');

function printTable(rows: Row[]): void {
  log('');
  log('| workspace (crates/waves) | index delay | bound | crate-train (direct) | crate-train (--uploader=cargo) | cargo publish --workspace --no-verify |');
  log('|---|---|---|---|---|---|');
  for (const r of rows) {
    log(
      `| ${r.config} | ${r.delay} | ${secs(r.bound)} ${r.boundNote} | ${ratio(r.direct, r.bound)} | ${ratio(r.viaCargo, r.bound)} | ${ratio(r.cargo, r.bound)} |`,
    );
  }
  log('');
}

/** One `cargo package --workspace` against packaging each crate on its own (2 at a time, offline, the cheapest way). */
async function comparePackaging(src: Source): Promise<void> {
  const e = await freshEnv(src, `pkg-${src.label.replace('/', 'x')}`, { delayMs: 0 });
  try {
    const names = src.plan.crates.map((c) => c.name);
    const t0 = Date.now();
    const all = await run(
      'cargo',
      ['package', '--no-verify', '--registry', 'local', '--target-dir', join(work, 'pkg-all'), ...names.flatMap((n) => ['-p', n])],
      {
        cwd: e.root,
        env: e.env,
        reject: false,
        timeoutMs: 30 * 60_000,
      },
    );
    const one = Date.now() - t0;
    const t1 = Date.now();
    let i = 0;
    await Promise.all(
      [0, 1].map(async (slot) => {
        while (i < names.length) {
          const n = names[i++];
          await run(
            'cargo',
            ['package', '--no-verify', '--exclude-lockfile', '--offline', '--registry', 'local', '--target-dir', join(work, `pkg-slot-${slot}`), '-p', n],
            {
              cwd: e.root,
              env: e.env,
              reject: false,
              timeoutMs: 10 * 60_000,
            },
          );
        }
      }),
    );
    const each = Date.now() - t1;
    log(
      `packaging ${names.length} crates: one \`cargo package\` run (with lockfiles, as cargo publish packages) ${secs(one)}${all.exitCode === 0 ? '' : ' FAILED'}; one run per crate, 2 at a time (without lockfiles, offline) ${secs(each)} — the single run is kept`,
    );
  } finally {
    await e.registry.stop();
  }
}

async function main(): Promise<void> {
  // `--configs ''`: the rate-limit scenario only.
  const configs = args.configs
    .split(',')
    .filter(Boolean)
    .map((c) => c.split('x').map(Number) as [number, number]);
  const delays = args.delays.split(',').map(Number);
  const sources = new Map<string, Source>();
  const source = async (crates: number, layers: number) => {
    const key = `${crates}x${layers}`;
    if (!sources.has(key)) sources.set(key, await makeSource(crates, layers));
    return sources.get(key)!;
  };
  log(`cargo: ${(await run('cargo', ['--version'])).stdout}; nx on Node.js ${(await run(nxNode, ['--version'])).stdout}; ${cpus().length} CPUs`);
  const rows: Row[] = [];
  for (const [crates, layers] of configs) {
    const src = await source(crates, layers);
    if (!args['no-packaging'] && rows.length === 0) await comparePackaging(src);
    log(
      `workspace ${src.label}: ${src.plan.crates.length} crates to publish in ${src.plan.waves.length} waves (${src.plan.waves.map((w) => w.length).join('/')})`,
    );
    await startUpFloor(src, Math.min(...delays));
    for (const delay of delays) {
      const bound = src.plan.waves.length * delay;
      const row: Row = {
        config: `${src.plan.crates.length}/${src.plan.waves.length}`,
        delay: secs(delay),
        bound,
        boundNote: `(${src.plan.waves.length} x ${secs(delay)})`,
      };
      const name = `${crates}x${layers}-${delay}`;
      for (const [key, fn] of [
        ['direct', (e: Env) => crateTrainNx(e, src.plan, 'direct')],
        ['viaCargo', (e: Env) => crateTrainNx(e, src.plan, 'cargo')],
        ['cargo', (e: Env) => cargoWorkspace(e)],
      ] as const) {
        const e = await freshEnv(src, `${name}-${key}`, { delayMs: delay });
        try {
          const o = await fn(e);
          if (key === 'cargo') o.ok = o.ok && (await checkAllOnce(e, src.plan)) === 'ok';
          row[key] = o;
          log(`  ${row.config} @ ${secs(delay)}: ${key.padEnd(8)} ${ratio(o, bound)}${o.note ? ` — ${o.note}` : ''}`);
        } finally {
          await e.registry.stop();
          rmSync(e.root, { recursive: true, force: true });
        }
      }
      rows.push(row);
    }
  }

  if (!args['no-limits-scenario']) {
    const [crates, layers] = args['limits-config'].split('x').map(Number);
    const src = await source(crates, layers);
    const delay = Number(args['limits-delay']);
    const scale = Number(args['limits-scale']);
    const limits = scaleRateLimits(CRATES_IO_RATE_LIMITS, scale);
    const rate = limits['publish-new']!;
    const floor = RateBudget.floorMs(rate, src.plan.crates.length);
    const bound = Math.max(floor + delay, src.plan.waves.length * delay);
    log('');
    log(
      `scaled limits: ${src.plan.crates.length} new crates (burst ${rate.burst}, then 1 per ${secs(rate.periodMs)}), index delay ${secs(delay)}: rate-limit bound = last token at ${secs(floor)} + ${secs(delay)} = ${secs(bound)}`,
    );
    const row: Row = {
      config: `${src.plan.crates.length}/${src.plan.waves.length} new, limits x${scale}`,
      delay: secs(delay),
      bound,
      boundNote: '(rate limit)',
    };
    for (const [key, fn] of [
      ['direct', (e: Env) => crateTrainNx(e, src.plan, 'direct', scale)],
      ['viaCargo', (e: Env) => crateTrainNx(e, src.plan, 'cargo', scale)],
      ['cargo', (e: Env) => cargoWorkspace(e)],
    ] as const) {
      const e = await freshEnv(src, `limits-${key}`, { delayMs: delay, rateScale: scale, newCrates: true });
      try {
        const o = await fn(e);
        if (key === 'cargo') {
          const c = o as Outcome & { published: number };
          o.note = `stopped with ${c.published} of ${src.plan.crates.length} published: ${o.note}`;
        }
        row[key] = o;
        log(`  limits: ${key.padEnd(8)} ${ratio(o, bound)}${o.note ? ` — ${o.note}` : ''}`);
      } finally {
        await e.registry.stop();
        rmSync(e.root, { recursive: true, force: true });
      }
    }
    rows.push(row);
  }
  printTable(rows);
}

main()
  .catch((e: Error) => {
    process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
