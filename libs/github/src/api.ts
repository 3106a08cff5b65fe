import { redact } from '@crate-train/proc';
import { toGitHubError } from './errors';
import { limitPlugins, type LimitOptions } from './limits';

export type Octokit = InstanceType<typeof import('@octokit/rest').Octokit>;

/** Where log lines go; octokit's own debug output (request options, with headers) is never forwarded. */
export interface GitHubLogger {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** What each operation module needs: the octokit instance, the repository, and a guarded call. */
export interface Api {
  octokit: Octokit;
  owner: string;
  repo: string;
  fullName: string;
  /** Runs one API call; any failure becomes a GitHubError naming `what`, token-free. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

type OctokitModule = typeof import('@octokit/rest');
let octokitModule: Promise<OctokitModule> | undefined;
// @octokit/rest is ESM-only; this package compiles to CommonJS, so load it with a real import().
export function loadOctokit(): Promise<OctokitModule> {
  octokitModule ??= import('@octokit/rest');
  return octokitModule;
}

export async function makeApi(opts: {
  token: string;
  baseUrl: string;
  owner: string;
  repo: string;
  logger?: GitHubLogger;
  userAgent?: string;
  limits?: LimitOptions;
}): Promise<Api> {
  const { Octokit } = await loadOctokit();
  const secrets = [opts.token];
  const clean = (m: unknown) => redact(typeof m === 'string' ? m : String(m), secrets);
  const limits = await limitPlugins(opts.baseUrl, opts.limits ?? {}, (line) => opts.logger?.warn?.(clean(line)));
  const Client = Octokit.plugin(...limits.plugins);
  const octokit: Octokit = new Client({
    auth: opts.token,
    baseUrl: opts.baseUrl,
    userAgent: opts.userAgent ?? 'crate-train',
    log: {
      // octokit passes the full request options (authorization header included) to debug: drop it.
      debug: () => {},
      info: (m: unknown) => opts.logger?.debug?.(clean(m)),
      warn: (m: unknown) => opts.logger?.warn?.(clean(m)),
      // Failures are thrown as GitHubError and reported by the caller, once.
      error: () => {},
    },
    ...limits.options,
  });
  return {
    octokit,
    owner: opts.owner,
    repo: opts.repo,
    fullName: `${opts.owner}/${opts.repo}`,
    async call(what, fn) {
      try {
        return await fn();
      } catch (e) {
        throw toGitHubError(e, what, secrets);
      }
    },
  };
}

/** True for a GitHubError-like failure with this status (and, when given, a message part). */
export function isStatus(e: unknown, status: number, text?: string | RegExp): boolean {
  const err = e as { status?: number; message?: string };
  if (err?.status !== status) return false;
  if (text === undefined) return true;
  return typeof text === 'string' ? (err.message ?? '').includes(text) : text.test(err.message ?? '');
}
