import { redact } from '@crate-train/proc';

/**
 * Every failure of the GitHub client. The message says what was attempted, what
 * GitHub answered and what to do; it never contains the token (messages go
 * through `redact` with the token as an extra secret, and the octokit error,
 * whose request carries headers, is not kept as `cause`).
 */
export class GitHubError extends Error {
  constructor(
    message: string,
    /** HTTP status GitHub answered, when there was a response. */
    readonly status?: number,
    /** GitHub's own `message` field. */
    readonly githubMessage?: string,
    /** GitHub's validation `errors`, flattened to strings. */
    readonly details: string[] = [],
    readonly requestId?: string,
    /** Why no response came (connection refused, DNS, timeout), when GitHub never answered. */
    readonly network?: string,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

export const TOKEN_ENV_VARS = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

/** No token: say which variable to set, and that --dry-run needs none. */
export class MissingGitHubTokenError extends GitHubError {
  constructor(repository: string) {
    super(
      `No GitHub token for ${repository}: set GITHUB_TOKEN (or GH_TOKEN) to a token allowed to push branches and tags ` +
        `and open pull requests there, or run with --dry-run to print the plan without touching GitHub.`,
    );
    this.name = 'MissingGitHubTokenError';
  }
}

/** A tag exists at another commit: crate-train never moves a published tag. */
export class TagConflictError extends GitHubError {
  constructor(
    readonly tag: string,
    readonly existingSha: string,
    readonly wantedSha: string,
    repository: string,
  ) {
    super(
      `Tag ${tag} already exists in ${repository} at ${existingSha}, not at ${wantedSha}; refusing to move a release tag. ` +
        `If the existing tag is wrong, delete it on GitHub yourself and run again.`,
      422,
    );
    this.name = 'TagConflictError';
  }
}

interface OctokitLikeError {
  status?: number;
  message?: string;
  cause?: { message?: string; cause?: { message?: string; code?: string } };
  request?: { method?: string; url?: string };
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

/** Converts whatever octokit threw into a GitHubError, naming the operation and hiding the token. */
export function toGitHubError(e: unknown, what: string, secrets: string[]): GitHubError {
  if (e instanceof GitHubError) return e;
  const err = (e ?? {}) as OctokitLikeError;
  const data = (err.response?.data ?? {}) as { message?: unknown; errors?: unknown };
  const ghMessage = typeof data.message === 'string' ? data.message : undefined;
  const details = Array.isArray(data.errors) ? data.errors.map(describeValidationError) : [];
  const requestId = err.response?.headers?.['x-github-request-id'];
  // octokit reports a network failure (no response at all) as status 500: that is not GitHub's answer.
  const status = err.response && typeof err.status === 'number' && err.status > 0 ? err.status : undefined;
  const request = err.request?.method && err.request.url ? ` (${err.request.method} ${err.request.url})` : '';
  let message: string;
  let network: string | undefined;
  if (status) {
    const answer = [ghMessage ?? 'no message', ...details].join('; ');
    message = `GitHub API: ${what} failed with ${status}: ${answer}${request}${hint(status)}`;
  } else {
    network = networkReason(err) ?? String(e);
    message = `GitHub API: ${what} failed: ${network}${request}`;
  }
  return new GitHubError(
    redact(message, secrets),
    status,
    ghMessage && redact(ghMessage, secrets),
    details.map((d) => redact(d, secrets)),
    requestId === undefined ? undefined : String(requestId),
    network && redact(network, secrets),
  );
}

/** The reason a request got no response (octokit wraps fetch's TypeError, whose cause has the errno). */
function networkReason(err: OctokitLikeError): string | undefined {
  const inner = err.cause?.cause;
  if (inner?.message || inner?.code) return `no response from GitHub: ${inner.message ?? inner.code}`;
  if (err.cause?.message) return `no response from GitHub: ${err.cause.message}`;
  return err.message;
}

function describeValidationError(x: unknown): string {
  if (typeof x === 'string') return x;
  const v = (x ?? {}) as Record<string, unknown>;
  if (typeof v.message === 'string') return v.message;
  return [v.resource, v.field, v.code].filter((p) => typeof p === 'string').join(' ');
}

function hint(status: number): string {
  if (status === 401) return ' — the token was rejected: check GITHUB_TOKEN / GH_TOKEN';
  if (status === 403) return ' — the token lacks permission (it needs contents and pull-requests write) or a rate limit was hit';
  if (status === 429) return " — GitHub's rate limit did not lift within crate-train's waits: run again later (nothing is done twice)";
  return '';
}
