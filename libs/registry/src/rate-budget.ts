// A local model of the registry's publish rate limits, so uploads are paced instead
// of running into 429s: a token bucket per action (new crate / new version) that
// starts full and refills one token per period — crates.io's arithmetic. A real 429
// corrects the model: the bucket is emptied and refills at the Retry-After time. For a
// registry whose limits are unknown there is no model, only what 429s teach.

export type PublishAction = 'publish-new' | 'publish-update';

export interface ActionRate {
  burst: number;
  periodMs: number;
}

export type RateLimitModel = Partial<Record<PublishAction, ActionRate>>;

/** crates.io (https://crates.io/docs/rate-limits): new crates 5 then 1 per 10 min; new versions 30 then 1 per min. */
export const CRATES_IO_RATE_LIMITS: Required<RateLimitModel> = {
  'publish-new': { burst: 5, periodMs: 10 * 60_000 },
  'publish-update': { burst: 30, periodMs: 60_000 },
};

/** Scales the periods of a model (tests and benchmarks run limits faster). */
export function scaleRateLimits(model: RateLimitModel, scale: number): RateLimitModel {
  const out: RateLimitModel = {};
  for (const [k, v] of Object.entries(model) as Array<[PublishAction, ActionRate]>) {
    out[k] = { burst: v.burst, periodMs: Math.max(1, Math.round(v.periodMs * scale)) };
  }
  return out;
}

interface Bucket {
  tokens: number;
  lastRefill: number;
  /** Moved to the first confirmed upload yet (see confirm()). */
  anchored: boolean;
}

export class RateBudget {
  private readonly buckets = new Map<PublishAction, Bucket>();
  /** Set by a 429: nothing of that action starts before. */
  private readonly pausedUntil = new Map<PublishAction, number>();

  constructor(private readonly model: RateLimitModel = {}) {}

  /** The model's limit of an action, if any. */
  rate(action: PublishAction): ActionRate | undefined {
    return this.model[action];
  }

  private refill(action: PublishAction, now: number): Bucket | undefined {
    const r = this.model[action];
    if (!r) return undefined;
    let b = this.buckets.get(action);
    if (!b) {
      // The registry starts a user's bucket at its first request; so do we.
      b = { tokens: r.burst, lastRefill: now, anchored: false };
      this.buckets.set(action, b);
    }
    if (now > b.lastRefill) {
      const add = Math.floor((now - b.lastRefill) / r.periodMs);
      if (add > 0) {
        b.tokens = Math.min(r.burst, b.tokens + add);
        b.lastRefill += add * r.periodMs;
      }
    }
    return b;
  }

  /** When an upload of this action may start (<= now: at once). Does not take a token. */
  nextSlot(action: PublishAction, now = Date.now()): number {
    const paused = this.pausedUntil.get(action) ?? 0;
    const b = this.refill(action, now);
    if (!b) return Math.max(now, paused);
    const r = this.model[action]!;
    const at = b.tokens >= 1 ? now : b.lastRefill + r.periodMs;
    return Math.max(at, paused);
  }

  /** Takes a token; call only when nextSlot(action) <= now. */
  take(action: PublishAction, now = Date.now()): void {
    const b = this.refill(action, now);
    if (b && b.tokens >= 1) b.tokens--;
  }

  /**
   * The registry confirmed an upload at `at`. Its bucket started no later than its
   * first confirmed upload, so anchoring ours there keeps our refills at or after its.
   */
  confirm(action: PublishAction, at = Date.now()): void {
    const b = this.buckets.get(action);
    if (b && !b.anchored) {
      b.anchored = true;
      if (at > b.lastRefill) b.lastRefill = at;
    }
  }

  /** Gives back a token taken for an upload that never reached the registry's limiter. */
  refund(action: PublishAction): void {
    const r = this.model[action];
    const b = this.buckets.get(action);
    if (r && b) b.tokens = Math.min(r.burst, b.tokens + 1);
  }

  /** A 429 said: nothing of this action before `retryAt`. */
  learn429(action: PublishAction, retryAt: number): void {
    const r = this.model[action];
    const b = this.buckets.get(action);
    const b2 = b ?? (r ? this.refill(action, Date.now()) : undefined);
    if (r && b2) {
      b2.tokens = 0;
      b2.lastRefill = retryAt - r.periodMs;
      b2.anchored = true;
    }
    this.pausedUntil.set(action, Math.max(this.pausedUntil.get(action) ?? 0, retryAt));
  }

  /**
   * The floor the model sets on publishing `count` crates of an action from a full
   * bucket: the time of the last token (0 while the burst covers them).
   */
  static floorMs(rate: ActionRate | undefined, count: number): number {
    if (!rate || count <= rate.burst) return 0;
    return (count - rate.burst) * rate.periodMs;
  }
}
