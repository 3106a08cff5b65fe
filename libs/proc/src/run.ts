import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redact } from './redact';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Do not throw on a non-zero exit; the caller reads exitCode. */
  reject?: boolean;
  timeoutMs?: number;
  /** Extra strings to hide from errors (a token passed on a command line). */
  secrets?: string[];
  /**
   * Capture stdout and stderr through files instead of pipes: for a program
   * that exits without draining a pipe (nx cuts its output off then, nrwl/nx#36606).
   */
  outputToFiles?: boolean;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

type Execa = typeof import('execa');
let execaModule: Promise<Execa> | undefined;
// execa is ESM-only; this package is CommonJS, so load it with a real import().
function loadExeca(): Promise<Execa> {
  execaModule ??= import('execa');
  return execaModule;
}

/** Runs a program (no shell). Errors carry the command, exit code and stderr, with secrets redacted. */
export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const { execa } = await loadExeca();
  const dir = opts.outputToFiles ? mkdtempSync(join(tmpdir(), 'crate-train-run-')) : undefined;
  // The child writes straight into the files (their descriptors), so nothing sits in a pipe or a stream when it exits.
  const fds = dir ? { stdout: openSync(join(dir, 'stdout'), 'w'), stderr: openSync(join(dir, 'stderr'), 'w') } : undefined;
  const files = fds ?? {};
  const result = await execa(file, args, {
    ...files,
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    input: opts.input,
    reject: false,
    stripFinalNewline: true,
    timeout: opts.timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (fds) {
    closeSync(fds.stdout);
    closeSync(fds.stderr);
  }
  const captured = (name: 'stdout' | 'stderr') => readFileSync(join(dir!, name), 'utf8').replace(/\r?\n$/, '');
  const out: RunResult = {
    stdout: dir ? captured('stdout') : String(result.stdout ?? ''),
    stderr: dir ? captured('stderr') : String(result.stderr ?? ''),
    exitCode: result.exitCode ?? -1,
  };
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (out.exitCode !== 0 && opts.reject !== false) {
    const cmd = redact([file, ...args].join(' '), opts.secrets);
    const why = result.timedOut ? `timed out after ${opts.timeoutMs} ms` : `exited with ${out.exitCode}`;
    const detail = redact((out.stderr || out.stdout).trim(), opts.secrets);
    throw new CommandError(
      `\`${cmd}\` ${why}${opts.cwd ? ` (in ${opts.cwd})` : ''}${detail ? `:\n${detail}` : ''}`,
      cmd,
      result.exitCode,
      out.stdout,
      out.stderr,
    );
  }
  return out;
}
