// Benchmark: `nx run-many -t check` on the sample workspace with the built
// plugin, cold (empty Nx cache, fresh CARGO_TARGET_DIR), served from the Nx
// cache, and with the Nx cache skipped but cargo's target dir warm; then after
// one dependency's source changed (only it and its dependents re-run).
// Run: node tools/build/run-ts.mjs tools/bench/check-cache.ts [--runs 3]
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitAll, copySample, git, installPlugin, makeTempDir, removeTempDirs, runNx } from '@crate-train/testing';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 3);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Tasks Nx served from its cache, from the run-many output. */
const cachedTasks = (out: string) => (out.match(/\[(local cache|existing outputs match the cache, left as is)\]/g) ?? []).length;

async function timed(ws: string, args: string[], env: Record<string, string>) {
  const t0 = process.hrtime.bigint();
  const r = await runNx(ws, args, { env, timeoutMs: 600_000 });
  return { ms: ms(t0), cached: cachedTasks(r.stdout + r.stderr) };
}

async function main() {
  const results: Record<string, number[]> = { cold: [], cached: [], skipNxCache: [], afterEntityChange: [] };
  let tasks = 0;
  let rerunAfterChange = 0;
  for (let i = 0; i < RUNS; i++) {
    const ws = copySample();
    await installPlugin(ws);
    await git(ws, 'init', '-q', '-b', 'main');
    await commitAll(ws, 'sample');
    const env = { CARGO_TARGET_DIR: makeTempDir('bench-check-target'), CARGO_NET_OFFLINE: 'true' };
    const checkAll = ['run-many', '-t', 'check', '--output-style=stream'];
    const cold = await timed(ws, checkAll, env);
    const projects = JSON.parse((await runNx(ws, ['show', 'projects', '--with-target', 'check', '--json'], { env })).stdout) as string[];
    tasks = projects.length;
    const cached = await timed(ws, checkAll, env);
    if (cached.cached !== tasks) throw new Error(`expected ${tasks} cached tasks, saw ${cached.cached}`);
    const skip = await timed(ws, [...checkAll, '--skip-nx-cache'], env);
    appendFileSync(join(ws, 'cranelift/entity/src/lib.rs'), '\n// touched by the benchmark\n');
    const after = await timed(ws, checkAll, env);
    rerunAfterChange = tasks - after.cached;
    results.cold!.push(cold.ms);
    results.cached!.push(cached.ms);
    results.skipNxCache!.push(skip.ms);
    results.afterEntityChange!.push(after.ms);
    removeTempDirs();
  }
  console.log(`nx run-many -t check on the sample (${tasks} crates), median of ${RUNS} run(s), NX_DAEMON=false:`);
  console.log(`  cold (empty Nx cache, fresh CARGO_TARGET_DIR)  ${median(results.cold!).toFixed(0)} ms`);
  console.log(`  unchanged tree, all ${tasks} from the Nx cache     ${median(results.cached!).toFixed(0)} ms`);
  console.log(`  --skip-nx-cache, cargo target dir warm          ${median(results.skipNxCache!).toFixed(0)} ms`);
  console.log(`  after editing cranelift-entity (${rerunAfterChange} re-run)      ${median(results.afterEntityChange!).toFixed(0)} ms`);
  console.log(`  raw: ${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map((x) => Math.round(x))])))}`);
}

main().catch((e) => {
  removeTempDirs();
  console.error(e);
  process.exit(1);
});
