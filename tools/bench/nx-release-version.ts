// Benchmark and check: `nx release version major` (crate-train/version-actions,
// one fixed group) against `nx run release:bump --kind=major` on two copies of
// a synthetic workspace. Both trees must end byte for byte the same, Cargo.lock
// included, and `cargo metadata --locked --offline` must accept the result.
// Run: node tools/build/run-ts.mjs tools/bench/nx-release-version.ts [--crates 300]
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run } from '@crate-train/proc';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';
import { initRepoWithOrigin, installPlugin, runNx } from '@crate-train/testing';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const CRATES = Number(arg('crates', '300'));

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      if (['node_modules', '.git', '.nx', 'target'].includes(e)) continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

async function prepare(src: string, dir: string): Promise<void> {
  cpSync(src, dir, { recursive: true });
  await installPlugin(dir);
  const nxFile = join(dir, 'nx.json');
  const nx = JSON.parse(readFileSync(nxFile, 'utf8'));
  nx.release = { projects: ['*'], projectsRelationship: 'fixed', version: { versionActions: 'crate-train/version-actions' } };
  writeFileSync(nxFile, JSON.stringify(nx, null, 2) + '\n');
  await initRepoWithOrigin(dir);
}

async function timed(what: string, f: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${what}: ${ms.toFixed(0)} ms`);
  return ms;
}

async function main() {
  const base = mkdtempSync(join(tmpdir(), 'crate-train-bench-nx-release-'));
  try {
    const src = join(base, 'src');
    const info = generateSyntheticWorkspace(src, { crates: CRATES, seed: 1, lockfile: true });
    console.log(`synthetic workspace: ${info.crates.length} crates (${info.publishOrder.length} published), ${info.edges.length} dependency edges`);
    const viaNx = join(base, 'nx-release');
    const viaBump = join(base, 'release-bump');
    await prepare(src, viaNx);
    await prepare(src, viaBump);
    const before = files(viaNx);
    // nx resolves versionActions from its own folder; the workspace's node_modules is where a real install puts crate-train.
    const env = (dir: string) => ({ NODE_PATH: join(dir, 'node_modules') });
    // Warm both (project graph cached by Nx), so the times compare the versioning, not the first graph.
    await runNx(viaNx, ['show', 'projects'], { env: env(viaNx) });
    await runNx(viaBump, ['show', 'projects'], { env: env(viaBump) });
    await timed('nx release version major --dry-run', () =>
      runNx(viaNx, ['release', 'version', 'major', '--dry-run'], { env: env(viaNx), timeoutMs: 600_000 }),
    );
    const afterDry = files(viaNx);
    if ([...before].some(([k, v]) => afterDry.get(k) !== v) || afterDry.size !== before.size) throw new Error('the dry run changed files');
    await timed('nx release version major', () => runNx(viaNx, ['release', 'version', 'major'], { env: env(viaNx), timeoutMs: 600_000 }));
    await timed('nx run release:bump --kind=major', () => runNx(viaBump, ['run', 'release:bump', '--kind=major'], { env: env(viaBump), timeoutMs: 600_000 }));
    const a = files(viaNx);
    const b = files(viaBump);
    const differ = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
    const changed = [...b.keys()].filter((k) => before.get(k) !== b.get(k));
    if (differ.length) throw new Error(`the trees differ in ${differ.length} files: ${differ.slice(0, 10).join(', ')}`);
    console.log(`identical trees: ${changed.length} files changed by both (Cargo.lock ${changed.includes('Cargo.lock') ? 'included' : 'NOT included'})`);
    await run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline', '--no-deps'], { cwd: viaNx });
    console.log('cargo metadata --locked --offline accepts the result');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
