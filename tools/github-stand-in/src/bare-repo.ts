import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '@crate-train/proc';

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

export interface Identity {
  name: string;
  email: string;
}

/** The bare git repository behind one stand-in repo: refs live here, not in memory. */
export class BareRepo {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  /** Serializes writes (merges, ref updates) so two requests never race on one repo. */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async git(args: string[], env?: Record<string, string>): Promise<string> {
    return (await run('git', ['-C', this.dir, ...args], { env })).stdout;
  }

  private async tryGit(args: string[]): Promise<{ ok: boolean; out: string }> {
    const r = await run('git', ['-C', this.dir, ...args], { reject: false });
    return { ok: r.exitCode === 0, out: r.stdout.trim() };
  }

  /** The sha a full ref name points at (not peeled), or undefined. */
  async refSha(fullRef: string): Promise<string | undefined> {
    if (!isSafeRef(fullRef)) return undefined;
    const r = await this.tryGit(['rev-parse', '--verify', '--quiet', '--end-of-options', fullRef]);
    return r.ok && r.out ? r.out : undefined;
  }

  /** Resolves a branch name, tag or sha to a commit sha. */
  async resolveCommit(rev: string): Promise<string | undefined> {
    if (!rev || rev.startsWith('-')) return undefined;
    const r = await this.tryGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
    return r.ok && r.out ? r.out : undefined;
  }

  async objectType(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,64}$/.test(sha)) return undefined;
    const r = await this.tryGit(['cat-file', '-t', sha]);
    return r.ok ? r.out : undefined;
  }

  async branchSha(branch: string): Promise<string | undefined> {
    return this.refSha(`refs/heads/${branch}`);
  }

  /** All refs under refs/ as `{ ref, sha, type }`, sorted by name. */
  async listRefs(): Promise<{ ref: string; sha: string; type: string }[]> {
    const out = await this.git(['for-each-ref', '--format=%(refname) %(objectname) %(objecttype)', 'refs/']);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref, sha, type] = line.split(' ');
        return { ref, sha, type };
      });
  }

  /** Atomic compare-and-swap of a ref; `oldSha` '' means "must not exist yet". */
  async updateRef(fullRef: string, newSha: string, oldSha?: string): Promise<boolean> {
    const args = ['update-ref', '-m', 'github-stand-in', fullRef, newSha];
    if (oldSha !== undefined) args.push(oldSha);
    return (await this.tryGit(args)).ok;
  }

  async deleteRef(fullRef: string, oldSha: string): Promise<boolean> {
    return (await this.tryGit(['update-ref', '-d', fullRef, oldSha])).ok;
  }

  async defaultBranch(): Promise<string> {
    const r = await this.tryGit(['symbolic-ref', '--short', 'HEAD']);
    return r.ok && r.out ? r.out : 'main';
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.tryGit(['merge-base', '--is-ancestor', ancestor, descendant])).ok;
  }

  /** Commits in `base..head`, oldest first. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const out = await this.git(['rev-list', '--reverse', `${base}..${head}`]);
    return out.split('\n').filter(Boolean);
  }

  /** A real three-way merge without a worktree; undefined tree when it conflicts. */
  async mergeTree(base: string, head: string): Promise<{ tree?: string; conflict: boolean }> {
    const r = await run('git', ['-C', this.dir, 'merge-tree', '--write-tree', '--no-messages', base, head], {
      reject: false,
    });
    if (r.exitCode === 0) return { tree: r.stdout.split('\n')[0].trim(), conflict: false };
    return { conflict: true };
  }

  async commitTree(tree: string, parents: string[], message: string, author: Identity, committer: Identity): Promise<string> {
    const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'];
    const r = await run('git', ['-C', this.dir, ...args], { input: message, env: identityEnv(author, committer) });
    return r.stdout.trim();
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    const full = await this.resolveCommit(sha);
    if (!full) return undefined;
    const out = await this.git(['log', '-1', '--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B', full]);
    const [h, tree, parents, an, ae, ad, cn, ce, cd, ...msg] = out.split('\0');
    return {
      sha: h,
      tree,
      parents: parents.split(' ').filter(Boolean),
      author: { name: an, email: ae, date: toUtc(ad) },
      committer: { name: cn, email: ce, date: toUtc(cd) },
      message: msg.join('\0').replace(/\n+$/, ''),
    };
  }

  /**
   * Replays `commits` onto `onto` the way "Rebase and merge" does (new committer,
   * original authors), in a throwaway clone; undefined when a commit conflicts.
   */
  async rebaseOnto(onto: string, commits: string[], committer: Identity): Promise<string | undefined> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crate-train-standin-rebase-'));
    try {
      await run('git', ['clone', '--quiet', '--no-checkout', '--shared', this.dir, tmp]);
      await run('git', ['-C', tmp, 'checkout', '--quiet', '--detach', onto]);
      const r = await run('git', ['-C', tmp, 'cherry-pick', '--allow-empty', '--keep-redundant-commits', ...commits], {
        reject: false,
        env: { GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email },
      });
      if (r.exitCode !== 0) return undefined;
      const head = (await run('git', ['-C', tmp, 'rev-parse', 'HEAD'])).stdout.trim();
      // Bring the new commits into the bare repo (objects only; the caller moves the ref).
      await run('git', ['-C', tmp, 'push', '--quiet', this.dir, `${head}:refs/stand-in/rebase-tmp`]);
      await this.tryGit(['update-ref', '-d', 'refs/stand-in/rebase-tmp']);
      return head;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** Makes a new bare repository with every branch and tag of this one. */
  async cloneBareTo(target: string): Promise<void> {
    await run('git', ['clone', '--quiet', '--bare', this.dir, target]);
  }
}

function identityEnv(author: Identity, committer: Identity): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
}

function toUtc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Refuses names git would read as options or that escape refs/. */
export function isSafeRef(ref: string): boolean {
  return /^refs\/[^\s~^:?*[\\]+$/.test(ref) && !ref.includes('..') && !ref.endsWith('/') && !ref.endsWith('.lock');
}
