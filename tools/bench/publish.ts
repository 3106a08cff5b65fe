// Publish benchmark: a synthetic Wasmtime-shaped workspace (60 crates, dependency
// depth ~10) released to the local registry with a 2 s index-propagation delay and
// crates.io's rate limits scaled down, by
//   1. crate-train (this repo's scheduler, real `cargo publish -p` per crate),
//   2. `cargo publish --workspace --no-verify` (cargo >= 1.90),
//   3. `cargo publish --workspace` with its default verification (--with-verify),
//   4. Wasmtime's CI strategy: list order, one crate at a time, skip what is published,
//      retry the failed ones up to 10 rounds (40 s apart on CI; scaled here).
// Each strategy gets a fresh registry holding the previous release (a monthly release
// publishes new versions of existing crates) and a fresh copy of the workspace.
// Then a second scenario where cargo gives up: a tighter rate limit (429), and a
// version already published; crate-train completes.
//
// Measured on the shared 2-core box (cargo 1.95; figures vary ±1 s with the load):
//   59 published crates, 11 waves, 2 s delay: bound 22.0 s; crate-train 24.6 s (1.12x),
//   cargo --workspace --no-verify 24.7 s, with verification 30.9 s, Wasmtime's
//   strategy 125.6 s. With a 2.5 s delay: bound 27.5 s, crate-train 29.8 s (1.08x),
//   cargo --workspace --no-verify 35.5 s (cargo polls the index once a second).
//
//   node tools/build/run-ts.mjs tools/bench/publish.ts [--crates 60] [--layers 10]
//     [--delay-ms 2000] [--rate-scale 0.001667] [--concurrency 8] [--poll-ms 50]
//     [--round-gap-ms 4000] [--with-verify] [--slow-index] [--skip-wasmtime] [--seed 7]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { run } from '@crate-train/proc';
import { buildPublishBody, writeCargoConfig } from '@crate-train/local-registry';
import { REPO_ROOT } from '@crate-train/testing';
import { CRATES_IO_RATE_LIMITS, RateBudget, planWorkspace, publishWorkspace, scaleRateLimits, type PublishPlan } from '@crate-train/registry';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';

const { values: args } = parseArgs({
  options: {
    crates: { type: 'string', default: '60' },
    layers: { type: 'string', default: '10' },
    seed: { type: 'string', default: '7' },
    'delay-ms': { type: 'string', default: '2000' },
    // 1/600: a new version every 100 ms after the burst of 30 (1 per minute on crates.io).
    'rate-scale': { type: 'string', default: String(1 / 600) },
    concurrency: { type: 'string', default: '3' },
    'poll-ms': { type: 'string', default: '20' },
    'round-gap-ms': { type: 'string', default: '4000' },
    'with-verify': { type: 'boolean', default: false },
    'slow-index': { type: 'boolean', default: false },
    'skip-wasmtime': { type: 'boolean', default: false },
    'tight-rate-scale': { type: 'string', default: String(1 / 60) },
  },
});
const DELAY = Number(args['delay-ms']);
const SCALE = Number(args['rate-scale']);
const POLL = Number(args['poll-ms']);
const CONCURRENCY = Number(args.concurrency);
const work = mkdtempSync(join(tmpdir(), 'crate-train-bench-publish-'));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (s: string) => process.stdout.write(s + '\n');

/** The registry runs in its own process, as a real one would: its work does not share crate-train's event loop. */
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

interface Env {
  registry: RegistryProcess;
  env: NodeJS.ProcessEnv;
  root: string;
}

/** A registry that already holds version 0.0.1 of every crate (the "previous release"), and a copy of the workspace. */
async function freshEnv(source: string, plan: PublishPlan, name: string, opts: { delayMs: number; scale: number }): Promise<Env> {
  const dir = join(work, `${name}-registry`);
  const token = `crt_bench_${randomBytes(12).toString('hex')}`;
  const seed = await startRegistryProcess(dir, token, ['--no-rate-limit']);
  for (const c of plan.crates) {
    const body = buildPublishBody(
      { name: c.name, vers: '0.0.1', deps: [], features: {}, description: 'previous release', license: 'MIT' },
      Buffer.from('seed'),
    );
    const r = await fetch(`${seed.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: token }, body });
    if (r.status !== 200) throw new Error(`seeding ${c.name}: ${r.status} ${await r.text()}`);
  }
  await seed.stop();
  const registry = await startRegistryProcess(dir, token, ['--index-delay-ms', String(opts.delayMs), '--rate-scale', String(opts.scale)]);
  const cargo = writeCargoConfig(registry, { cargoHome: join(work, `${name}-cargo-home`) });
  const root = join(work, `${name}-ws`);
  cpSync(source, root, { recursive: true });
  return { registry, env: { ...process.env, ...cargo.env, CARGO_NET_OFFLINE: 'false', CARGO_TERM_COLOR: 'never' }, root };
}

async function checkAllOnce(e: Env, plan: PublishPlan, who: string): Promise<string> {
  const stats = await e.registry.stats();
  const missing = plan.crates.filter((c) => stats.uploads[`${c.name}@${c.version}`] !== 1);
  const dup = Object.entries(stats.uploadAttempts).filter(([, n]) => n > 1);
  if (missing.length)
    return `${who}: ${missing.length} crates not published (${missing
      .slice(0, 3)
      .map((c) => c.name)
      .join(', ')}...)`;
  if (dup.length) return `${who}: ${dup.length} versions sent twice`;
  return 'ok';
}

async function crateTrain(e: Env, scale: number) {
  const t = Date.now();
  let rateWaits = 0;
  const { report, plan } = await publishWorkspace({
    workspaceRoot: e.root,
    registry: 'local',
    env: e.env,
    concurrency: CONCURRENCY,
    pollIntervalMs: POLL,
    rateLimits: scaleRateLimits(CRATES_IO_RATE_LIMITS, scale),
    backoffMs: 200,
    onEvent: (e) => {
      if (e.type === 'rate-limit-wait') rateWaits++;
    },
  });
  if (process.env.BENCH_TIMELINE) {
    plan.waves.forEach((w, i) => {
      const rs = report.crates.filter((c) => w.includes(c.name));
      const f = (xs: Array<number | undefined>, g: (...n: number[]) => number) => secs(g(...(xs.filter((x) => x !== undefined) as number[])));
      log(
        `    wave ${i}: start ${f(
          rs.map((r) => r.startedAt),
          Math.min,
        )}..${f(
          rs.map((r) => r.startedAt),
          Math.max,
        )}, uploaded by ${f(
          rs.map((r) => r.uploadedAt),
          Math.max,
        )}, visible by ${f(
          rs.map((r) => r.visibleAt),
          Math.max,
        )}`,
      );
    });
  }
  const upload = report.crates.filter((c) => c.uploadedAt !== undefined && c.startedAt !== undefined).map((c) => c.uploadedAt! - c.startedAt!);
  const avgUpload = upload.reduce((a, b) => a + b, 0) / Math.max(1, upload.length);
  return {
    ms: Date.now() - t,
    ok: report.ok,
    avgUpload,
    failed: report.failed,
    rateWaits,
    startMs: Math.min(...report.crates.map((c) => c.startedAt ?? Infinity)),
  };
}

async function cargoWorkspace(e: Env, verify: boolean) {
  const t = Date.now();
  const r = await run('cargo', ['publish', '--workspace', '--registry', 'local', ...(verify ? [] : ['--no-verify'])], {
    cwd: e.root,
    env: e.env,
    reject: false,
    timeoutMs: 30 * 60_000,
  });
  const lastError = r.stderr
    .split('\n')
    .filter((l) => /^error|status 4\d\d|already exists|timed out|Caused by/.test(l))
    .slice(0, 3)
    .join(' | ');
  return { ms: Date.now() - t, ok: r.exitCode === 0, error: lastError };
}

/** Wasmtime's publish job: list order, skip what the registry has, retry failed crates in rounds. */
async function wasmtimeStrategy(e: Env, list: string[], versions: Map<string, string>, roundGapMs: number) {
  const t = Date.now();
  let pending = [...list];
  let rounds = 0;
  for (; rounds < 10 && pending.length > 0; rounds++) {
    if (rounds > 0) await new Promise((r) => setTimeout(r, roundGapMs));
    const failed: string[] = [];
    for (const name of pending) {
      const v = (await (await fetch(`${e.registry.url}/api/v1/crates/${name}/versions`)).json()) as { versions?: Array<{ num: string }> };
      if (v.versions?.some((x) => x.num === versions.get(name))) continue;
      const r = await run('cargo', ['publish', '--registry', 'local', '--no-verify', '-p', name], {
        cwd: e.root,
        env: e.env,
        reject: false,
        timeoutMs: 10 * 60_000,
      });
      if (r.exitCode !== 0) failed.push(name);
    }
    pending = failed;
  }
  return { ms: Date.now() - t, ok: pending.length === 0, rounds };
}

async function main(): Promise<void> {
  const source = join(work, 'synthetic');
  const info = generateSyntheticWorkspace(source, { crates: Number(args.crates), layers: Number(args.layers), seed: Number(args.seed), lockfile: true });
  const plan = planWorkspace(source);
  const versions = new Map(plan.crates.map((c) => [c.name, c.version]));
  const rates = scaleRateLimits(CRATES_IO_RATE_LIMITS, SCALE);
  const floor = RateBudget.floorMs(rates['publish-update'], plan.crates.length);
  const pathBound = plan.waves.length * DELAY;
  const bound = Math.max(pathBound, floor);
  log(
    `synthetic workspace: ${info.crates.length} crates, ${plan.crates.length} published, critical path ${plan.waves.length} waves (${plan.waves.map((w) => w.length).join('/')})`,
  );
  log(
    `registry: index delay ${DELAY} ms; crates.io limits x${SCALE.toFixed(6)} (new versions: burst 30, then 1 per ${rates['publish-update']!.periodMs} ms); previous release already published`,
  );
  log(`lower bound: max(critical path ${plan.waves.length} x ${DELAY} ms = ${secs(pathBound)}, rate-limit floor ${secs(floor)}) = ${secs(bound)}`);
  log('');

  const results: Array<{ name: string; ms: number; ok: boolean; note: string }> = [];
  const measure = async (name: string, fn: (e: Env) => Promise<{ ms: number; ok: boolean; note: string }>) => {
    const e = await freshEnv(source, plan, name.replace(/\W+/g, '-'), { delayMs: DELAY, scale: SCALE });
    try {
      log(`running: ${name} ...`);
      const before = await e.registry.stats();
      const r = await fn(e);
      const after = await e.registry.stats();
      r.note = `${r.note}${r.note ? '; ' : ''}registry served ${after.requests - before.requests} requests (${secs(after.cpuMs - before.cpuMs)} CPU)`;
      const check = await checkAllOnce(e, plan, name);
      results.push({ name, ms: r.ms, ok: r.ok && check === 'ok', note: check === 'ok' ? r.note : `${r.note} ${check}`.trim() });
      log(`  ${secs(r.ms)}${r.ok ? '' : ' (FAILED)'} ${r.note}`);
    } finally {
      await e.registry.stop();
    }
  };

  await measure('crate-train', async (e) => {
    const r = await crateTrain(e, SCALE);
    return {
      ms: r.ms,
      ok: r.ok,
      note: `concurrency ${CONCURRENCY}, poll ${POLL} ms; mean cargo publish ${secs(r.avgUpload)}; first upload at ${secs(r.startMs)}; ${r.rateWaits} rate-limit waits`,
    };
  });
  await measure('cargo publish --workspace --no-verify', async (e) => {
    const r = await cargoWorkspace(e, false);
    return { ms: r.ms, ok: r.ok, note: r.error };
  });
  if (args['with-verify']) {
    await measure('cargo publish --workspace (verify)', async (e) => {
      const r = await cargoWorkspace(e, true);
      return { ms: r.ms, ok: r.ok, note: r.error };
    });
  }
  if (!args['skip-wasmtime']) {
    const gap = Number(args['round-gap-ms']);
    await measure('Wasmtime strategy (list order, 1 at a time)', async (e) => {
      const r = await wasmtimeStrategy(
        e,
        plan.crates
          .map((c) => c.listIndex)
          .sort((a, b) => a - b)
          .map((i) => plan.crates.find((c) => c.listIndex === i)!.name),
        versions,
        gap,
      );
      return { ms: r.ms, ok: r.ok, note: `${r.rounds} round(s); rounds ${secs(gap)} apart (40 s on CI, scaled)` };
    });
  }

  const ct = results[0];
  log('');
  log(`${'strategy'.padEnd(46)}${'wall'.padStart(9)}  ${'x crate-train'.padStart(13)}  ${'x bound'.padStart(8)}  result`);
  for (const r of results) {
    log(
      `${r.name.padEnd(46)}${secs(r.ms).padStart(9)}  ${(r.ms / ct.ms).toFixed(2).padStart(13)}  ${(r.ms / bound).toFixed(2).padStart(8)}  ${r.ok ? 'ok' : 'FAILED'}${r.note ? ` — ${r.note}` : ''}`,
    );
  }
  log(`lower bound ${secs(bound)}; crate-train is ${(((ct.ms - bound) / bound) * 100).toFixed(1)}% above it`);

  // Where cargo publish --workspace gives up.
  log('');
  const tight = Number(args['tight-rate-scale']);
  const tightRates = scaleRateLimits(CRATES_IO_RATE_LIMITS, tight);
  log(
    `scenario 2: rate limit x${tight.toFixed(4)} (1 new version per ${tightRates['publish-update']!.periodMs} ms after 30): cargo stops at the 429, then at the already-published versions`,
  );
  {
    const e = await freshEnv(source, plan, 'tight', { delayMs: DELAY, scale: tight });
    try {
      const a = await cargoWorkspace(e, false);
      log(
        `  cargo publish --workspace --no-verify: ${a.ok ? 'completed' : 'FAILED'} after ${secs(a.ms)} with ${Object.keys((await e.registry.stats()).uploads).length} of ${plan.crates.length} published — ${a.error}`,
      );
      const b = await cargoWorkspace(e, false);
      log(`  cargo publish --workspace again: ${b.ok ? 'completed' : 'FAILED'} after ${secs(b.ms)} — ${b.error}`);
      const c = await crateTrain(e, tight);
      const floorTight = RateBudget.floorMs(tightRates['publish-update'], plan.crates.length);
      log(
        `  crate-train on the same registry: ${c.ok ? 'completed' : 'FAILED'} in ${secs(c.ms)} (${await checkAllOnce(e, plan, 'crate-train')}; rate-limit floor of a fresh bucket ${secs(floorTight)}; 429s answered ${(await e.registry.stats()).rateLimited})`,
      );
    } finally {
      await e.registry.stop();
    }
  }

  if (args['slow-index']) {
    log('');
    log('scenario 3: an index slower than 60 s (65 s), a 3-crate chain');
    const small = join(work, 'small');
    generateSyntheticWorkspace(small, { crates: 3, layers: 2, seed: 3, lockfile: true });
    const smallPlan = planWorkspace(small);
    const e = await freshEnv(small, smallPlan, 'slow', { delayMs: 65_000, scale: SCALE });
    try {
      const a = await cargoWorkspace(e, false);
      log(
        `  cargo publish --workspace --no-verify: ${a.ok ? 'completed' : 'FAILED'} after ${secs(a.ms)} with ${Object.keys((await e.registry.stats()).uploads).length} of ${smallPlan.crates.length} published — ${a.error}`,
      );
      const c = await crateTrain(e, SCALE);
      log(`  crate-train: ${c.ok ? 'completed' : 'FAILED'} in ${secs(c.ms)} (${await checkAllOnce(e, smallPlan, 'crate-train')})`);
    } finally {
      await e.registry.stop();
    }
  }
}

main()
  .catch((e: Error) => {
    process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
