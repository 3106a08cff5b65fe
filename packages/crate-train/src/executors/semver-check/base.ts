// Where the base revision of a semver check comes from, in order:
// 1. the target's own `base` option (`nx run wasmtime:semver-check --base=v5.0.0`);
// 2. the `--base` of the `nx affected` command running this task. Nx consumes
//    that flag to compute the affected projects and does not pass it on (it
//    only forwards an NX_BASE the user exported), so we read it from the
//    command line of the nx process above us;
// 3. NX_BASE (set by nrwl/nx-set-shas or by hand);
// 4. the highest v* tag reachable from HEAD.
import { existsSync, readFileSync } from 'node:fs';
import { rsort, valid } from 'semver';
import { run } from '@crate-train/proc';

export interface ResolvedBase {
  base: string;
  source: 'option' | 'nx affected --base' | 'NX_BASE' | 'latest v* tag';
}

/**
 * Reads an nx command line: `isNx` when `argv` runs the nx CLI, and `base` the
 * value of `--base` when that command is `nx affected`.
 */
export function readNxArgv(argv: string[]): { isNx: boolean; base?: string } {
  const nxAt = argv.findIndex((a) => /(^|[\\/])nx(\.js|\.cmd)?$/.test(a));
  if (nxAt < 0) return { isNx: false };
  const rest = argv.slice(nxAt + 1);
  if (!rest.includes('affected')) return { isNx: true };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a.startsWith('--base=')) return { isNx: true, base: a.slice('--base='.length) || undefined };
    if (a === '--base' && rest[i + 1] && !rest[i + 1]!.startsWith('-')) return { isNx: true, base: rest[i + 1] };
  }
  return { isNx: true };
}

async function parentAndArgv(pid: number): Promise<{ ppid: number; argv: string[] } | undefined> {
  // Linux: exact argv from /proc. Elsewhere (macOS): ps, whose args are space-joined.
  const proc = `/proc/${pid}`;
  if (existsSync(`${proc}/cmdline`)) {
    try {
      const argv = readFileSync(`${proc}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const stat = readFileSync(`${proc}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return { ppid, argv };
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  const r = await run('ps', ['-o', 'ppid=,args=', '-p', String(pid)], { reject: false }).catch(() => undefined);
  const m = r?.exitCode === 0 ? /^\s*(\d+)\s+(.*)$/.exec(r.stdout) : null;
  return m ? { ppid: Number(m[1]), argv: m[2]!.split(/\s+/) } : undefined;
}

/**
 * `--base` of the nx command running this task, when it is `nx affected`. Only
 * the nearest nx process counts: an nx started by a task of an outer
 * `nx affected` (tests, nested workspaces) must not inherit the outer base.
 */
export async function baseOfInvokingNxAffected(): Promise<string | undefined> {
  const own = readNxArgv(process.argv);
  if (own.isNx) return own.base;
  let pid = process.ppid;
  for (let depth = 0; depth < 12 && pid > 1; depth++) {
    const p = await parentAndArgv(pid);
    if (!p) return undefined;
    const nx = readNxArgv(p.argv);
    if (nx.isNx) return nx.base;
    pid = p.ppid;
  }
  return undefined;
}

/** The highest `v*` tag (by semver) that HEAD contains. */
export async function latestVersionTag(repoDir: string): Promise<string | undefined> {
  const r = await run('git', ['tag', '--merged', 'HEAD', '--list', 'v*'], { cwd: repoDir, reject: false });
  if (r.exitCode !== 0) return undefined;
  const byVersion = new Map<string, string>();
  for (const tag of r.stdout.split('\n').map((t) => t.trim())) {
    const v = valid(tag.slice(1));
    if (v) byVersion.set(v, tag);
  }
  const [top] = rsort([...byVersion.keys()]);
  return top ? byVersion.get(top) : undefined;
}

export async function resolveBase(optionBase: string | undefined, repoDir: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedBase> {
  if (optionBase) return { base: optionBase, source: 'option' };
  const fromAffected = await baseOfInvokingNxAffected();
  if (fromAffected) return { base: fromAffected, source: 'nx affected --base' };
  if (env.NX_BASE) return { base: env.NX_BASE, source: 'NX_BASE' };
  const tag = await latestVersionTag(repoDir);
  if (tag) return { base: tag, source: 'latest v* tag' };
  throw new Error(
    'semver-check: no base revision to compare with, and no v* tag is reachable from HEAD. ' +
      'Pass one: `nx affected -t semver-check --base=v5.0.0`, `nx run <crate>:semver-check --base=v5.0.0`, or set NX_BASE.',
  );
}
