// The Nx remote cache across two machines, end to end: two clones of the sample
// at different absolute paths, each with its own .nx/ and target/, real nx
// talking to the self-hosted cache API (tools/remote-cache-stand-in) through
// NX_SELF_HOSTED_REMOTE_CACHE_SERVER. Nx 22 needs no licence for it.
//   A runs check/test/clippy and release:verify and uploads (write token);
//   B runs the same and gets a remote hit for every task (read-only token, as a PR build);
//   a change to one crate in B misses exactly that crate and its dependents;
//   RUSTFLAGS or the toolchain (`rustc --version`) misses every cargo task;
//   side-effect targets never ask the cache.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { startRemoteCacheStandIn, type RemoteCacheStandIn } from '@crate-train/remote-cache-stand-in';
import { cargoMetadata, copySample, git, initRepoWithOrigin, installPlugin, REPO_ROOT, runNx, tempDirs } from '@crate-train/testing';

const tmp = tempDirs();
let cache: RemoteCacheStandIn;
beforeAll(async () => {
  cache = await startRemoteCacheStandIn({ writeTokens: ['main-branch-token'], readTokens: ['pull-request-token'] });
});
afterAll(async () => {
  await cache?.stop();
  tmp.cleanup();
});

// A local plugin that records each task's hash and cache status after every run (Nx's postTasksExecution hook).
const TASK_REPORT = `const { appendFileSync } = require('node:fs');
const { join } = require('node:path');
module.exports = {
  name: 'task-report',
  postTasksExecution: async (_options, context) => {
    const tasks = Object.values(context.taskResults).map((r) => ({ id: r.task.id, hash: r.task.hash, status: r.status }));
    appendFileSync(join(context.workspaceRoot, '.nx', 'task-report.jsonl'), JSON.stringify(tasks) + '\\n');
  },
};
`;

/** Installs the task-report plugin as a package (node_modules is not in git: each machine installs it). */
function addTaskReport(dir: string): void {
  const pkg = join(dir, 'node_modules', 'task-report');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'task-report', version: '0.0.0', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), TASK_REPORT);
}

interface TaskRun {
  id: string;
  hash: string;
  status: string;
}

/** The tasks of the last nx run in `dir`. */
function lastRun(dir: string): TaskRun[] {
  const lines = readFileSync(join(dir, '.nx', 'task-report.jsonl'), 'utf8')
    .trim()
    .split('\n');
  return JSON.parse(lines[lines.length - 1]) as TaskRun[];
}

const missed = (tasks: TaskRun[]) =>
  tasks
    .filter((t) => t.status !== 'remote-cache' && t.status !== 'local-cache' && t.status !== 'local-cache-kept-existing')
    .map((t) => t.id)
    .sort();

function cacheEnv(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token, ...extra };
}

const TARGETS = ['check', 'test', 'clippy'];

async function runAll(dir: string, env: Record<string, string>, targets = TARGETS): Promise<{ tasks: TaskRun[]; ms: number }> {
  const t0 = Date.now();
  await runNx(dir, ['run-many', '-t', targets.join(','), '--parallel=2'], { env, timeoutMs: 900_000 });
  const tasks = lastRun(dir);
  if (targets === TARGETS) {
    await runNx(dir, ['run', 'release:verify'], { env, timeoutMs: 900_000 });
    tasks.push(...lastRun(dir));
  }
  return { tasks, ms: Date.now() - t0 };
}

/** Every crate that depends on `name`, directly or not, by any kind of dependency (from cargo metadata, not Nx). */
async function dependentsOf(dir: string, name: string): Promise<Set<string>> {
  const meta = await cargoMetadata(dir);
  const users = new Map<string, string[]>();
  for (const p of meta.packages) for (const d of p.dependencies) if (d.path) users.set(d.name, [...(users.get(d.name) ?? []), p.name]);
  const out = new Set<string>();
  const todo = [name];
  while (todo.length) {
    for (const u of users.get(todo.pop()!) ?? []) {
      if (out.has(u)) continue;
      out.add(u);
      todo.push(u);
    }
  }
  return out;
}

/** Writes dist/test-results/remote-cache.md (and logs it): per target and per task, B's cache status and the bytes stored. */
function writeReport(onA: TaskRun[], onB: TaskRun[], sizes: Map<string, number>, msA: number, msB: number): void {
  const statusB = new Map(onB.map((t) => [t.id, t.status]));
  const byTarget = new Map<string, { tasks: number; hitsB: number; bytes: number }>();
  for (const t of onA) {
    const target = t.id.slice(t.id.lastIndexOf(':') + 1);
    const row = byTarget.get(target) ?? { tasks: 0, hitsB: 0, bytes: 0 };
    row.tasks++;
    if (statusB.get(t.id) === 'remote-cache') row.hitsB++;
    row.bytes += sizes.get(t.hash) ?? 0;
    byTarget.set(target, row);
  }
  const lines = [
    `# Remote cache across two clones (remote-cache.e2e.spec.ts)`,
    '',
    `Wall time of check,test,clippy + release:verify: A (cold, uploads) ${(msA / 1000).toFixed(1)} s, B (remote hits) ${(msB / 1000).toFixed(1)} s.`,
    '',
    '| target | tasks | remote hits on B | bytes stored |',
    '|---|---:|---:|---:|',
    ...[...byTarget].map(([target, r]) => `| ${target} | ${r.tasks} | ${r.hitsB} | ${r.bytes} |`),
    '',
    '| task | status on B | bytes stored |',
    '|---|---|---:|',
    ...onA.map((t) => `| ${t.id} | ${statusB.get(t.id)} | ${sizes.get(t.hash) ?? 0} |`).sort(),
  ];
  const out = join(REPO_ROOT, 'dist', 'test-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'remote-cache.md'), lines.join('\n') + '\n');
  console.log(lines.join('\n'));
}

describe('the Nx remote cache across two clones', () => {
  it('B hits every task A uploaded; a change misses exactly its crate and dependents; RUSTFLAGS and the toolchain miss everything; side effects never touch the cache', async () => {
    const a = copySample(tmp.make('cache-machine-a'));
    writeFileSync(join(a, 'nx.json'), JSON.stringify({ plugins: ['task-report'] }, null, 2) + '\n');
    await installPlugin(a);
    addTaskReport(a);
    const { origin } = await initRepoWithOrigin(a);
    // Machine B: another absolute path, its own clone, node_modules, .nx/ and target/.
    const b = join(tmp.make('cache-machine-b'), 'elsewhere', 'wasmtime');
    await run('git', ['clone', '-q', origin, b]);
    await installPlugin(b);
    addTaskReport(b);
    expect((await git(b, 'status', '--porcelain')).trim()).toBe('');

    // A: a push to main, with the write token.
    const runA = await runAll(a, cacheEnv('main-branch-token'));
    const ids = runA.tasks.map((t) => t.id).sort();
    expect(ids).toContain('release:verify');
    expect(ids.filter((id) => id.endsWith(':check'))).toHaveLength(13);
    expect(missed(runA.tasks)).toEqual(ids);
    const puts = cache.requests().filter((r) => r.method === 'PUT' && r.status === 202);
    expect(new Set(puts.map((p) => p.hash))).toEqual(new Set(runA.tasks.map((t) => t.hash)));

    // B: a pull request, with the read-only token: every task is a remote hit, nothing is written.
    cache.clearRequests();
    const runB = await runAll(b, cacheEnv('pull-request-token'));
    expect(runB.tasks.map((t) => t.id).sort()).toEqual(ids);
    expect(runB.tasks.filter((t) => t.status !== 'remote-cache')).toEqual([]);
    expect(new Set(runB.tasks.map((t) => t.hash))).toEqual(new Set(runA.tasks.map((t) => t.hash)));
    expect(cache.requests().filter((r) => r.method === 'PUT' && r.status === 202)).toEqual([]);
    expect(existsSync(join(b, 'target'))).toBe(false);

    // build declares its artifacts as outputs: a hit restores the binary and the .rlib, not the shared target/ folder.
    const builds = ['run-many', '-t', 'build', '-p', 'wasmtime-cli,cranelift-entity'];
    await runNx(a, builds, { env: cacheEnv('main-branch-token'), timeoutMs: 900_000 });
    const buildA = lastRun(a);
    await runNx(b, builds, { env: cacheEnv('pull-request-token'), timeoutMs: 900_000 });
    const buildB = lastRun(b);
    expect(buildB.map((t) => t.status)).toEqual(['remote-cache', 'remote-cache']);
    expect(existsSync(join(b, 'target', 'debug', 'wasmtime'))).toBe(true);
    expect(existsSync(join(b, 'target', 'debug', 'libcranelift_entity.rlib'))).toBe(true);
    expect(existsSync(join(b, 'target', 'debug', 'deps'))).toBe(false);
    expect(existsSync(join(b, 'target', 'debug', '.fingerprint'))).toBe(false);
    // The report: per task and per target, B's status and the bytes stored; the wall times (reported, not asserted).
    writeReport([...runA.tasks, ...buildA], [...runB.tasks, ...buildB], cache.entries(), runA.ms, runB.ms);

    // A change to one crate in B: exactly it and its dependents miss (verify reads every published crate's files).
    // B's read-only token cannot store what it ran (403): a pull request cannot poison the cache.
    appendFileSync(join(b, 'cranelift', 'entity', 'src', 'lib.rs'), '\n// touched on machine B\n');
    cache.clearRequests();
    const stored = cache.entries().size;
    const changed = await runAll(b, cacheEnv('pull-request-token'));
    const putsB = cache.requests().filter((r) => r.method === 'PUT');
    expect(putsB.length).toBeGreaterThan(0);
    expect(new Set(putsB.map((r) => r.status))).toEqual(new Set([403]));
    expect(cache.entries().size).toBe(stored);
    const crates = new Set(['cranelift-entity', ...(await dependentsOf(b, 'cranelift-entity'))]);
    expect(crates.size).toBeGreaterThan(2);
    const expected = [...[...crates].flatMap((c) => TARGETS.map((t) => `${c}:${t}`)), 'release:verify'].sort();
    expect(missed(changed.tasks)).toEqual(expected);

    // RUSTFLAGS: every cargo task misses.
    const withFlags = await runAll(b, cacheEnv('pull-request-token', { RUSTFLAGS: '-Cdebuginfo=0' }), ['check']);
    expect(missed(withFlags.tasks)).toEqual(withFlags.tasks.map((t) => t.id).sort());
    expect(withFlags.tasks).toHaveLength(13);

    // Another toolchain (what `rustc --version` prints): every cargo task misses.
    const bin = tmp.make('other-toolchain');
    const realRustc = (await run('sh', ['-c', 'command -v rustc'])).stdout.trim();
    writeFileSync(
      join(bin, 'rustc'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "rustc 9.99.0 (0000000 2099-01-01)"; exit 0; fi\nexec ${realRustc} "$@"\n`,
    );
    chmodSync(join(bin, 'rustc'), 0o755);
    const otherToolchain = await runAll(b, cacheEnv('pull-request-token', { PATH: `${bin}:${process.env.PATH}` }), ['check']);
    expect(missed(otherToolchain.tasks)).toEqual(otherToolchain.tasks.map((t) => t.id).sort());
    expect(otherToolchain.tasks).toHaveLength(13);

    // Side-effect targets: never cached, never ask the remote cache, even with a write token.
    const release = JSON.parse((await runNx(a, ['show', 'project', 'release', '--json'])).stdout) as { targets: Record<string, { cache?: boolean }> };
    for (const t of ['cut', 'patch', 'tag', 'publish', 'bump', 'pr']) expect(release.targets[t]?.cache).toBe(false);
    cache.clearRequests();
    for (let i = 0; i < 2; i++) {
      await runNx(a, ['run', 'release:bump', '--kind=patch', '--dry-run'], { env: cacheEnv('main-branch-token') });
      expect(lastRun(a).map((t) => t.status)).toEqual(['success']);
    }
    expect(cache.requests()).toEqual([]);
  });
});
