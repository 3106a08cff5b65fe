// Shared glue of the release-train executors: plugin options and CLI flags
// into a TrainContext, progress lines to stdout, errors to one clear line.
import type { ExecutorContext } from '@nx/devkit';
import type { TrainContext } from '@crate-train/train';
import { pluginOptionsIn } from '../../plugin/options';
import { executorOutput } from './output';

export interface TrainFlags {
  dryRun?: boolean;
  push?: boolean;
  date?: string;
}

export function trainContext(flags: TrainFlags, context: ExecutorContext, log: (line: string) => void = executorOutput().out): TrainContext {
  return {
    root: context.root,
    options: pluginOptionsIn(context.nxJsonConfiguration, context.root),
    dryRun: flags.dryRun === true,
    push: flags.push !== false,
    date: flags.date,
    log,
  };
}

/** Runs a workflow; any error is printed (already free of secrets) and turns into success: false. */
export async function runTrain(fn: () => Promise<unknown>): Promise<{ success: boolean }> {
  try {
    await fn();
    return { success: true };
  } catch (e) {
    executorOutput().err(`error: ${(e as Error).message}`);
    return { success: false };
  }
}
