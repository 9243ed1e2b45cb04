import type { AnalyticsStore } from './data-access/rollups';
import {
  deliveryIncrement,
  executionIncrements,
  ingestAcceptedIncrement,
  ingestRejectedIncrement,
  type DeliveryAttemptFact,
  type ExecutionFact,
  type IngestAcceptedFact,
  type IngestRejectedFact,
} from './domain/rollup';

/**
 * The recording side of analytics: plain functions the producers of facts call. Executions and accepted ingest
 * arrive over Kafka (consumers/analytics*.ts); rejected webhooks and delivery attempts never reach Kafka, so the
 * ingest and delivery components call these directly.
 */
export async function recordExecutions(store: AnalyticsStore, facts: ExecutionFact[]): Promise<void> {
  await store.apply(facts.flatMap(executionIncrements));
}

export async function recordIngestAccepted(store: AnalyticsStore, facts: IngestAcceptedFact[]): Promise<void> {
  await store.apply(facts.map(ingestAcceptedIncrement));
}

export async function recordIngestRejected(store: AnalyticsStore, fact: IngestRejectedFact): Promise<void> {
  await store.apply([ingestRejectedIncrement(fact)]);
}

/**
 * One delivery attempt: counts and latency into the rollups, and the subscription's running health (a failure
 * streak opens `failing` with the time it began; any success closes it).
 */
export async function recordDeliveryAttempt(store: AnalyticsStore, fact: DeliveryAttemptFact, options: { healthOnly?: boolean } = {}): Promise<void> {
  if (!options.healthOnly) await store.apply([deliveryIncrement(fact)]);
  const lastError = fact.errorKind ?? (fact.statusCode !== undefined ? `http_${fact.statusCode}` : undefined);
  if (fact.ok) await store.markHealthy(fact.subscriptionId);
  else await store.markFailing(fact.subscriptionId, 'failing', fact.at, { lastError, lastStatusCode: fact.statusCode, countFailure: true });
}

export interface DeliveryStateFact {
  subscriptionId: string;
  /** `failing` and `disabled` list the subscription as currently failing; `healthy` clears it. */
  state: 'healthy' | 'failing' | 'disabled';
  lastError?: string;
  at: Date;
}

/** Sets a subscription's health explicitly (e.g. delivery disabled it after exhausting retries, or an operator re-enabled it). */
export async function recordDeliveryState(store: AnalyticsStore, fact: DeliveryStateFact): Promise<void> {
  if (fact.state === 'healthy') await store.markHealthy(fact.subscriptionId);
  else await store.markFailing(fact.subscriptionId, fact.state, fact.at, { lastError: fact.lastError, countFailure: false });
}

export type { DeliveryAttemptFact, ExecutionFact, IngestAcceptedFact, IngestRejectedFact };
