import { Git } from '@crate-train/git';
import { checkRequiredCommits, versionInRootManifest, type PlanBranch } from '@crate-train/security';

export type BranchState = { kind: 'ready' } | { kind: 'released'; reason: string };

/**
 * The advisory's own checks of one branch, before the patch flow runs:
 * it exists on the remote; a local copy has nothing unpushed and, when checked
 * out, no uncommitted changes; it still carries the version the advisory was
 * made for; the required commits (CI fixes, the fix) are on it.
 * Returns 'released' when the branch already carries the patch version.
 */
export async function checkBranch(root: string, remote: string, b: PlanBranch): Promise<BranchState> {
  const git = new Git(root);
  const remoteRef = `refs/remotes/${remote}/${b.branch}`;
  if ((await git.revParse(remoteRef)) === undefined) {
    throw new Error(`${b.branch} does not exist on ${remote}`);
  }
  if ((await git.revParse(`refs/heads/${b.branch}`)) !== undefined) {
    const ahead = await git.countCommits(`${remoteRef}..refs/heads/${b.branch}`);
    if (ahead > 0) {
      throw new Error(
        `the local ${b.branch} has ${ahead} commit(s) not on ${remote}: push them (or reset the local branch) so the release includes what you expect`,
      );
    }
    if ((await git.currentBranch()) === b.branch) {
      const dirty = await git.dirtyPaths();
      if (dirty.length) {
        const files = dirty.slice(0, 5).join(', ');
        throw new Error(
          `${b.branch} is checked out with uncommitted changes (${files}${dirty.length > 5 ? ', ...' : ''}): commit and push them, or stash them`,
        );
      }
    }
  }
  const manifest = await git.show(`${remote}/${b.branch}`, 'Cargo.toml');
  const version = manifest ? versionInRootManifest(manifest) : null;
  if (!version) throw new Error(`cannot read the version of ${b.branch} (no version = "..." line in its root Cargo.toml)`);
  if (version === b.nextVersion) {
    return { kind: 'released', reason: `already at ${b.nextVersion} (its version-bump PR was merged): nothing to do` };
  }
  if (version !== b.version) {
    throw new Error(
      `${b.branch} is at ${version}, but the advisory was made for ${b.version} (patch ${b.nextVersion}): ` +
        `regenerate the advisory (nx g crate-train:security-advisory --overwrite ...) or fix "version"/"nextVersion" in advisory.json`,
    );
  }
  await checkRequiredCommits(root, remote, b);
  return { kind: 'ready' };
}
