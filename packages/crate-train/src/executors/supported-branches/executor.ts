import { appendFileSync } from 'node:fs';
import type { ExecutorContext } from '@nx/devkit';
import { readReleaseBranches } from '@crate-train/security';
import { ciBranches, utcToday } from '@crate-train/support-policy';
import { pluginOptionsIn } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import { refuseBadOptions } from '../shared/options-check';
import type { SupportedBranchesExecutorSchema } from './schema';
import schema from './schema.json';

/**
 * `nx run release:supported-branches [--json] [--no-fetch]`: the release branches
 * the weekly workflow dispatches CI on (libs/support-policy ciBranches), read from
 * the remote's branches and their RELEASES.md dates.
 */
export default async function runExecutor(options: SupportedBranchesExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('supported-branches', options, schema, context)) return { success: false };
  const { out, err } = executorOutput();
  try {
    const settings = pluginOptionsIn(context.nxJsonConfiguration, context.root);
    if (options.newest !== undefined && options.newest < 0) throw new Error(`--newest=${options.newest}: give a count of 0 or more`);
    const today = options.today ?? utcToday();
    const branches = await readReleaseBranches(context.root, {
      remote: settings.remote,
      branchPrefix: settings.branchPrefix,
      releasesFile: settings.releasesFile,
      fetch: options.fetch !== false,
    });
    const picked = ciBranches(branches, { today, policy: settings.supportPolicy, newest: options.newest });
    const names = JSON.stringify(picked.map((b) => b.branch));
    // GitHub Actions: a step output the matrix job reads, apart from whatever nx prints around the run.
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `branches=${names}\n`);
    if (options.json) {
      out(names);
      return { success: true };
    }
    out(`Release branches CI keeps green on ${today} (the newest ${options.newest ?? 3}, plus supported LTS lines):`);
    for (const b of picked) {
      const why = b.why === 'newest' ? 'one of the newest' : `LTS, supported until ${b.endOfSupport}`;
      out(`  ${b.branch} (${b.version}): ${why}`);
    }
    if (picked.length === 0) out(`  none: no ${settings.branchPrefix}X.Y.Z branch on ${settings.remote}`);
    return { success: true };
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return { success: false };
  }
}
