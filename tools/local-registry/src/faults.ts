// Seeded fault injection: a share of requests answers 500, 429 or hangs, the way a
// public registry under load misbehaves. Deterministic for a given seed and request
// order, so a failing test can be replayed.

export type FaultKind = '500' | '429' | 'hang';

export interface FaultOptions {
  /** Share of matching requests that fail, 0..1. */
  rate: number;
  seed?: number;
  /** Kinds to draw from, equally likely. Default all three. */
  kinds?: FaultKind[];
  /** How long a hung request is held before its socket is destroyed. Default 30 s. */
  hangMs?: number;
  /** Retry-After of an injected 429, from now. Default 1000 ms. */
  retryAfterMs?: number;
  /** Which requests may fail (`METHOD path`). Default every request. */
  match?: RegExp;
  /**
   * Share of failed uploads (`PUT /api/v1/crates/new`) that fail AFTER the version
   * was stored: the client sees a 500 or a hang though the upload happened. Default 0.
   */
  afterCommitShare?: number;
}

export interface FaultDecision {
  kind: FaultKind;
  afterCommit: boolean;
}

/** mulberry32: small, fast, good enough for test randomness. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private readonly random: () => number;
  readonly injected: Record<FaultKind, number> = { '500': 0, '429': 0, hang: 0 };

  constructor(readonly opts: FaultOptions) {
    if (!(opts.rate >= 0 && opts.rate <= 1)) throw new Error(`fault rate must be within 0..1, got ${opts.rate}`);
    this.random = seededRandom(opts.seed ?? 1);
  }

  decide(method: string, path: string): FaultDecision | undefined {
    if (this.opts.match && !this.opts.match.test(`${method} ${path}`)) return undefined;
    if (this.random() >= this.opts.rate) return undefined;
    const kinds = this.opts.kinds?.length ? this.opts.kinds : (['500', '429', 'hang'] as FaultKind[]);
    const kind = kinds[Math.floor(this.random() * kinds.length)];
    const isUpload = method === 'PUT' && path === '/api/v1/crates/new';
    const afterCommit = isUpload && kind !== '429' && this.random() < (this.opts.afterCommitShare ?? 0);
    this.injected[kind]++;
    return { kind, afterCommit };
  }
}
