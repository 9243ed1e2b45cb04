import type { Admin } from 'kafkajs';
import { partitionLags, type PartitionLag } from '../../platform/consumer/lag';

export interface GroupLag {
  groupId: string;
  state: string;
  members: number;
  lag: number;
  topics: { topic: string; lag: number; partitions: Omit<PartitionLag, 'topic'>[] }[];
}

/**
 * How far each of this hub's consumer groups (ids `<clientId>-<stage>`) is behind, on every partition of the
 * topics it has committed on. Read from Kafka, so it covers the groups' members in every process, not only
 * the ones this process runs (which is all the /metrics gauge can see).
 */
export async function consumerLag(admin: Admin, groupPrefix: string): Promise<GroupLag[]> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(groupPrefix)).sort();
  if (ours.length === 0) return [];
  const described = new Map((await admin.describeGroups(ours)).groups.map((g) => [g.groupId, g]));
  return Promise.all(
    ours.map(async (groupId): Promise<GroupLag> => {
      const byTopic = new Map<string, Omit<PartitionLag, 'topic'>[]>();
      for (const { topic, ...p } of await partitionLags(admin, groupId)) byTopic.set(topic, [...(byTopic.get(topic) ?? []), p]);
      const topics = [...byTopic].map(([topic, partitions]) => ({ topic, lag: partitions.reduce((n, p) => n + p.lag, 0), partitions }));
      const info = described.get(groupId);
      return { groupId, state: info?.state ?? 'Unknown', members: info?.members.length ?? 0, lag: topics.reduce((n, t) => n + t.lag, 0), topics };
    }),
  );
}
