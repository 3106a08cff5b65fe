import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Git, githubWebUrl, type GitAuth } from '@crate-train/git';
import { checkDate, todayUtc } from '@crate-train/release-notes';
import { MissingTokenError, TrainError } from './errors';
import { createGitHub, GitHubError, githubRepositoryFor, githubTokenFromEnv, ownerRepo, TOKEN_ENV_VARS, type AccessReport } from '@crate-train/github';
import type { TrainGitHub } from './github-port';
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
    // A dry run sends no credential anywhere; a real one only to the GitHub host (URL-scoped extraHeader).
    if (token && !r.dryRun) {
      const configured = await r.git.raw(['config', '--get-regexp', '^http\\..*extraheader$']).catch(() => '');
      if (!configured.trim()) {
        const url = githubWebUrl(r.options.github.baseUrl ?? r.env.GITHUB_API_URL, r.env.GITHUB_SERVER_URL);
        r.git = new Git(ctx.root, { committer: r.options.committer, auth: { token, url } satisfies GitAuth });
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
    return githubTokenFromEnv(this.env);
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
    return githubRepositoryFor({
      configured: this.options.github.repository,
      env: this.env,
      apiUrl: this.options.github.baseUrl,
      remoteUrl: () => this.git.remoteUrl(this.options.remote).catch(() => undefined),
    });
  }

  /** Where the GitHub API is: github.baseUrl, else GITHUB_API_URL, else https://api.github.com. */
  get githubApiUrl(): string {
    return (this.options.github.baseUrl ?? this.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  }

  /**
   * The GitHub client for `what`, checked before anything is changed: the
   * token is set and accepted, the repository exists, and the token may push
   * there (GitHubAccessError otherwise, as a TrainError naming cause and fix).
   * Only the reads of the check reach GitHub; callers push after it.
   */
  async requireGitHub(what: string): Promise<TrainGitHub> {
    if (this.client) return this.client;
    let client: TrainGitHub;
    if (this.ctx.github) {
      client = this.ctx.github;
    } else {
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
      // Waits for GitHub's rate limits and retries after server errors are printed with the run's lines.
      const logger = { warn: (line: string) => this.log(line) };
      const connect = this.ctx.connectGitHub ?? ((c) => createGitHub({ repository: c.repository, token: c.token, baseUrl: c.baseUrl, logger }));
      client = await connect({ token, repository, baseUrl });
    }
    await this.checkGitHub(client, what);
    this.client = client;
    return client;
  }

  /** The access check of requireGitHub, with fixes that name where each setting came from. */
  private async checkGitHub(client: TrainGitHub, what: string): Promise<void> {
    if (!client.checkAccess) return;
    const o = this.options.github;
    const env = this.env;
    const plugin = 'the crate-train plugin options in nx.json';
    let fixRepository: string;
    if (o.repository) fixRepository = `check github.repository in ${plugin}`;
    else if (ownerRepo(env.GITHUB_REPOSITORY)) fixRepository = `check GITHUB_REPOSITORY, or set github.repository in ${plugin}`;
    else {
      const url = this.git.redact(await this.git.remoteUrl(this.options.remote).catch(() => ''));
      fixRepository = `the URL of the remote "${this.options.remote}" (${url}) names it: set github.repository in ${plugin}, or fix the remote`;
    }
    const fixBaseUrl = o.baseUrl
      ? `check github.baseUrl in ${plugin} (GitHub Enterprise: https://HOST/api/v3)`
      : env.GITHUB_API_URL
        ? `check GITHUB_API_URL, or set github.baseUrl in ${plugin}`
        : `check the network connection to GitHub, or set github.baseUrl in ${plugin} (GitHub Enterprise: https://HOST/api/v3)`;
    // The variable the token came from: the first one githubTokenFromEnv accepts.
    const tokenSource = TOKEN_ENV_VARS.find((name) => env[name]?.trim());
    let report: AccessReport;
    try {
      report = await client.checkAccess({ tokenSource, fixRepository, fixBaseUrl });
    } catch (e) {
      if (!(e instanceof GitHubError)) throw e;
      throw new TrainError(`${what}: ${this.git.redact(e.message)}. Nothing was pushed: crate-train checks GitHub before its first push.`);
    }
    const name = report.repository.fullName;
    if (report.renamedTo) this.log(`warning: GitHub answers for ${name}: the repository was renamed or moved; set github.repository to ${name}`);
    this.log(
      report.push === 'installation'
        ? `GitHub: ${name} on ${this.githubApiUrl} accepts the token (an App installation token: GitHub does not report its permissions; it needs contents: write and pull-requests: write)`
        : `GitHub: ${name} on ${this.githubApiUrl} accepts the token${tokenSource ? ` in ${tokenSource}` : ''}, with push access`,
    );
  }
}
