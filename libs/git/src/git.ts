import { isAbsolute, join } from 'node:path';
import { run, redact, type RunResult } from '@crate-train/proc';
import { GitError } from './errors';
import { authEnv, authSecrets, type GitAuth } from './auth';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

export interface Committer {
  name: string;
  email: string;
}

export interface GitClientOptions {
  /** Identity for commits and annotated tags (author and committer). */
  committer?: Committer;
  /** Token for HTTPS remotes, sent as a header, never in a URL. */
  auth?: GitAuth;
}

export interface PushRef {
  /** Commit (or ref) to push. */
  src: string;
  /** Full destination ref, e.g. `refs/heads/ci/bump-to-6.0.0`. */
  dst: string;
  /**
   * Overwrite only if the remote ref is still at this sha ('' = must not
   * exist yet). Undefined = a plain fast-forward-only push.
   */
  expect?: string;
}

export interface MarkerCommit {
  sha: string;
  subject: string;
}

/** One repository (working tree or worktree) driven through the git CLI. */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly opts: GitClientOptions = {},
  ) {}

  /** Runs git and returns stdout; errors carry the command and stderr with secrets redacted. */
  async raw(args: string[], extra: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
    return (await this.exec(args, extra)).stdout;
  }

  private exec(args: string[], extra: { input?: string; env?: Record<string, string>; reject?: boolean } = {}): Promise<RunResult> {
    const c = this.opts.committer;
    const identity = c ? { GIT_AUTHOR_NAME: c.name, GIT_AUTHOR_EMAIL: c.email, GIT_COMMITTER_NAME: c.name, GIT_COMMITTER_EMAIL: c.email } : {};
    return run('git', args, {
      cwd: this.cwd,
      input: extra.input,
      reject: extra.reject,
      // No pager/editor/prompt: this runs unattended in CI as well.
      env: { GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', GIT_PAGER: 'cat', ...identity, ...authEnv(this.opts.auth), ...extra.env },
      secrets: authSecrets(this.opts.auth),
    });
  }

  /** Paths with uncommitted changes (staged, unstaged or untracked), from `git status --porcelain`. */
  async dirtyPaths(): Promise<string[]> {
    const out = await this.raw(['status', '--porcelain', '--untracked-files=normal']);
    return out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.slice(3));
  }

  /** Throws a GitError listing the changed paths when the working tree is not clean. */
  async assertClean(what: string): Promise<void> {
    const dirty = await this.dirtyPaths();
    if (dirty.length) {
      const shown = dirty.slice(0, 10).join(', ') + (dirty.length > 10 ? `, and ${dirty.length - 10} more` : '');
      throw new GitError(`The working tree of ${this.cwd} has uncommitted changes (${shown}); commit or stash them before ${what}.`);
    }
  }

  /** The checked-out branch, or undefined on a detached HEAD. */
  async currentBranch(): Promise<string | undefined> {
    const r = await this.exec(['symbolic-ref', '--quiet', '--short', 'HEAD'], { reject: false });
    return r.exitCode === 0 ? r.stdout.trim() : undefined;
  }

  /** The sha a ref/revision resolves to, or undefined when it does not exist. */
  async revParse(rev: string): Promise<string | undefined> {
    const r = await this.exec(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { reject: false });
    return r.exitCode === 0 ? r.stdout.trim() : undefined;
  }

  async hasObject(sha: string): Promise<boolean> {
    return (await this.exec(['cat-file', '-e', `${sha}^{commit}`], { reject: false })).exitCode === 0;
  }

  /** Whether `ancestor` is an ancestor of (or equal to) `descendant` (both must be present). */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.exec(['merge-base', '--is-ancestor', ancestor, descendant], { reject: false })).exitCode === 0;
  }

  /** Remote URL, for display (credentials redacted). */
  async remoteUrl(remote: string): Promise<string> {
    const r = await this.exec(['remote', 'get-url', remote], { reject: false });
    if (r.exitCode !== 0) throw new GitError(`The repository ${this.cwd} has no remote "${remote}"; add it or set the crate-train "remote" option.`);
    return r.stdout.trim();
  }

  /** Display-safe form of a URL or text. */
  redact(text: string): string {
    return redact(text, authSecrets(this.opts.auth));
  }

  /**
   * Fetches commits into the object store without touching any ref or
   * FETCH_HEAD (so a dry run leaves the repository as it was).
   */
  async fetchObjects(remote: string, refsOrShas: string[]): Promise<void> {
    if (refsOrShas.length === 0) return;
    // --refmap= stops the opportunistic update of refs/remotes/* for the named branches.
    await this.raw(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--refmap=', remote, ...refsOrShas]);
  }

  /**
   * Updates remote-tracking refs (`git fetch REMOTE`). `prune` drops those whose
   * branch is gone from the remote; `tags` fetches every tag too (default: none).
   */
  async fetch(remote: string, refspecs: string[] = [], opts: { prune?: boolean; tags?: boolean } = {}): Promise<void> {
    await this.raw(['fetch', '--quiet', ...(opts.prune ? ['--prune'] : []), opts.tags ? '--tags' : '--no-tags', remote, ...refspecs]);
  }

  /** Remote-tracking branches of `remote` as last fetched (name -> sha); `patterns` like `release-*`. No network. */
  async trackingBranches(remote: string, patterns: string[] = []): Promise<Map<string, string>> {
    const prefix = `refs/remotes/${remote}/`;
    const out = await this.raw(['for-each-ref', '--format=%(objectname) %(refname)', ...(patterns.length ? patterns.map((p) => prefix + p) : [prefix])]);
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [sha, ref] = line.split(' ');
      if (sha && ref?.startsWith(prefix) && ref !== `${prefix}HEAD`) refs.set(ref.slice(prefix.length), sha);
    }
    return refs;
  }

  /** The UTC day (`YYYY-MM-DD`) a local tag was made: its tagger date, or the commit date of a lightweight tag; undefined when there is no such tag. */
  async tagDay(tag: string): Promise<string | undefined> {
    const out = await this.raw(['for-each-ref', '--format=%(creatordate:format-local:%Y-%m-%d)', `refs/tags/${tag}`], { env: { TZ: 'UTC' } });
    return out.trim() || undefined;
  }

  /** Local tags matching `pattern` (e.g. `v*`) that `rev` contains. */
  async tagsMergedInto(rev: string, pattern: string): Promise<string[]> {
    const out = await this.raw(['tag', '--merged', rev, '--list', pattern]);
    return out
      .split('\n')
      .map((t) => t.trim())
      .filter(Boolean);
  }

  private async lsRemote(remote: string, kind: '--heads' | '--tags', patterns: string[]): Promise<Map<string, string>> {
    const out = await this.raw(['ls-remote', kind, remote, ...patterns]);
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [sha, ref] = line.split('\t');
      if (!sha || !ref) continue;
      const peeled = ref.endsWith('^{}');
      const name = ref.replace(/^refs\/(heads|tags)\//, '').replace(/\^\{\}$/, '');
      // An annotated tag is listed twice; the peeled (^{}) line is the commit.
      if (peeled || !refs.has(name)) refs.set(name, sha);
    }
    return refs;
  }

  /** Remote branches (name -> sha); `patterns` like `release-*`. */
  async remoteBranches(remote: string, patterns: string[] = []): Promise<Map<string, string>> {
    return this.lsRemote(
      remote,
      '--heads',
      patterns.map((p) => `refs/heads/${p}`),
    );
  }

  /** Remote tags (name -> commit sha, annotated tags peeled). */
  async remoteTags(remote: string, patterns: string[] = []): Promise<Map<string, string>> {
    return this.lsRemote(
      remote,
      '--tags',
      patterns.map((p) => `refs/tags/${p}`),
    );
  }

  async remoteBranchSha(remote: string, branch: string): Promise<string | undefined> {
    return (await this.remoteBranches(remote, [branch])).get(branch);
  }

  /** Creates or moves a local branch to `sha` (never the checked-out one). */
  async setBranch(name: string, sha: string): Promise<void> {
    if ((await this.currentBranch()) === name) {
      throw new GitError(`Branch "${name}" is checked out in ${this.cwd}; switch to another branch so crate-train can update it.`);
    }
    await this.raw(['branch', '--force', '--no-track', name, sha]);
  }

  async deleteBranch(name: string): Promise<void> {
    await this.exec(['branch', '-D', name], { reject: false });
  }

  /** Stages paths (all changes when none given). */
  async add(paths: string[] = []): Promise<void> {
    await this.raw(['add', '--all', '--', ...(paths.length ? paths : ['.'])]);
  }

  /** Commits what is staged with the configured identity; returns the new sha. */
  async commit(message: string, opts: { allowEmpty?: boolean } = {}): Promise<string> {
    await this.raw(['commit', '--quiet', '--no-verify', '--cleanup=verbatim', ...(opts.allowEmpty ? ['--allow-empty'] : []), '-F', '-'], {
      input: message.endsWith('\n') ? message : message + '\n',
    });
    return (await this.revParse('HEAD'))!;
  }

  /** Full commit message of a commit. */
  async message(sha: string): Promise<string> {
    return (await this.raw(['log', '-1', '--format=%B', sha])).replace(/\n+$/, '');
  }

  /** Tree sha and parent shas of a commit. */
  async commitInfo(sha: string): Promise<{ tree: string; parents: string[] }> {
    const out = (await this.raw(['log', '-1', '--format=%T %P', sha])).trim();
    const [tree, ...parents] = out.split(' ').filter(Boolean);
    return { tree, parents };
  }

  /** Paths changed between two commits. */
  async changedFiles(from: string, to: string): Promise<string[]> {
    const out = await this.raw(['diff', '--name-only', from, to]);
    return out.split('\n').filter(Boolean);
  }

  /** Number of commits in a range (`git rev-list --count A..B`). */
  async countCommits(range: string): Promise<number> {
    return Number((await this.raw(['rev-list', '--count', range])).trim());
  }

  /** The newest commit reachable from `ref` whose message contains `text` (plain text, not a pattern), or undefined. */
  async findCommitWithMessage(ref: string, text: string): Promise<string | undefined> {
    const out = await this.raw(['log', '--format=%H', '-1', '--fixed-strings', `--grep=${text}`, ref]);
    return out.trim() || undefined;
  }

  /** Subject lines of `from..to`, newest first. */
  async subjects(range: string): Promise<string[]> {
    const out = await this.raw(['log', '--format=%s', range]);
    return out.split('\n').filter(Boolean);
  }

  /**
   * Pushes refs. With `expect`, a ref is overwritten only while the remote
   * still has the sha we saw (--force-with-lease), so a concurrent update is
   * never lost; without it, the push must fast-forward.
   */
  async push(remote: string, refs: PushRef[]): Promise<void> {
    if (refs.length === 0) return;
    const args = ['push', '--quiet', remote];
    for (const r of refs) {
      if (r.expect !== undefined) args.push(`--force-with-lease=${r.dst}:${r.expect}`);
    }
    // No '+' on leased refs: a '+' would force the update whatever the lease says.
    for (const r of refs) args.push(`${r.src}:${r.dst}`);
    await this.raw(args);
  }

  /**
   * Commits in the pushed range whose message contains the marker.
   * BEFORE all zeros (a new branch): only the pushed head is scanned, since
   * everything else on a new branch was already on another branch.
   */
  async findMarker(before: string, after: string, marker: string): Promise<MarkerCommit[]> {
    const range = /^0+$/.test(before) ? ['-1', after] : [`${before}...${after}`];
    const out = await this.raw(['log', '--format=%H%x00%s%x00%B%x1e', ...range]);
    const hits: MarkerCommit[] = [];
    for (const rec of out.split('\x1e')) {
      const [sha, subject, body] = rec.replace(/^\n/, '').split('\x00');
      if (sha && body?.includes(marker)) hits.push({ sha: sha.trim(), subject });
    }
    return hits;
  }

  /** Contents of `path` at `ref` (`git show REF:path`), byte-exact, or undefined when the file is not there. */
  async show(ref: string, path: string): Promise<string | undefined> {
    const size = await this.exec(['cat-file', '-s', `${ref}:${path}`], { reject: false });
    if (size.exitCode !== 0) return undefined;
    const text = await this.raw(['cat-file', 'blob', `${ref}:${path}`]);
    // The process runner strips one final newline; put it back when the blob had it.
    return Buffer.byteLength(text) + 1 === Number(size.stdout.trim()) ? text + '\n' : text;
  }

  /** Every file path in the tree of `ref` (`git ls-tree -r --name-only`). */
  async listFiles(ref: string): Promise<string[]> {
    const out = await this.raw(['ls-tree', '-r', '--name-only', ref]);
    return out.split('\n').filter(Boolean);
  }

  /**
   * Contents of several text files at `ref` (paths from listFiles, say), read
   * by one `git cat-file --batch` process; undefined for a path that is not there.
   */
  async showMany(ref: string, paths: readonly string[]): Promise<Array<string | undefined>> {
    if (paths.length === 0) return [];
    const out = await this.raw(['cat-file', '--batch'], { input: paths.map((p) => `${ref}:${p}`).join('\n') + '\n' });
    // The process runner strips the final newline of the last record; put it back.
    return splitBatch(Buffer.from(out + '\n', 'utf8'), paths.length);
  }

  /** The top folder of the working tree holding `cwd`. */
  async topLevel(): Promise<string> {
    return (await this.raw(['rev-parse', '--show-toplevel'])).trim();
  }

  /** Absolute path of a file in the git directory (`git rev-parse --git-path`), e.g. `info/exclude`; undefined outside a repository. */
  async gitPath(name: string): Promise<string | undefined> {
    const r = await this.exec(['rev-parse', '--git-path', name], { reject: false });
    if (r.exitCode !== 0) return undefined;
    const p = r.stdout.trim();
    return isAbsolute(p) ? p : join(this.cwd, p);
  }

  /** Writes the tree of `rev` as a tar file (`git archive`), without touching the working tree. */
  async archive(rev: string, tarFile: string): Promise<void> {
    await this.raw(['archive', '--format=tar', '-o', tarFile, rev]);
  }

  /** Creates a local lightweight tag at `sha` (or annotated with a message). */
  async createTag(name: string, sha: string, message?: string): Promise<void> {
    await this.raw(['tag', ...(message ? ['-a', '-m', message] : []), name, sha]);
  }

  /** Adds a detached worktree at `sha` in `dir` (removed with removeWorktree). */
  async addWorktree(dir: string, sha: string): Promise<Git> {
    await this.raw(['worktree', 'add', '--quiet', '--detach', dir, sha]);
    return new Git(dir, this.opts);
  }

  async removeWorktree(dir: string): Promise<void> {
    await this.exec(['worktree', 'remove', '--force', dir], { reject: false });
    await this.exec(['worktree', 'prune'], { reject: false });
  }
}

/** Splits `git cat-file --batch` output: `<oid> blob <size>\n<bytes>\n` per file, `<name> missing\n` for a path that is not there. */
function splitBatch(buf: Buffer, count: number): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) {
      out.push(undefined);
      continue;
    }
    const m = /^\S+ blob (\d+)$/.exec(buf.subarray(pos, nl).toString('utf8'));
    if (!m) {
      out.push(undefined); // missing: nothing follows the header line
      pos = nl + 1;
      continue;
    }
    const size = Number(m[1]);
    out.push(buf.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    pos = nl + 1 + size + 1;
  }
  return out;
}
