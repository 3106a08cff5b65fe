// The commands the demo runs, printed as a maintainer would type them: real
// `nx` in the demo workspace (the BUILT plugin), and git for what a maintainer
// does by hand (check out, commit, push). A non-zero exit stops the demo with
// the command and its output.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { redact, type RunResult } from '@crate-train/proc';
import { git as gitIn, runNx } from '@crate-train/testing';
import type { DemoEnvironment } from './environment';
import { trimNxOutput, type Reporter } from './report';

export class DemoFailure extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(`\`${command}\` failed`);
    this.name = 'DemoFailure';
  }
}

export interface NxCallOptions {
  /** Lines of output shown (rest elided). */
  maxLines?: number;
  /** Print the output (default true; --quiet prints none anyway). */
  show?: boolean;
  timeoutMs?: number;
  /** The command must fail (a refusal the demo shows); succeeding is the failure. */
  expectFailure?: boolean;
}

/** An argument as a person would type it: `--text="a b"`, `"a b"`. */
export function shellQuote(arg: string): string {
  if (!/[\s"'$`\\]/.test(arg)) return arg;
  const q = (v: string) => `"${v.replace(/(["$`\\])/g, '\\$1')}"`;
  const m = /^(--[\w-]+=)(.*)$/s.exec(arg);
  return m ? m[1] + q(m[2]) : q(arg);
}

export class Shell {
  constructor(
    private readonly env: DemoEnvironment,
    private readonly rep: Reporter,
  ) {}

  /** `nx <args>` in the workspace, like `npx nx ...` there. */
  async nx(args: string[], opts: NxCallOptions = {}): Promise<RunResult & { lines: string[] }> {
    const cmd = `nx ${args.map(shellQuote).join(' ')}`;
    this.rep.command(cmd);
    const r = await runNx(this.env.workspace, args, { env: this.env.env, reject: false, timeoutMs: opts.timeoutMs ?? 600_000 });
    const lines = trimNxOutput([r.stdout, r.stderr].filter(Boolean).join('\n'));
    if ((r.exitCode !== 0) !== (opts.expectFailure === true)) {
      const why = opts.expectFailure ? 'succeeded, but the demo expected it to refuse:\n' : '';
      throw new DemoFailure(cmd, why + (redact(lines.join('\n'), this.env.secrets) || `(exit code ${r.exitCode}, no output)`));
    }
    if (opts.show !== false) this.rep.output(lines, opts.maxLines);
    return { ...r, lines };
  }

  /** git in the workspace, printed (a maintainer's own action). */
  async git(...args: string[]): Promise<string> {
    this.rep.command(`git ${args.map(shellQuote).join(' ')}`);
    return this.quietGit(...args);
  }

  /** git in the workspace, not printed (the demo looking around). */
  async quietGit(...args: string[]): Promise<string> {
    try {
      return await gitIn(this.env.workspace, ...args);
    } catch (e) {
      throw new DemoFailure(`git ${args.join(' ')}`, redact((e as Error).message, this.env.secrets));
    }
  }

  /** git in the bare origin (what "GitHub" has). */
  async origin(...args: string[]): Promise<string> {
    try {
      return await gitIn(this.env.origin, ...args);
    } catch (e) {
      throw new DemoFailure(`git ${args.join(' ')} (in the origin)`, redact((e as Error).message, this.env.secrets));
    }
  }

  /** Sha of a ref on the origin, or undefined. */
  async originRef(ref: string): Promise<string | undefined> {
    const out = await gitIn(this.env.origin, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`).catch(() => '');
    return out || undefined;
  }
}

/** What the built plugin can do: targets of the `release` project and generators with an implementation. */
export interface Capabilities {
  targets: Set<string>;
  generators: Set<string>;
}

export async function readCapabilities(env: DemoEnvironment): Promise<Capabilities> {
  const r = await runNx(env.workspace, ['show', 'project', 'release', '--json'], { env: env.env, reject: false });
  const targets = new Set<string>();
  if (r.exitCode === 0) {
    const project = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { targets?: Record<string, { executor?: string }> };
    for (const [name, t] of Object.entries(project.targets ?? {})) {
      const executor = t.executor?.replace(/^crate-train:/, '');
      // Registered in executors.json is not enough: the bundle must be there.
      if (!executor || existsSync(join(env.pluginDir, 'src', 'executors', executor, 'executor.js'))) targets.add(name);
    }
  }
  const generators = new Set<string>();
  for (const g of ['init', 'release-note', 'releases-section', 'security-advisory']) {
    if (existsSync(join(env.pluginDir, 'src', 'generators', g, 'generator.js'))) generators.add(g);
  }
  return { targets, generators };
}
