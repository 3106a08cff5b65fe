import { run } from '@crate-train/proc';
import { makeTempDir } from './temp-dirs';

/** Deterministic author/committer for commits made by tests (spread it into other git calls). */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_AUTHOR_NAME: 'Crate Train Tests',
  GIT_AUTHOR_EMAIL: 'tests@crate-train.invalid',
  GIT_COMMITTER_NAME: 'Crate Train Tests',
  GIT_COMMITTER_EMAIL: 'tests@crate-train.invalid',
};

const GIT_CONFIG = ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false'];

/** Runs git in `dir`; returns trimmed stdout, throws CommandError (with stderr) on failure. */
export async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', [...GIT_CONFIG, ...args], { cwd: dir, env: { ...GIT_ENV } });
  return stdout.trim();
}

/** Stages everything in `dir` and commits it; returns the new commit's sha. */
export async function commitAll(dir: string, message: string): Promise<string> {
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/**
 * Makes `dir` a git repository with everything committed as "Initial commit",
 * and a bare `origin` (another temp dir) that has the branch, pushed with upstream.
 */
export async function initRepoWithOrigin(dir: string, opts: { branch?: string } = {}): Promise<{ origin: string }> {
  const branch = opts.branch ?? 'main';
  await git(dir, 'init', '-q', '-b', branch);
  await commitAll(dir, 'Initial commit');
  const origin = makeTempDir('origin');
  await git(origin, 'init', '-q', '--bare', '-b', branch);
  await git(dir, 'remote', 'add', 'origin', origin);
  await git(dir, 'push', '-q', '-u', 'origin', branch);
  return { origin };
}
