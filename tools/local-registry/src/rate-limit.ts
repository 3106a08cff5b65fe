// crates.io's publish rate limiter (src/rate_limiter.rs), reproduced with the same
// arithmetic: a bucket per (user, action) starts full at `burst`; each request
// refills floor(elapsed / rate) tokens (advancing last_refill by whole periods),
// takes one, and is refused when none is left, with
// retry_after = last_refill + rate. Durations are multiplied by `scale` for tests.

export type LimitedAction = 'publish-new' | 'publish-update' | 'yank-unyank';

export interface ActionLimit {
  /** Refill period in milliseconds (before scaling). */
  rateMs: number;
  burst: number;
}

/** crates.io defaults: new crates 5 then 1 per 10 min; new versions 30 then 1 per min; yank 100 then 1 per min. */
export const CRATES_IO_LIMITS: Record<LimitedAction, ActionLimit> = {
  'publish-new': { rateMs: 10 * 60_000, burst: 5 },
  'publish-update': { rateMs: 60_000, burst: 30 },
  'yank-unyank': { rateMs: 60_000, burst: 100 },
};

/** crates.io's messages (the 429 detail starts with these). */
export const RATE_LIMIT_MESSAGES: Record<LimitedAction, string> = {
  'publish-new': 'You have published too many new crates in a short period of time',
  'publish-update': 'You have published too many updates to existing crates in a short period of time',
  'yank-unyank': 'You have yanked or unyanked too many versions in a short period of time',
};

export interface RateLimitOptions {
  /** Multiplies every refill period (0.01 = 100x faster). Default 1. */
  scale?: number;
  /** Per-action overrides (unscaled rateMs). */
  limits?: Partial<Record<LimitedAction, Partial<ActionLimit>>>;
  /** Turns limiting off entirely. */
  disabled?: boolean;
}

interface Bucket {
  tokens: number;
  lastRefill: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfter: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limits: Record<LimitedAction, ActionLimit>;

  constructor(private readonly opts: RateLimitOptions = {}) {
    const scale = opts.scale ?? 1;
    const l = {} as Record<LimitedAction, ActionLimit>;
    for (const action of Object.keys(CRATES_IO_LIMITS) as LimitedAction[]) {
      const o = opts.limits?.[action] ?? {};
      l[action] = {
        rateMs: Math.max(1, Math.round((o.rateMs ?? CRATES_IO_LIMITS[action].rateMs) * scale)),
        burst: o.burst ?? CRATES_IO_LIMITS[action].burst,
      };
    }
    this.limits = l;
  }

  /** The effective (scaled) limit of an action. */
  limit(action: LimitedAction): ActionLimit {
    return { ...this.limits[action] };
  }

  take(user: string, action: LimitedAction, now = Date.now()): TakeResult {
    if (this.opts.disabled) return { ok: true };
    const { rateMs, burst } = this.limits[action];
    const key = `${user}\u0000${action}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: burst, lastRefill: now };
      this.buckets.set(key, b);
    } else {
      const add = Math.floor((now - b.lastRefill) / rateMs);
      b.tokens = Math.min(burst, Math.max(0, b.tokens - 1) + add);
      b.lastRefill += add * rateMs;
    }
    return b.tokens >= 1 ? { ok: true } : { ok: false, retryAfter: b.lastRefill + rateMs };
  }
}

/**
 * An HTTP date (`Wed, 07 Oct 2026 17:17:34 GMT`), rounded UP to the whole second:
 * crates.io truncates, which lets a client that waits "until Retry-After" come back a
 * fraction of a second early and be refused again.
 */
export function httpDate(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toUTCString();
}
