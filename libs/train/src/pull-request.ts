import { Run, type Mode, type TrainContext } from './context';
import type { PullRequestResult, PullRequestSpec } from './github-port';
import { TrainError } from './errors';

export interface PullRequestStepResult {
  mode: Mode;
  spec: PullRequestSpec;
  pr?: PullRequestResult;
  lines: string[];
}

/** The PR step alone: create the PR of `head`, or find the open one and update it (never a duplicate). */
export async function openPullRequest(ctx: TrainContext & PullRequestSpec): Promise<PullRequestStepResult> {
  const run = await Run.open(ctx);
  const spec: PullRequestSpec = { head: ctx.head, base: ctx.base, title: ctx.title, body: ctx.body };
  for (const k of ['head', 'base', 'title'] as const) if (!spec[k]) throw new TrainError(`The pull request needs --${k}.`);
  if (!run.publishes) {
    run.log(`would open or update the pull request ${spec.head} -> ${spec.base}: "${spec.title}" (${run.mode})`);
    for (const l of spec.body.split('\n')) run.log(`    > ${l}`);
    return { mode: run.mode, spec, lines: run.lines };
  }
  const gh = await run.requireGitHub(`The pull request "${spec.title}"`);
  const remoteSha = await run.git.remoteBranchSha(run.options.remote, spec.head);
  if (!remoteSha) throw new TrainError(`${spec.head} is not on ${run.options.remote}: push it before opening its pull request.`);
  const pr = await gh.ensurePullRequest(spec);
  run.log(`pull request #${pr.number} ${pr.action}: ${spec.title} (${spec.head} -> ${spec.base}) ${pr.url}`);
  return { mode: run.mode, spec, pr, lines: run.lines };
}
