// HTTP with the retry rules a registry client needs: a timeout per attempt, 5xx and
// network errors retried with exponential backoff, 429 waited out exactly until its
// Retry-After. Never puts a token in an error message (only method, URL and status).

export interface HttpOptions {
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** Attempts in all (1 = no retry). Default 6. */
  attempts?: number;
  /** First backoff; doubles each retry, with jitter. Default 500 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest 429 wait honoured before giving up. Default 15 min. */
  maxRetryAfterMs?: number;
  /** Told about each retry (why, and how long until the next attempt). */
  onRetry?: (info: { url: string; attempt: number; reason: string; delayMs: number }) => void;
}

export class RegistryHttpError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'RegistryHttpError';
  }
}

export const USER_AGENT = 'crate-train (publish automation; https://github.com/crate-train/crate-train)';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * When to retry after a 429: `Retry-After` as an HTTP date or as seconds, or a
 * "try again after <date>" in the body (crates.io's message). Undefined when absent.
 */
export function retryAfterMs(headerValue: string | null | undefined, body = '', now = Date.now()): number | undefined {
  if (headerValue) {
    const secs = Number(headerValue);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(headerValue);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const at = parseTryAgainAfter(body);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/** The time in crates.io's "Please try again after Wed, 07 Oct 2026 17:17:34 GMT" (ms since epoch). */
export function parseTryAgainAfter(text: string): number | undefined {
  const m = /try again after ([A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)/.exec(text);
  if (!m) return undefined;
  const t = Date.parse(m[1]);
  return Number.isFinite(t) ? t : undefined;
}

export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.75 + Math.random() * 0.5));
}

/** The `detail`s of a crates.io-style error body, or the raw text. */
export function errorDetail(text: string): string {
  try {
    const j = JSON.parse(text) as { errors?: Array<{ detail?: string }> };
    if (Array.isArray(j.errors))
      return j.errors
        .map((e) => e.detail ?? '')
        .filter(Boolean)
        .join('; ');
  } catch {
    /* not JSON */
  }
  return text.slice(0, 500);
}

/** The non-empty string at `key` of a JSON object body (a token in an answer), else undefined. */
export function jsonString(text: string, key: string): string | undefined {
  try {
    const v = (JSON.parse(text) as Record<string, unknown> | null)?.[key];
    return typeof v === 'string' && v ? v : undefined;
  } catch {
    return undefined; // not JSON
  }
}

/**
 * Fetches with retries. Returns the response of the last attempt when it is not
 * retryable (2xx, 3xx, 4xx other than 429), with its body already read as text.
 */
export async function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  opts: HttpOptions = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const attempts = opts.attempts ?? 6;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const base = opts.backoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const method = init.method ?? 'GET';
  let last = '';
  for (let attempt = 1; ; attempt++) {
    let delay: number | undefined;
    try {
      const res = await fetch(url, {
        method,
        headers: { 'user-agent': USER_AGENT, ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after'), text);
        last = `429 Too Many Requests${wait !== undefined ? ` (retry after ${Math.ceil(wait / 1000)} s)` : ''}`;
        if (wait !== undefined && wait > (opts.maxRetryAfterMs ?? 15 * 60_000)) {
          throw new RegistryHttpError(`${method} ${url}: ${last}, longer than crate-train waits`, url, 429, errorDetail(text));
        }
        // Exactly until Retry-After (a little later when it is already past, to not spin).
        delay = wait !== undefined ? Math.max(wait, 50) : backoffDelay(attempt, base, maxBackoff);
      } else if (res.status >= 500) {
        last = `${res.status} ${errorDetail(text)}`.trim();
        delay = backoffDelay(attempt, base, maxBackoff);
      } else {
        return { status: res.status, headers: res.headers, text };
      }
    } catch (e) {
      if (e instanceof RegistryHttpError) throw e;
      const err = e as Error & { cause?: { code?: string } };
      last = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
      delay = backoffDelay(attempt, base, maxBackoff);
    }
    if (attempt >= attempts) {
      throw new RegistryHttpError(`${method} ${url} failed after ${attempts} attempts: ${last}`, url);
    }
    opts.onRetry?.({ url, attempt, reason: last, delayMs: delay });
    await sleep(delay);
  }
}
