import { Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per hub, so tests running several hubs in one process do not collide. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hookhub_' });
  return registry;
}
