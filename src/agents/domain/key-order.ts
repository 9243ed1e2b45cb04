/**
 * Runs items with the same key one after another (in the order given), different keys concurrently. Every
 * key runs to its end even when another fails (none is left running unobserved); the first error is rethrown.
 */
export async function runInKeyOrder<T>(items: T[], keyOf: (item: T) => string, fn: (item: T) => Promise<void>): Promise<void> {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = byKey.get(k);
    if (list) list.push(item);
    else byKey.set(k, [item]);
  }
  const outcomes = await Promise.allSettled(
    [...byKey.values()].map(async (list) => {
      for (const item of list) await fn(item);
    }),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}
