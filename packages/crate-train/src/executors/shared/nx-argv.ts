// Flags Nx keeps for itself never reach an executor's options: `--version` (Nx
// prints or drops it) and the `--base` of `nx affected`. Users type them as the
// docs show (`nx run release:patch --version=2.0.1`), so we read them from the
// command line of the nearest nx process above this task.
import { existsSync, readFileSync } from 'node:fs';
import { run } from '@crate-train/proc';

export interface NxCommandLine {
  /** The arguments after the nx CLI script (`run`, `release:patch`, `--version=2.0.1`, ...). */
  args: string[];
}

/** The nx arguments of `argv` when it runs the nx CLI, else undefined. */
export function nxArgsOf(argv: string[]): string[] | undefined {
  const nxAt = argv.findIndex((a) => /(^|[\\/])nx(\.js|\.cmd)?$/.test(a));
  return nxAt < 0 ? undefined : argv.slice(nxAt + 1);
}

/**
 * The value of `--name=value` (or `--name value`) in nx arguments. An empty
 * `--name=` is undefined, or '' with `keepEmpty` (so the caller can refuse it).
 */
export function flagValue(args: string[], name: string, opts: { keepEmpty?: boolean } = {}): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3) || (opts.keepEmpty ? '' : undefined);
    if (a === `--${name}` && args[i + 1] && !args[i + 1]!.startsWith('-')) return args[i + 1];
  }
  return undefined;
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
 * The arguments of the nx command running this task. Only the nearest nx
 * process counts: an nx started by a task of an outer nx (tests, nested
 * workspaces) must not see the outer command's flags.
 */
export async function invokingNxArgs(): Promise<string[] | undefined> {
  const own = nxArgsOf(process.argv);
  if (own) return own;
  let pid = process.ppid;
  for (let depth = 0; depth < 12 && pid > 1; depth++) {
    const p = await parentAndArgv(pid);
    if (!p) return undefined;
    const args = nxArgsOf(p.argv);
    if (args) return args;
    pid = p.ppid;
  }
  return undefined;
}

/**
 * `--version=X.Y.Z` as typed on `nx run <project>:<target> --version=...`: Nx
 * swallows it, so an executor whose option is unset asks the nx command line.
 * Only a command that runs `target` counts. An empty `--version=` is '' (an
 * error for the executor, never the default).
 */
export async function versionFlagOfInvokingNx(target: string): Promise<string | undefined> {
  const args = await invokingNxArgs();
  if (!args) return undefined;
  const runsTarget = args.some((a) => a === target || a.endsWith(`:${target}`)) || (args.includes('-t') && args.includes(target));
  return runsTarget ? flagValue(args, 'version', { keepEmpty: true }) : undefined;
}
