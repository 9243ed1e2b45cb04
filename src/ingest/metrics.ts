import { Counter, Histogram, type Registry } from 'prom-client';
import type { SourceConfig } from '../config/types';
import { matchesEventType } from '../platform/matching';

/** The label of every event type a source's config does not name: senders choose types, series must not grow with them. */
export const OTHER_TYPE = 'other';

/**
 * The `type` label of an event: a type the source maps to a schema exactly, else the pattern that matched
 * (`stripe.*`), else `other`. The label set is then bounded by the config, not by what senders send.
 */
export function typeLabel(source: Pick<SourceConfig, 'schemas'> | undefined, type: string): string {
  if (!type) return '';
  const mappings = source?.schemas ?? [];
  if (mappings.some((m) => m.type === type)) return type;
  return mappings.find((m) => matchesEventType(m.type, type))?.type ?? OTHER_TYPE;
}

export interface IngestMetrics {
  accepted(source: string, type: string, outcome: 'accepted' | 'duplicate', startedMs: number): void;
  rejected(source: string, type: string, code: string, startedMs: number): void;
}

/** Ingest's counters and latency histogram on the hub's registry (`/metrics`). */
export function ingestMetrics(registry: Registry): IngestMetrics {
  const accepted = new Counter({
    name: 'hookhub_ingest_accepted_total',
    help: 'Webhooks answered 2xx: outcome accepted (202, in Kafka) or duplicate (200, accepted earlier).',
    labelNames: ['source', 'type', 'outcome'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'hookhub_ingest_rejected_total',
    help: 'Webhooks answered with an error, by problem code.',
    labelNames: ['source', 'type', 'code'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'hookhub_ingest_duration_seconds',
    help: 'Time from the request reaching the webhook route to the answer, by outcome.',
    labelNames: ['source', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const seconds = (startedMs: number): number => (performance.now() - startedMs) / 1000;
  return {
    accepted(source, type, outcome, startedMs) {
      accepted.inc({ source, type, outcome });
      latency.observe({ source, outcome }, seconds(startedMs));
    },
    rejected(source, type, code, startedMs) {
      rejected.inc({ source, type, code });
      latency.observe({ source, outcome: code }, seconds(startedMs));
    },
  };
}
