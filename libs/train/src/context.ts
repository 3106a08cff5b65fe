import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Git, type GitAuth } from '@crate-train/git';
import { checkDate, todayUtc } from '@crate-train/release-notes';
import { MissingTokenError, TrainError } from './errors';
import { createGitHub, githubHosts, githubRepositoryOfRemote, ownerRepo } from '@crate-train/github';
import { tokenFromEnv, type TrainGitHub } from './github';
import { trainOptions, type TrainOptions } from './options';

/** What every workflow takes. */
export interface TrainContext {
  /** The git working tree of the Cargo workspace. */
  root: string;
  /** Plugin options (defaults filled in). */
  options?: Partial<TrainOptions>;
  /** Print the plan; change nothing anywhere (no token needed). */
  dryRun?: boolean;
  /** false (--no-push): make branches and commits locally, stop before pushing and before any PR. Default true. */
  push?: boolean;
  /** Release date YYYY-MM-DD (default: today, UTC). */
  date?: string;
  /** GitHub client; default: built from GITHUB_TOKEN/GH_TOKEN when a step needs it. */
  github?: TrainGitHub;
  /** Factory used when `github` is not given (default: @crate-train/github's client). */
  connectGitHub?: (c: { token: string; repository: string; baseUrl?: string }) => TrainGitHub | Promise<TrainGitHub>;
  /** Environment for the token and GITHUB_API_URL (default process.env). */
  env?: Record<string, string | undefined>;
  /** Where progress lines go (default: nowhere; results carry them too). */
  log?: (line: string) => void;
}

export type Mode = 'dry-run' | 'no-push' | 'full';

/** A context with everything resolved once. */
export class Run {
  readonly options: TrainOptions;
  readonly mode: Mode;
  readonly date: string;
  git: Git;
  readonly lines: string[] = [];
  private client?: TrainGitHub;

  constructor(readonly ctx: TrainContext) {
    this.options = trainOptions(ctx.options);
    this.mode = ctx.dryRun ? 'dry-run' : ctx.push === false ? 'no-push' : 'full';
    this.date = ctx.date ?? todayUtc();
    try {
      checkDate(this.date);
    } catch (e) {
      throw new TrainError(`--date: ${(e as Error).message}`);
    }
    this.git = new Git(ctx.root, { committer: this.options.committer });
  }

  /**
   * A Run whose git sends the token as an HTTP header, unless the repository
   * already has one configured (actions/checkout does that; a second
   * Authorization header would make GitHub refuse the request).
   */
  static async open(ctx: TrainContext): Promise<Run> {
    const r = new Run(ctx);
    const token = r.token;
    if (token) {
      const configured = await r.git.raw(['config', '--get-regexp', '^http\\..*extraheader$']).catch(() => '');
      if (!configured.trim()) {
        r.git = new Git(ctx.root, { committer: r.options.committer, auth: { token } satisfies GitAuth });
      }
    }
    return r;
  }

  get root(): string {
    return this.ctx.root;
  }
  get env(): Record<string, string | undefined> {
    return this.ctx.env ?? process.env;
  }
  get token(): string | undefined {
    return tokenFromEnv(this.env);
  }
  get dryRun(): boolean {
    return this.mode === 'dry-run';
  }
  /** True when this run pushes and opens PRs. */
  get publishes(): boolean {
    return this.mode === 'full';
  }

  log(line: string): void {
    const safe = this.git.redact(line);
    this.lines.push(safe);
    this.ctx.log?.(safe);
  }

  /** The remote's URL as git uses it (relative paths resolved against the root). */
  async remoteUrl(): Promise<string> {
    const url = await this.git.remoteUrl(this.options.remote);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/\\]+@[^:]+:/.test(url) || isAbsolute(url)) return url;
    const abs = resolve(this.root, url);
    return existsSync(abs) ? abs : url;
  }

  /**
   * OWNER/REPO: options.github.repository, else GITHUB_REPOSITORY (set by
   * GitHub Actions), else the remote's URL when it is a GitHub URL; undefined
   * when none says (a local path never names a repository).
   */
  async repository(): Promise<string | undefined> {
    if (this.options.github.repository) return this.options.github.repository;
    const fromEnv = ownerRepo(this.env.GITHUB_REPOSITORY);
    if (fromEnv) return fromEnv;
    const url = await this.git.remoteUrl(this.options.remote).catch(() => '');
    return url ? githubRepositoryOfRemote(url, githubHosts(this.options.github.baseUrl ?? this.env.GITHUB_API_URL, this.env.GITHUB_SERVER_URL)) : undefined;
  }

  /**
   * Checks, before anything is changed, that a GitHub client will be
   * available for `what`; returns a getter for it.
   */
  async requireGitHub(what: string): Promise<TrainGitHub> {
    if (this.client) return this.client;
    if (this.ctx.github) return (this.client = this.ctx.github);
    const token = this.token;
    if (!token) throw new MissingTokenError(what);
    const repository = await this.repository();
    if (!repository) {
      throw new TrainError(
        `${what} needs the GitHub repository (OWNER/REPO): set github.repository in the crate-train plugin options ` +
          `(neither GITHUB_REPOSITORY nor the remote "${this.options.remote}" URL names a GitHub repository).`,
      );
    }
    const baseUrl = this.options.github.baseUrl ?? this.env.GITHUB_API_URL;
    const connect = this.ctx.connectGitHub ?? ((c) => createGitHub({ repository: c.repository, token: c.token, baseUrl: c.baseUrl }));
    this.client = await connect({ token, repository, baseUrl });
    return this.client;
  }
}

