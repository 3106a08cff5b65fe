import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git, type GitClientOptions } from '@crate-train/git';

/**
 * A scratch clone where a workflow edits files and commits: `git clone
 * --shared` of the user's repository (reads its objects, writes nothing to
 * it), so the user's checkout is never touched and a dry run leaves no trace.
 * Commits are brought back into the repository only when the run keeps them.
 */
export class Sandbox {
  private constructor(
    readonly dir: string,
    readonly git: Git,
    private readonly repo: Git,
  ) {}

  static async open(repo: Git, opts: GitClientOptions): Promise<Sandbox> {
    const dir = mkdtempSync(join(tmpdir(), 'crate-train-sandbox-'));
    try {
      await repo.raw(['clone', '--quiet', '--shared', '--no-checkout', '--no-tags', repo.cwd, dir]);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return new Sandbox(dir, new Git(dir, opts), repo);
  }

  /** Fetches commits from a remote (URL or path) into the sandbox only. */
  async fetch(remoteUrl: string, refsOrShas: string[]): Promise<void> {
    await this.git.fetchObjects(remoteUrl, refsOrShas);
  }

  /** Checks out `sha` (detached) with a clean tree. */
  async checkout(sha: string): Promise<void> {
    await this.git.raw(['checkout', '--quiet', '--force', '--detach', sha]);
    await this.git.raw(['clean', '-fdq']);
  }

  /** Copies a commit made here into the user's repository (objects only; refs are set by the caller). */
  async export(sha: string): Promise<void> {
    const ref = `refs/crate-train/export-${sha}`;
    await this.git.raw(['update-ref', ref, sha]);
    await this.repo.fetchObjects(this.dir, [ref]);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `fn` with a fresh sandbox and always removes it. */
export async function withSandbox<T>(repo: Git, opts: GitClientOptions, fn: (s: Sandbox) => Promise<T>): Promise<T> {
  const s = await Sandbox.open(repo, opts);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}
