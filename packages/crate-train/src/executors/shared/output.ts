// How every executor prints: what it did as lines on stdout, what went wrong
// as lines on stderr. Each line goes through redact() (tokens in the
// environment, credentials in URLs, and the run's own secrets).
import { redact } from '@crate-train/proc';

export interface ExecutorOutput {
  /** Progress, results, reports, JSON. */
  out(line: string): void;
  /** Errors and warnings. */
  err(line: string): void;
}

/** The output of one executor run; `secrets` names what else to hide (a registry token), read at each line. */
export function executorOutput(secrets: () => string[] = () => []): ExecutorOutput {
  return {
    out: (line) => void process.stdout.write(redact(line, secrets()) + '\n'),
    err: (line) => void process.stderr.write(redact(line, secrets()) + '\n'),
  };
}
