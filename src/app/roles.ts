import { createApiComponent } from '../api/component';
import type { Role } from '../config/settings';
import { createArchiverComponent, createIngestComponent } from '../ingest/component';
import { createAgentsComponent, createExecutionResultCallback } from '../agents/component';
import { createDeliveryComponent } from '../delivery/component';
import { analyticsConsumers, analystsApi, replayJobs } from '../analysts/component';
import type { ComponentFactory } from './context';

/**
 * Which components make up each role. One process may run any set of roles (`hookhub start --roles …`);
 * the HTTP roles are stateless and the consumer roles scale as Kafka consumer groups.
 */
export const roleComponents: Record<Role, ComponentFactory[]> = {
  ingest: [createIngestComponent],
  api: [createExecutionResultCallback, analystsApi, createApiComponent, replayJobs],
  archiver: [createArchiverComponent, analyticsConsumers],
  agents: [createAgentsComponent],
  delivery: [createDeliveryComponent],
};
