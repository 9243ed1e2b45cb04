import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset; null while it has committed nothing on this partition. */
  committed: number | null;
  /** The partition's end offset (high watermark). */
  end: number;
  lag: number;
}

/**
 * How far a group is behind on every partition of `topics` (all topics it has committed on when omitted): end
 * offset minus committed offset. Without a commit the group reads from the beginning, so everything retained
 * (end minus low watermark) is still to read. Used by the /metrics gauge and the API's consumer lag.
 */
export async function partitionLags(admin: Admin, groupId: string, topics?: string[]): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets(topics ? { groupId, topics } : { groupId });
  const perTopic = await Promise.all(
    committed.map(async ({ topic, partitions }) => {
      const ends = await admin.fetchTopicOffsets(topic);
      return ends
        .map((end): PartitionLag => {
          const c = partitions.find((p) => p.partition === end.partition);
          const offset = c ? Number(c.offset) : -1;
          const from = offset >= 0 ? offset : Number(end.low);
          return { topic, partition: end.partition, committed: offset >= 0 ? offset : null, end: Number(end.high), lag: Math.max(0, Number(end.high) - from) };
        })
        .sort((a, b) => a.partition - b.partition);
    }),
  );
  return perTopic.flat();
}
