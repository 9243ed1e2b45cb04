import { withContext, type Logger } from '../../platform/logger';
import type { RunnerSet } from '../runners';
import { deadLetterOf, finishFields, type DeadLetter } from './execution-state';
import type { InfraRetry } from './infra-retry';
import type { Leases } from './leases';
import type { Planned } from './planning';
import type { DocumentStore, ExecutionStore, StatusChange } from './ports';
import { runAttempts } from './run-attempts';
import type { KeyedSemaphores } from './semaphore';
import type { DocumentRef, StoredExecution } from './model';

export interface ExecutionDeps {
  executions: ExecutionStore;
  documents: DocumentStore;
  runners: RunnerSet;
  leases: Leases;
  /** At most `maxConcurrency` runs per agent in this process. */
  semaphores: KeyedSemaphores;
  infra: InfraRetry;
  logger: Logger;
  shutdown: AbortSignal;
  defaultTimeoutMs: number;
  defaultConcurrency: number;
}

export interface ExecutionRun {
  /** The finished execution to publish; absent when it was lost to another process or cancelled meanwhile. */
  finished?: StoredExecution;
  status: StatusChange[];
  deadLetter?: DeadLetter;
}

/** One queued execution of an effectful runner, under its lease: queued → running → final, documents before the final write. */
export async function runExecution(d: ExecutionDeps, p: Planned): Promise<ExecutionRun> {
  const agent = p.agent;
  const id = p.execution.id;
  const status: StatusChange[] = [];
  if (!agent) return { status };
  const traceId = p.execution.traceId;
  const { owner, leaseMs } = d.leases;
  return withContext({ executionId: id, eventId: p.event.id, ...(traceId ? { traceId } : {}) }, async () => {
    const release = await d.semaphores.get(agent.name, agent.maxConcurrency ?? d.defaultConcurrency).acquire();
    try {
      const wasQueued = await d.infra('mark running', () => d.leases.serial(id, () => d.executions.markRunning(id, owner, leaseMs)));
      if (wasQueued === undefined) return { status }; // lost the lease to another process
      if (wasQueued) status.push({ agent: agent.name, runningDelta: 1 });
      const startedAt = new Date();
      // markRunning counted the first attempt; retries in this process add to it.
      let attempts = p.execution.attempts;
      const outcome = await runAttempts({
        runner: d.runners[agent.runner.kind],
        agent,
        timeoutMs: agent.timeoutMs ?? d.defaultTimeoutMs,
        request: { executionId: id, agent, ...(p.target.task !== undefined ? { task: p.target.task } : {}), input: p.target.input, event: p.event },
        shutdown: d.shutdown,
        countAttempt: () => (attempts += 1),
      });
      const finishedAt = new Date();
      const drafts = outcome.result?.documents ?? [];
      const refs: DocumentRef[] = drafts.length > 0 ? await d.infra('write documents', () => d.documents.write({ agent: agent.name, executionId: id, eventId: p.event.id }, drafts)) : [];
      const fields = finishFields(outcome, refs, attempts, startedAt, finishedAt);
      const finished = await d.infra('finish execution', () => d.leases.serial(id, () => d.executions.finish(id, owner, fields)));
      if (!finished) return { status }; // cancelled or taken over meanwhile: that state stands
      status.push({ agent: agent.name, runningDelta: -1, outcome: fields.status, at: finishedAt, executionId: id });
      d.logger.log(fields.status === 'succeeded' ? 'debug' : 'warn', 'execution finished', { agent: agent.name, status: fields.status, attempts: finished.attempts, error: finished.error });
      const deadLetter = deadLetterOf(outcome, p.event, finished);
      return { finished, status, ...(deadLetter ? { deadLetter } : {}) };
    } finally {
      release();
    }
  });
}
