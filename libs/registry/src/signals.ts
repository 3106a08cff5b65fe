// SIGINT/SIGTERM as an AbortSignal for publishWorkspace/publishPlan: the first signal
// stops new uploads (those in flight finish, the summary says what was uploaded and
// that a re-run resumes); a second one ends the process at once (the in-flight
// journal makes the next run wait for any cargo left running).
import { constants } from 'node:os';

export interface SignalAbort {
  /** Aborts, with the signal's name as reason, at the first signal. */
  signal: AbortSignal;
  /** Removes the handlers (call when publishing is over). */
  dispose(): void;
}

export interface AbortOnSignalsOptions {
  /** Default SIGINT and SIGTERM. */
  signals?: NodeJS.Signals[];
  /** Told about each signal (`count` 1 for the first). */
  onSignal?: (signal: NodeJS.Signals, count: number) => void;
  /** What a second signal does; default: exit with 128 + the signal's number (130 for SIGINT). */
  onSecond?: (signal: NodeJS.Signals) => void;
}

export function abortOnSignals(opts: AbortOnSignalsOptions = {}): SignalAbort {
  const controller = new AbortController();
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    opts.onSignal?.(sig, count);
    if (!controller.signal.aborted) return controller.abort(sig);
    if (opts.onSecond) opts.onSecond(sig);
    else process.exit(128 + (constants.signals[sig] ?? 2));
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of signals) process.off(s, handler);
    },
  };
}
