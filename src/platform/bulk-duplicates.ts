/**
 * Reading the error of an unordered `insertMany` whose only failures may be duplicate `_id`s (idempotent writes).
 *
 * The MongoDB driver throws a `MongoBulkWriteError` in two quite different cases:
 * - the server answered and some documents were refused: `writeErrors` lists them, every other document is stored;
 * - the command never completed (connection reset, the server killed, a timeout): the driver wraps that error in a
 *   `MongoBulkWriteError` too, with `writeErrors: []`, and nothing says which documents were stored.
 * Reading the second case as "no write errors, all inserted" committed Kafka offsets past documents that were never
 * written (the soak lost archived events when FerretDB was killed mid-insert). Only the first case, with every
 * write error a duplicate key, is an answer; anything else must be rethrown so that the batch is written again.
 */
export interface DuplicateOnlyFailure {
  /** Indexes (into the documents given) that already existed. */
  duplicates: Set<number>;
}

interface WriteErrorLike {
  code?: number;
  index?: number;
  err?: { code?: number; index?: number };
}

/** The duplicates of a bulk insert that failed only on duplicate keys; `undefined` when the error is anything else. */
export function duplicateOnlyFailure(err: unknown): DuplicateOnlyFailure | undefined {
  const raw = (err as { writeErrors?: WriteErrorLike[] | WriteErrorLike } | null)?.writeErrors;
  const writeErrors = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (writeErrors.length === 0) return undefined;
  const duplicates = new Set<number>();
  for (const w of writeErrors) {
    const code = w.code ?? w.err?.code;
    const index = w.index ?? w.err?.index;
    if (code !== 11000 || index === undefined) return undefined;
    duplicates.add(index);
  }
  return { duplicates };
}
