/**
 * How each consumer group fetches: the knobs that trade end-to-end latency against batch size. They are named
 * here, in one table, so that latency work (the soak, the benches) tunes them in one place.
 *
 * - `maxWaitTimeInMs`: how long the broker holds a fetch that has fewer than `minBytes` ready. An idle pipeline
 *   waits up to this long for the next event, so it bounds the latency a lone event pays per stage.
 * - `minBytes`: the broker answers as soon as this many bytes are ready (1: at the first record).
 * - `maxBytesPerPartition`: upper bound of one partition's batch in a fetch (kafkajs default 1 MiB).
 * - `partitionsConsumedConcurrently`: partitions of one member handled at the same time (ordering is per partition).
 * - `heartbeatIntervalMs`: how often a member tells the coordinator it is alive, during long batches too. A member
 *   learns that its group rebalances (a member came, left, or picked up a new topic) only from a heartbeat, and
 *   only between fetches: this plus `maxWaitTimeInMs` bounds how long a rebalance pauses the group.
 * - `sessionTimeoutMs`: a member silent this long is removed and its partitions move to the others.
 */
export interface FetchSettings {
  maxWaitTimeInMs: number;
  minBytes: number;
  maxBytesPerPartition: number;
  partitionsConsumedConcurrently: number;
  heartbeatIntervalMs: number;
  sessionTimeoutMs: number;
}

const base: FetchSettings = {
  maxWaitTimeInMs: 200,
  minBytes: 1,
  maxBytesPerPartition: 1048576,
  partitionsConsumedConcurrently: 1,
  heartbeatIntervalMs: 1000,
  sessionTimeoutMs: 30000,
};

/** Per stage. The agents stage takes its concurrency and session timeout from settings (see its entry point). */
export const FETCH_SETTINGS = {
  /**
   * One bulk write per batch; nothing downstream waits for the archive, so the broker gathers up to 32 KiB (or
   * `maxWaitTimeInMs`) first: at a steady rate, a few inserts a second instead of one per handful of events. A
   * longer wait would slow rebalances.
   */
  archiver: { ...base, maxWaitTimeInMs: 500, minBytes: 32768 },
  agents: { ...base, maxWaitTimeInMs: 200 },
  /** On the path of every callback: the shortest wait of all stages. */
  delivery: { ...base, maxWaitTimeInMs: 100, partitionsConsumedConcurrently: 4 },
  /**
   * Rollups only: each batch costs one upsert per rollup collection (minute, hour, day; per metric), whatever its
   * size, so the broker gathers up to 64 KiB (or `maxWaitTimeInMs`) first.
   */
  analytics: { ...base, maxWaitTimeInMs: 500, minBytes: 65536 },
} satisfies Record<string, FetchSettings>;
