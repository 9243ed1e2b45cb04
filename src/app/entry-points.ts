import type { AgentsIntake } from '../agents/intake';
import type { AnalyticsStore } from '../analysts/analytics/data-access/rollups';
import type { DeliveryIntake } from '../delivery/intake';
import type { ArchiverIntake } from '../ingest/archiver';
import type { HubContext } from './context';

/** A consumer group member a component starts and stops at the right moment of its own start and stop. */
export interface Runnable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Kafka entry points (`consumers/`), one per stage: subscribe, decode, call the component's intake. They are
 * handed in by the composition root (`bin/hookhub.js`, the test and bench harnesses), so nothing in `src/`
 * imports `consumers/`; each component declares the intake its entry point calls.
 */
export interface KafkaEntryPoints {
  archiver(ctx: HubContext, intake: ArchiverIntake): Runnable;
  agents(ctx: HubContext, intake: AgentsIntake): Runnable;
  delivery(ctx: HubContext, intake: DeliveryIntake): Runnable;
  analytics(ctx: HubContext, store: AnalyticsStore): Runnable;
}

/** The entry points of a hub that runs consumer roles. */
export function kafkaEntryPoints(ctx: HubContext): KafkaEntryPoints {
  if (!ctx.entryPoints) throw new Error('the archiver, agents and delivery roles need the Kafka entry points of consumers/ (startHub({ entryPoints }))');
  return ctx.entryPoints;
}
