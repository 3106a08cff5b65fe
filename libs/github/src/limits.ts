// GitHub's limits, survived: @octokit/plugin-throttling waits out primary
// (`x-ratelimit-remaining: 0` until `x-ratelimit-reset`) and secondary rate
// limits (403/429 "secondary rate limit", `retry-after`), and paces writes the
// way GitHub asks; @octokit/plugin-retry retries server errors (5xx) and
// dropped connections with a growing pause. Every wait is printed, so a run
// that stands still says why and for how long.

/** How the client meets GitHub's limits; every field has a default. */
export interface LimitOptions {
  /** Retries of one request after a server error, a dropped connection or a rate limit (default 3). */
  retries?: number;
  /**
   * The longest wait for a rate limit to reset, in seconds (default 900). A
   * longer one fails the call at once, saying when to run again, instead of
   * holding a CI job for up to an hour.
   */
  maxWaitSeconds?: number;
  /**
   * Pace writes as GitHub asks (one write per second, three seconds between
   * requests that notify people, such as opening a pull request). Default: on,
   * except for a loopback API (a stand-in or a local proxy, not GitHub).
   */
  pacing?: boolean;
  /** Milliseconds per second of a wait (default 1000); tests of this module only. */
  secondMs?: number;
}

/** The request as octokit hands it to a hook or a limit handler. */
interface RequestOptions {
  method?: string;
  url?: string;
  request?: { retryCount?: number; retries?: number };
  [param: string]: unknown;
}

type Plugin = (octokit: any, options: any) => object;

/** Network failures worth retrying (a connection that dropped or timed out); refused or unknown hosts are not. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
/** Statuses plugin-retry leaves alone: client errors, and 403/429, which are the throttling plugin's. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/** True when `baseUrl` is on this machine (127.0.0.0/8, ::1, localhost): no pacing there. */
export function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** `POST /repos/acme/engine/pulls`: the request's method and path, with the route's parameters filled in (never headers). */
export function describeRequest(options: RequestOptions, baseUrl: string): string {
  const url = String(options.url ?? '')
    .replace(/\{\?[^}]*\}/g, '')
    .replace(/\{(\w+)\}/g, (m, name: string) => (options[name] === undefined ? m : encodeURIComponent(String(options[name]))));
  const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url.replace(/^https?:\/\/[^/]+/, '');
  return `${(options.method ?? 'GET').toUpperCase()} ${path.split('?')[0]}`;
}

function networkCode(error: any): string | undefined {
  return error?.cause?.cause?.code ?? error?.cause?.code ?? error?.code;
}

const seconds = (s: number) => `${s} s`;
const clock = (at: Date) => `${at.toISOString().slice(11, 19)} UTC`;

/**
 * The octokit plugins and constructor options that make a client wait out
 * GitHub's limits. `say` gets one line per wait (or per limit it will not wait
 * for): what GitHub answered, to which request, how long, which retry.
 */
export async function limitPlugins(
  baseUrl: string,
  o: LimitOptions,
  say: (line: string) => void,
): Promise<{ plugins: Plugin[]; options: Record<string, unknown> }> {
  const [{ retry }, { throttling }] = await Promise.all([import('@octokit/plugin-retry'), import('@octokit/plugin-throttling')]);
  const retries = o.retries ?? 3;
  const maxWait = o.maxWaitSeconds ?? 900;
  const secondMs = o.secondMs ?? 1000;
  const pacing = o.pacing ?? !isLoopback(baseUrl);

  // Innermost of the three, so it sees every attempt's failure before plugin-retry decides.
  const announceRetries: Plugin = (octokit) => {
    octokit.hook.error('request', (error: any, options: RequestOptions) => {
      const request = (options.request ??= {});
      const count = request.retryCount ?? 0;
      const allowed = request.retries ?? retries;
      const answered = Boolean(error?.response);
      const status = answered ? Number(error.status) : undefined;
      const code = answered ? undefined : networkCode(error);
      if (!answered && !TRANSIENT_NETWORK.has(code ?? '')) {
        // Connection refused, unknown host, aborted: retrying would only delay the error.
        request.retries = 0;
      } else if ((status === undefined || (status >= 500 && !DO_NOT_RETRY.includes(status))) && count < allowed) {
        const wait = (count + 1) ** 2;
        const what = status === undefined ? `the connection dropped (${code})` : `GitHub answered ${status}`;
        say(`GitHub: ${what} on ${describeRequest(options, baseUrl)}; retrying in ${seconds(wait)} (retry ${count + 1} of ${allowed})`);
      }
      throw error;
    });
    return {};
  };

  const onLimit = (kind: 'primary' | 'secondary') => (retryAfter: number, options: RequestOptions, _octokit: unknown, retryCount: number) => {
    const what =
      kind === 'primary'
        ? "GitHub's rate limit (the token's hourly request quota is used up)"
        : "GitHub's secondary rate limit (too many requests in a short time)";
    const request = describeRequest(options, baseUrl);
    if (retryCount >= retries) {
      say(`GitHub: ${what} on ${request}; not waiting again after ${retries} ${retries === 1 ? 'retry' : 'retries'}`);
      return false;
    }
    const until = new Date(Date.now() + retryAfter * 1000);
    if (retryAfter > maxWait) {
      say(
        `GitHub: ${what} on ${request}; it lifts at ${clock(until)}, in ${seconds(retryAfter)}, longer than the ${seconds(maxWait)} crate-train waits: run again after ${clock(until)}`,
      );
      return false;
    }
    say(`GitHub: ${what} on ${request}; waiting ${seconds(retryAfter)} (until ${clock(until)}), then retrying (retry ${retryCount + 1} of ${retries})`);
    return true;
  };

  // A group that runs each job at once: no pacing.
  const unpaced = { key: () => ({ schedule: (_job: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => fn(...args) }) };
  const options: Record<string, unknown> = {
    retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: secondMs },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: secondMs,
      ...(pacing ? {} : { write: unpaced, notifications: unpaced, search: unpaced }),
    },
  };
  // Outermost: octokit hands every request of a client the same `request` object, where
  // plugin-retry keeps its count; a call that failed once (a 404 it does not retry) would
  // start the next call's retries at 1. Each call gets its own copy (in place: every hook
  // of one call is bound to the same options object).
  const ownRequestState: Plugin = (octokit) => {
    octokit.hook.before('request', (options: RequestOptions) => {
      const { retryCount: _count, ...rest } = options.request ?? {};
      options.request = rest;
    });
    return {};
  };
  return { plugins: [announceRetries, retry as Plugin, throttling as Plugin, ownRequestState], options };
}
