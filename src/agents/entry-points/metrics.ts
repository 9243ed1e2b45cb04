import { Counter, Histogram, type Registry } from 'prom-client';
import type { Execution } from '../domain/model';
import type { ResultPublisher } from '../domain/ports';

export interface AgentsMetrics {
  deadLetters: Counter<'code'>;
  /** Wraps a publisher so every published result is counted and its duration observed. */
  counting(publisher: ResultPublisher): ResultPublisher;
}

export function agentsMetrics(registry: Registry): AgentsMetrics {
  const results = new Counter({ name: 'hookhub_agent_results_published_total', help: 'Execution results published to the results topic, by agent and status.', labelNames: ['agent', 'status'] as const, registers: [registry] });
  const duration = new Histogram({
    name: 'hookhub_agent_execution_duration_seconds',
    help: 'Duration of finished executions, by agent.',
    labelNames: ['agent'] as const,
    buckets: [0.005, 0.05, 0.25, 1, 5, 30, 120, 600],
    registers: [registry],
  });
  const deadLetters = new Counter({ name: 'hookhub_agents_dead_letters_total', help: 'Messages the agents stage sent to its DLQ, by error code.', labelNames: ['code'] as const, registers: [registry] });
  return {
    deadLetters,
    counting: (publisher) => ({
      async publish(executions: Execution[]): Promise<void> {
        await publisher.publish(executions);
        for (const d of executions) {
          results.inc({ agent: d.agent, status: d.status });
          if (d.durationMs !== undefined) duration.observe({ agent: d.agent }, d.durationMs / 1000);
        }
      },
    }),
  };
}
