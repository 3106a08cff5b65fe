import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '@crate-train/proc';

/** A bare origin plus a working clone in a temp dir, for tests of the stand-in and its clients. */
export interface BareRepoFixture {
  root: string;
  /** The bare repository (register it with the stand-in). */
  bare: string;
  /** A working clone with `origin` = bare. */
  work: string;
  /** git in the working clone. */
  git(args: string[]): Promise<string>;
  /** git in the bare repository. */
  bareGit(args: string[]): Promise<string>;
  /** Commits `files` on `branch` (created from `from`, default the current HEAD) and pushes it; returns the sha. */
  commitAndPush(branch: string, files: Record<string, string>, message: string, from?: string): Promise<string>;
  cleanup(): void;
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
};

export async function makeBareRepo(opts: { defaultBranch?: string } = {}): Promise<BareRepoFixture> {
  const main = opts.defaultBranch ?? 'main';
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crate-train-ghstandin-'));
  const bare = path.join(root, 'origin.git');
  const work = path.join(root, 'work');
  await run('git', ['init', '--quiet', '--bare', `--initial-branch=${main}`, bare]);
  await run('git', ['init', '--quiet', `--initial-branch=${main}`, work]);
  const git = async (args: string[]) => (await run('git', ['-C', work, ...args], { env: IDENTITY })).stdout;
  const bareGit = async (args: string[]) => (await run('git', ['-C', bare, ...args])).stdout;
  await git(['remote', 'add', 'origin', bare]);
  const fixture: BareRepoFixture = {
    root,
    bare,
    work,
    git,
    bareGit,
    async commitAndPush(branch, files, message, from) {
      await git(['checkout', '--quiet', '-B', branch, ...(from ? [from] : [])]);
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        fs.writeFileSync(path.join(work, file), content);
        await git(['add', '--', file]);
      }
      await git(['commit', '--quiet', '--allow-empty', '-m', message]);
      await git(['push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`]);
      return (await git(['rev-parse', 'HEAD'])).trim();
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  await fixture.commitAndPush(main, { 'README.md': '# demo\n' }, 'Initial commit');
  return fixture;
}
