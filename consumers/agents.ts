import type { HubContext } from '../src/app/context';
import type { Runnable } from '../src/app/entry-points';
import type { AgentsIntake } from '../src/agents/intake';
import type { InboundEvent } from '../src/agents/domain/model';
import { parseInbound, PoisonMessageError } from '../src/agents/entry-points/kafka';
import { FETCH_SETTINGS, GroupConsumer, commitAfterBatch, type DeadLetter } from '../src/platform/consumer';

/**
 * Group `<clientId>-agents` over every inbound topic: decode → stage.handleBatch → dead letters → commit. Partitions
 * run concurrently; a batch is committed only after its executions are stored, its results published and its
 * dead letters written.
 */
export function agentsConsumer(ctx: HubContext, intake: AgentsIntake): Runnable {
  const log = ctx.logger.child({ component: 'agents' });
  return new GroupConsumer({
    kafka: ctx.kafka,
    logger: log,
    groupId: `${ctx.env.kafkaClientId}-agents`,
    topics: intake.topics,
    refreshMs: ctx.env.agentsRefreshMs,
    topicSettleMs: ctx.env.topicSettleMs,
    onRefresh: intake.refresh,
    fetch: { ...FETCH_SETTINGS.agents, partitionsConsumedConcurrently: ctx.env.agentsConcurrency, sessionTimeoutMs: ctx.env.agentsSessionTimeoutMs },
    metrics: ctx.metrics,
    strategy: commitAfterBatch(async ({ topic, partition, messages }) => {
      const events: InboundEvent[] = [];
      const letters: DeadLetter[] = [];
      for (const m of messages) {
        try {
          events.push(parseInbound(m, topic, partition));
        } catch (err) {
          if (!(err instanceof PoisonMessageError)) throw err;
          log.warn('poison message dead-lettered', { topic, partition, offset: m.offset, code: err.code, reason: err.message });
          letters.push({ original: m, topic, partition, code: err.code, error: err.message, attempts: 1 });
        }
      }
      const byOffset = new Map(messages.map((m) => [m.offset, m]));
      for (const d of await intake.stage.handleBatch(events)) {
        const original = byOffset.get(d.event.offset);
        if (original) letters.push({ original, topic, partition, code: d.code, error: d.message, attempts: d.attempts, agent: d.agent, executionId: d.executionId });
      }
      await intake.deadLetters.write(letters);
    }),
  });
}
