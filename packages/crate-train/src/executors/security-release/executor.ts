import type { ExecutorContext } from '@nx/devkit';
import { createGitHub } from '@crate-train/github';
import { Git } from '@crate-train/git';
import { CommandError } from '@crate-train/proc';
import { advisoryPrNote, readAdvisoryPlan, runSecurityRelease, SecurityReleaseError, type PatchFlow, type PlanBranch } from '@crate-train/security';
import { compareDates, parseIsoDate, utcToday } from '@crate-train/support-policy';
import { preparePatch, publishPatch, type PreparedPatch, type TrainContext } from '@crate-train/train';
import { pluginOptionsIn, type CrateTrainOptions } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import { checkBranch } from './branch-checks';
import type { SecurityReleaseExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

type Prepared = { kind: 'released'; reason: string } | { kind: 'prepared'; patch: PreparedPatch };

/**
 * `release:security-release --advisory=<id>`: the patch flow on every branch of
 * security/<id>/advisory.json, all or none. Runs in throwaway sandboxes from the
 * remote branches, so nothing under security/ can end up in a commit.
 */
export default async function runExecutor(options: SecurityReleaseExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('security-release', options, schema, context, { required: ['advisory'] })) return { success: false };
  const { out, err } = executorOutput();
  try {
    await securityRelease(options, context.root, pluginOptionsIn(context.nxJsonConfiguration, context.root), out);
    return { success: true };
  } catch (e) {
    err((e as Error).message);
    return { success: false };
  }
}

export async function securityRelease(
  options: SecurityReleaseExecutorSchema,
  root: string,
  settings: CrateTrainOptions,
  log: (l: string) => void,
): Promise<void> {
  const plan = readAdvisoryPlan(root, options.advisory);
  const today = options.today ? parseIsoDate(options.today, '--today') : utcToday();
  const mode = options.dryRun ? 'dry run' : options.push === false ? 'no push' : 'push and open PRs';
  log(`Security release of ${plan.ghsa} (${plan.id}): ${plan.branches.map((b) => `${b.branch} -> ${b.nextVersion}`).join(', ')} [${mode}]`);
  for (const b of plan.branches) {
    if (b.endOfSupport && compareDates(today, b.endOfSupport) > 0) {
      log(`warning: ${b.branch} went out of support on ${b.endOfSupport}; it is patched because the advisory lists it.`);
    }
  }

  try {
    await new Git(root).fetch(settings.remote, [], { prune: true });
  } catch (e) {
    const why = e instanceof CommandError ? e.stderr.trim() || e.message : (e as Error).message;
    throw new Error(`Could not fetch "${settings.remote}" to check the release branches: ${why}`);
  }

  const train: TrainContext = {
    root,
    options: settings,
    dryRun: options.dryRun === true,
    push: options.push !== false,
    date: options.date,
    log,
    // Waits for GitHub's rate limits and retries are printed with the run's lines.
    connectGitHub: ({ token, repository, baseUrl }) => createGitHub({ token, repository, baseUrl, logger: { warn: log } }),
  };
  const made: PreparedPatch[] = [];
  const flow: PatchFlow<Prepared> = {
    async prepare(b: PlanBranch) {
      const state = await checkBranch(root, settings.remote, b);
      if (state.kind === 'released') return state;
      const patch = await preparePatch({ ...train, branch: b.branch, version: b.nextVersion });
      made.push(patch);
      return { kind: 'prepared', patch };
    },
    async publish(p, b) {
      if (p.kind === 'released') {
        log(`${b.branch}: ${p.reason}`);
        return { branch: b.branch, version: b.nextVersion, note: p.reason };
      }
      const pr = p.patch.commit.pr;
      const withNote: PreparedPatch = { ...p.patch, commit: { ...p.patch.commit, pr: { ...pr, body: `${advisoryPrNote(plan, b)}\n\n${pr.body}` } } };
      const r = await publishPatch(train, withNote);
      return { branch: b.branch, version: r.version, pr: r.published?.pr.url, note: r.published ? undefined : mode };
    },
  };

  try {
    const done = await runSecurityRelease(plan, flow, log);
    for (const d of done) log(`${d.branch}: ${d.version}${d.pr ? ` ${d.pr}` : d.note ? ` (${d.note})` : ''}`);
  } catch (e) {
    if (e instanceof SecurityReleaseError) await dropNewWorkBranches(root, made);
    throw e;
  }
}

/** Removes the local ci/ branches this run made, so a failed run leaves nothing half-done. */
async function dropNewWorkBranches(root: string, made: PreparedPatch[]): Promise<void> {
  const git = new Git(root);
  for (const p of made) {
    if (p.commit.source === 'new' && p.commit.kept) await git.deleteBranch(p.commit.workBranch);
  }
}
