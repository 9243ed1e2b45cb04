import type { Admin } from 'kafkajs';

export interface PartitionLag {
  partition: number;
  /** The group's committed offset; null when it has committed nothing on this partition yet. */
  committed: number | null;
  /** The partition's end (high watermark). */
  end: number;
  lag: number;
}

export interface GroupLag {
  groupId: string;
  state: string;
  members: number;
  lag: number;
  topics: { topic: string; lag: number; partitions: PartitionLag[] }[];
}

/**
 * How far each of this hub's consumer groups (ids `<clientId>-<stage>`) is behind the end of the topics it
 * has committed offsets on, over every partition of those topics. A partition without a committed offset counts
 * from its low watermark, which is where a new group with `fromBeginning` starts.
 */
export async function consumerLag(admin: Admin, groupPrefix: string): Promise<GroupLag[]> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(groupPrefix)).sort();
  if (ours.length === 0) return [];
  const described = new Map((await admin.describeGroups(ours)).groups.map((g) => [g.groupId, g]));
  const ends = new Map<string, Map<number, { low: number; high: number }>>();
  const endsOf = async (topic: string): Promise<Map<number, { low: number; high: number }>> => {
    let known = ends.get(topic);
    if (!known) {
      known = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: Number(p.low), high: Number(p.high) }]));
      ends.set(topic, known);
    }
    return known;
  };
  const out: GroupLag[] = [];
  for (const groupId of ours) {
    const committed = await admin.fetchOffsets({ groupId });
    const topics: GroupLag['topics'] = [];
    for (const t of committed) {
      const topicEnds = await endsOf(t.topic);
      const offsets = new Map(t.partitions.map((p) => [p.partition, Number(p.offset)]));
      const partitions = [...topicEnds.entries()]
        .sort(([a], [b]) => a - b)
        .map(([partition, { low, high }]): PartitionLag => {
          const offset = offsets.get(partition) ?? -1;
          return { partition, committed: offset >= 0 ? offset : null, end: high, lag: Math.max(0, high - (offset >= 0 ? offset : low)) };
        });
      topics.push({ topic: t.topic, lag: partitions.reduce((n, p) => n + p.lag, 0), partitions });
    }
    const info = described.get(groupId);
    out.push({ groupId, state: info?.state ?? 'Unknown', members: info?.members.length ?? 0, lag: topics.reduce((n, t) => n + t.lag, 0), topics });
  }
  return out;
}
