/**
 * `fn` over `items`, at most `limit` calls at once, started in order; each call gets the
 * slot of the worker running it (0 to limit-1, one call per slot at a time, so a slot can
 * own a directory). No call starts once `signal` aborts. The results in the items' order
 * (a call never started leaves its place empty).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, slot: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async (_, slot) => {
      while (next < items.length && !signal?.aborted) {
        const k = next++;
        out[k] = await fn(items[k], slot);
      }
    }),
  );
  return out;
}
