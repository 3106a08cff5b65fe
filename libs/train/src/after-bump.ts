// The `afterBump` commands: run in the bumped tree (the sandbox checkout) before
// the bump is committed, so the files they change join the bump commit. Wasmtime
// runs `cargo vet` there, which records the new versions in supply-chain/.
import { run as runProcess } from '@crate-train/proc';
import type { Run } from './context';
import { TrainError } from './errors';

export interface BumpStep {
  /** The version before and after the bump (the root crate's). */
  from: string;
  to: string;
  /** The branch the bump commit goes to. */
  branch: string;
}

/** Variables that hold credentials: the commands never see them (tokens go only to their own host). */
const SECRET_ENV = /(^|_)TOKEN$/i;

/** The most of a failing command's output an error message carries (its end, where the cause usually is). */
const MAX_OUTPUT = 8000;

/** The commands' environment: the caller's, without tokens, plus the old and new version. */
export function afterBumpEnv(base: Record<string, string | undefined>, step: BumpStep): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  // run() extends process.env; an undefined value removes the variable from the child's environment.
  for (const k of new Set([...Object.keys(process.env), ...Object.keys(base)])) if (SECRET_ENV.test(k)) env[k] = undefined;
  return { ...env, CRATE_TRAIN_OLD_VERSION: step.from, CRATE_TRAIN_NEW_VERSION: step.to, CRATE_TRAIN_BRANCH: step.branch };
}

/**
 * Runs each `afterBump` command (`sh -c`) in `dir`, in order. A command that
 * fails stops the step with its output: nothing is committed, so nothing is
 * pushed. Returns report notes (one per command).
 */
export async function runAfterBump(run: Run, dir: string, step: BumpStep): Promise<string[]> {
  const commands = run.options.afterBump;
  const notes: string[] = [];
  for (const command of commands) {
    run.log(`after bump (${step.from} -> ${step.to} on ${step.branch}): ${command}`);
    const r = await runProcess('sh', ['-c', command], { cwd: dir, env: afterBumpEnv(run.env, step), reject: false });
    const output = run.git.redact([r.stdout, r.stderr].filter((s) => s.trim()).join('\n'));
    for (const line of output ? output.split('\n') : []) run.log(`  | ${line}`);
    if (r.exitCode !== 0) {
      const shown = output.length > MAX_OUTPUT ? `…${output.slice(-MAX_OUTPUT)}` : output;
      throw new TrainError(
        `The afterBump command \`${command}\` failed (exit code ${r.exitCode}) after bumping ${step.branch} from ${step.from} to ${step.to}; ` +
          `nothing was committed or pushed.${shown ? `\nIts output:\n${shown}` : ' It printed nothing.'}\n` +
          'Fix the command (the afterBump plugin option in nx.json) or the tree, then run again.',
      );
    }
    notes.push(`after bump: \`${command}\` ran`);
  }
  return notes;
}
