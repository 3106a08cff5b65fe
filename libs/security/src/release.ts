import { Git } from '@crate-train/git';
import { AdvisoryPlan, PlanBranch } from './plan';
import { SecurityError } from './errors';

/**
 * The patch flow of one branch, split so that every branch is prepared (all
 * local work and checks) before anything is pushed: all or none.
 */
export interface PatchFlow<Prepared> {
  prepare(branch: PlanBranch): Promise<Prepared>;
  publish(prepared: Prepared, branch: PlanBranch): Promise<PublishedPatch>;
}

export interface PublishedPatch {
  branch: string;
  version: string;
  /** PR URL or number, for the report. */
  pr?: string;
  /** What a dry run would have done. */
  note?: string;
}

export interface BranchFailure {
  branch: string;
  reason: string;
}

export class SecurityReleaseError extends SecurityError {
  constructor(readonly failures: BranchFailure[]) {
    super(
      `No pull request was opened: ${failures.length} of the advisory's branches cannot be prepared:\n` +
        failures.map((f) => `  - ${f.branch}: ${f.reason}`).join('\n') +
        '\nFix these (or edit the advisory) and run security-release again.',
    );
    this.name = 'SecurityReleaseError';
  }
}

const SHA = /^[0-9a-f]{7,40}$/i;

/**
 * Checks a required commit is on `ref`: a SHA must be an ancestor; any other
 * text must appear in the message of a commit reachable from `ref` (survives squash merges).
 */
export async function hasRequiredCommit(root: string, ref: string, required: string): Promise<boolean> {
  const git = new Git(root);
  // An unknown hex word is no commit here: look for it in the messages instead.
  if (SHA.test(required) && (await git.hasObject(required))) return git.isAncestor(required, ref);
  return (await git.findCommitWithMessage(ref, required)) !== undefined;
}

/** The advisory's own checks of a branch (the patch flow adds its own: clean tree, version, ...). */
export async function checkRequiredCommits(root: string, remote: string, b: PlanBranch): Promise<void> {
  const missing: string[] = [];
  for (const c of b.requiredCommits) if (!(await hasRequiredCommit(root, `${remote}/${b.branch}`, c))) missing.push(c);
  if (missing.length) {
    throw new SecurityError(
      `required commit${missing.length > 1 ? 's' : ''} missing from ${remote}/${b.branch}: ${missing.map((m) => `"${m}"`).join(', ')} ` +
        '(merge the CI fix / the fix PR into the branch first)',
    );
  }
}

/**
 * Prepares every branch, then publishes every branch, in the plan's order.
 * If any branch fails to prepare, nothing is published and the error lists
 * each failing branch with its reason.
 */
export async function runSecurityRelease<P>(plan: AdvisoryPlan, flow: PatchFlow<P>, log: (line: string) => void = () => undefined): Promise<PublishedPatch[]> {
  const prepared: Array<{ b: PlanBranch; p: P }> = [];
  const failures: BranchFailure[] = [];
  for (const b of plan.branches) {
    try {
      prepared.push({ b, p: await flow.prepare(b) });
      log(`prepared ${b.branch}: ${b.version} -> ${b.nextVersion}`);
    } catch (e) {
      failures.push({ branch: b.branch, reason: (e as Error).message });
    }
  }
  if (failures.length) throw new SecurityReleaseError(failures);

  const done: PublishedPatch[] = [];
  for (const { b, p } of prepared) {
    try {
      done.push(await flow.publish(p, b));
    } catch (e) {
      throw new SecurityError(
        `Publishing the patch of ${b.branch} failed after ${done.length} of ${prepared.length} branches ` +
          `(${done.map((d) => d.branch).join(', ') || 'none'}) were published: ${(e as Error).message}\n` +
          'Run security-release again: branches already pushed and PRs already open are reused.',
      );
    }
  }
  return done;
}

/** The body paragraph the patch PRs carry about the advisory. */
export function advisoryPrNote(plan: AdvisoryPlan, b: PlanBranch): string {
  return [
    `This is the ${b.nextVersion} patch release of a coordinated security release for ${plan.ghsa} (severity: ${plan.severity}),`,
    `patching ${plan.branches.map((x) => x.branch).join(', ')} together.`,
    '',
    'The fix itself is not part of this PR: merge this once the fix is on this branch and CI is green.',
    'The advisory is published once all of these patch releases are out.',
  ].join('\n');
}
