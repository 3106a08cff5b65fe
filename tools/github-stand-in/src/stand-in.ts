import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from './router';
import { ApiError, DOCS, notFound, readJson, requestId, send, type Reply } from './http';
import { makeRepoRecord, type Ctx, type Handler } from './context';
import type { AdvisoryRecord, PullRecord, ReleaseAssetRecord, ReleaseRecord, RepoRecord, StandInState } from './state';
import { repoRoutes } from './routes/repos';
import { pullRoutes } from './routes/pulls';
import { refRoutes } from './routes/refs';
import { releaseRoutes } from './routes/releases';
import { advisoryRoutes } from './routes/advisories';

/** What a token may do (see `tokens`). */
export interface TokenGrant {
  /**
   * The `permissions` of GET /repos/{owner}/{repo} (default: all true). Without
   * `push`, every write under /repos/{owner}/{repo} answers 403. `null`: the key
   * is left out, as GitHub does for an App installation token.
   */
  permissions?: Partial<RepoPermissions> | null;
  /** A classic token's scopes, sent as `X-OAuth-Scopes` (unset: no header, like fine-grained and installation tokens). */
  scopes?: string[];
  /** An App installation token (GitHub Actions' GITHUB_TOKEN): GET /installation/repositories answers 200; writes are allowed. */
  installation?: boolean;
}

export interface RepoPermissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

const FULL: RepoPermissions = { admin: true, maintain: true, push: true, triage: true, pull: true };

export interface GitHubStandInOptions {
  /** `owner/name` -> path of a bare git repository. */
  repos: Record<string, string>;
  /** The one token accepted (with every permission); when neither it nor `tokens` is set, any non-empty token is. */
  token?: string;
  /** More accepted tokens, each with what it may do (a read-only token, a classic token's scopes, an installation token). */
  tokens?: Record<string, TokenGrant>;
  /** Answer 401 to requests without a token (default true). */
  requireToken?: boolean;
  /** Login of the authenticated user (default `crate-train-bot`). */
  login?: string;
  /** Directory for temporary private forks (default: next to the origin's bare repo). */
  forksDir?: string;
}

export interface StandIn {
  /** API base URL for octokit's `baseUrl`, e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** The same API under GitHub Enterprise's `/api/v3` prefix. */
  enterpriseUrl: string;
  /** Live records (PRs, releases, advisories, request log); refs are in the bare repos. */
  state: StandInState;
  addRepo(fullName: string, bareRepoPath: string, opts?: { private?: boolean }): RepoRecord;
  /** PRs, optionally of one repository (`owner/name`). */
  pulls(repo?: string): PullRecord[];
  releases(repo?: string): ReleaseRecord[];
  /** Uploaded release assets (with their bytes), optionally of one repository. */
  assets(repo?: string): ReleaseAssetRecord[];
  advisories(repo?: string): AdvisoryRecord[];
  /**
   * Fault injection: the next `times` (default 1) requests matching `method`
   * and `path` (matched against the path without /api/v3 and query) get
   * `status` with GitHub's error body instead of being served, e.g. a 502 on
   * `POST .../pulls` to fail a run between its push and its pull request.
   */
  failNext(match: { method: string; path: RegExp | string }, reply: { status: number; message?: string }, times?: number): void;
  /**
   * Rate-limit injection: the next `times` (default 1) requests matching
   * `method` and `path` (both optional: any request) are answered as GitHub
   * answers a client over a limit, instead of being served:
   * - `secondary`: 403 "You have exceeded a secondary rate limit…" with `retry-after`;
   * - `primary`: 429 "API rate limit exceeded…" with `retry-after`,
   *   `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (now + retryAfter).
   * `retryAfter` is in seconds (default 1).
   */
  rateLimitNext(match: { method?: string; path?: RegExp | string }, limit: RateLimitFault, times?: number): void;
  stop(): Promise<void>;
}

export interface RateLimitFault {
  kind: 'primary' | 'secondary';
  /** Seconds until the limit lifts (default 1). */
  retryAfter?: number;
}

const RATE_LIMIT = 5000;
const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

/** GitHub's answer to a client over a rate limit (status, body, headers). */
function rateLimitReply(limit: RateLimitFault, requestIdValue: string, login: string, userId: number): Reply {
  const wait = limit.retryAfter ?? 1;
  if (limit.kind === 'secondary') {
    return {
      status: 403,
      body: {
        message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestIdValue}.`,
        documentation_url: `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
        status: '403',
      },
      headers: { 'retry-after': String(wait) },
    };
  }
  return {
    status: 429,
    body: {
      message: `API rate limit exceeded for user ID ${userId} (${login}). If you reach out to GitHub Support for help, please include the request ID ${requestIdValue}.`,
      documentation_url: `${RATE_LIMIT_DOCS}#exceeding-the-rate-limit`,
      status: '429',
    },
    headers: {
      'retry-after': String(wait),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + wait),
    },
  };
}

/** Starts a loopback GitHub REST API backed by real bare git repositories. */
export async function startGitHubStandIn(opts: GitHubStandInOptions): Promise<StandIn> {
  const state: StandInState = { repos: new Map(), pulls: [], releases: [], assets: [], advisories: [], requests: [] };
  let lastId = 1000;
  const ctx: Ctx = {
    state,
    api: '',
    html: '',
    login: opts.login ?? 'crate-train-bot',
    userId: 4242,
    forksDir: opts.forksDir,
    nextId: () => ++lastId,
    registerRepo: (fullName, dir, o) => {
      const rec = makeRepoRecord(++lastId, fullName, dir, o);
      state.repos.set(rec.fullName.toLowerCase(), rec);
      return rec;
    },
  };
  for (const [name, dir] of Object.entries(opts.repos)) ctx.registerRepo(name, dir);

  const router = new Router<Handler>();
  repoRoutes(router);
  pullRoutes(router);
  refRoutes(router);
  releaseRoutes(router);
  advisoryRoutes(router);

  const faults: Array<{ method: string; path: RegExp | string; status: number; message: string; left: number }> = [];
  const limits: Array<{ method?: string; path?: RegExp | string; limit: RateLimitFault; left: number }> = [];
  const matches = (m: { method?: string; path?: RegExp | string }, method: string, pathname: string) =>
    (m.method === undefined || m.method === method) && (m.path === undefined || (typeof m.path === 'string' ? m.path === pathname : m.path.test(pathname)));
  const requireToken = opts.requireToken ?? true;
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  let used = 0;

  const server = http.createServer((req, res) => {
    const started = { method: req.method ?? 'GET', path: req.url ?? '/' };
    const headers: Record<string, string> = {
      server: 'github-stand-in',
      'x-github-request-id': requestId(),
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - ++used)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-resource': 'core',
    };
    let grant: TokenGrant | undefined;
    try {
      grant = checkAuth(req.headers.authorization);
    } catch {
      /* answered by handle() */
    }
    if (grant?.scopes) headers['x-oauth-scopes'] = grant.scopes.join(', ');
    handle(req, headers['x-github-request-id'])
      .catch((e: unknown): Reply => {
        if (e instanceof ApiError) return { status: e.status, body: e.body() };
        const why = e instanceof Error ? e.message : String(e);
        return { status: 500, body: { message: `Server Error: ${why}`, documentation_url: DOCS, status: '500' } };
      })
      .then((reply) => {
        state.requests.push({ ...started, status: reply.status });
        send(res, reply, headers);
      });
  });

  async function handle(req: http.IncomingMessage, id: string): Promise<Reply> {
    const grant = checkAuth(req.headers.authorization);
    const url = new URL(req.url ?? '/', ctx.api);
    const pathname = url.pathname.replace(/^\/api\/v3(?=\/|$)/, '') || '/';
    const method = req.method ?? 'GET';
    const limited = limits.find((l) => l.left > 0 && matches(l, method, pathname));
    if (limited) {
      limited.left--;
      req.resume();
      return rateLimitReply(limited.limit, id, ctx.login, ctx.userId);
    }
    const fault = faults.find((f) => f.left > 0 && f.method === method && (typeof f.path === 'string' ? f.path === pathname : f.path.test(pathname)));
    if (fault) {
      fault.left--;
      req.resume();
      throw new ApiError(fault.status, fault.message);
    }
    const found = router.match(method, pathname);
    if (!found) {
      req.resume();
      throw notFound();
    }
    const permissions = grant?.permissions === null ? null : { ...FULL, ...grant?.permissions };
    const write = !['GET', 'HEAD'].includes(method) && /^\/repos\/[^/]+\/[^/]+\/./.test(pathname);
    if (write && !grant?.installation && permissions && !permissions.push && ctx.state.repos.has(`${found.params.owner}/${found.params.repo}`.toLowerCase())) {
      req.resume();
      throw new ApiError(403, 'Must have push access to this repository.', 'https://docs.github.com/rest');
    }
    let bodyPromise: Promise<Record<string, unknown>> | undefined;
    return found.handler(ctx, {
      req,
      url,
      params: found.params,
      body: () => (bodyPromise ??= readJson(req)),
      auth: { permissions, installation: grant?.installation === true },
    });
  }

  /** The grant of the request's token (undefined: no token, allowed when requireToken is false). */
  function checkAuth(header: string | undefined): TokenGrant | undefined {
    const m = header ? /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header) : null;
    if (!header) {
      if (requireToken) throw new ApiError(401, 'Requires authentication');
      return undefined;
    }
    if (!m) throw new ApiError(401, 'Bad credentials');
    const token = m[1]!;
    const listed = opts.tokens && Object.prototype.hasOwnProperty.call(opts.tokens, token) ? opts.tokens[token] : undefined;
    if (listed) return listed;
    if (token === opts.token || (opts.token === undefined && opts.tokens === undefined)) return {};
    throw new ApiError(401, 'Bad credentials');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // Never keeps a process alive on its own; in-flight requests still do.
  server.unref();
  const { port } = server.address() as AddressInfo;
  ctx.api = `http://127.0.0.1:${port}`;
  ctx.html = ctx.api;

  const of = <T extends { repo: string }>(list: T[], repo?: string) => (repo ? list.filter((x) => x.repo.toLowerCase() === repo.toLowerCase()) : [...list]);

  return {
    url: ctx.api,
    enterpriseUrl: `${ctx.api}/api/v3`,
    state,
    addRepo: (fullName, dir, o) => ctx.registerRepo(fullName, dir, o),
    pulls: (repo) => of(state.pulls, repo),
    releases: (repo) => of(state.releases, repo),
    assets: (repo) => of(state.assets, repo),
    advisories: (repo) => of(state.advisories, repo),
    failNext: (match, reply, times = 1) =>
      void faults.push({ method: match.method.toUpperCase(), path: match.path, status: reply.status, message: reply.message ?? 'Server Error', left: times }),
    rateLimitNext: (match, limit, times = 1) => void limits.push({ method: match.method?.toUpperCase(), path: match.path, limit, left: times }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
