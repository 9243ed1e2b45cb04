import type { Role } from '../config/settings';
import { analyticsConsumers, analystsApi, replayJobs } from '../analysts/component';
import type { ComponentFactory } from './context';

/**
 * Which components make up each role. One process may run any set of roles (`hookhub start --roles …`);
 * the HTTP roles are stateless and the consumer roles scale as Kafka consumer groups.
 */
export const roleComponents: Record<Role, ComponentFactory[]> = {
  ingest: [],
  api: [analystsApi, replayJobs],
  archiver: [analyticsConsumers],
  agents: [],
  delivery: [],
};
