import type { KafkaEntryPoints } from '../src/app/entry-points';
import { agentsConsumer } from './agents';
import { analyticsConsumer } from './analytics';
import { archiverConsumer } from './archiver';
import { deliveryConsumer } from './delivery';

/** Every stage's Kafka entry point, handed to `startHub` by the composition root. */
export const kafkaEntryPoints: KafkaEntryPoints = {
  archiver: archiverConsumer,
  agents: agentsConsumer,
  delivery: deliveryConsumer,
  analytics: analyticsConsumer,
};
