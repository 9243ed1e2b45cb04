import { randomBytes } from 'node:crypto';
import type { Logger } from '../../platform/logger';
import { sleep } from '../../platform/timeout';
import type { RunnerSet } from '../runners';
import type { RunResult } from '../runners/runner';
import { toRunError } from './errors';
import { queued, ranInPlace, redeliveryStep, type DeadLetter } from './execution-state';
import { infraRetry, type InfraRetry } from './infra-retry';
import { runInKeyOrder } from './key-order';
import { Leases } from './leases';
import type { Execution, FinalStatus, InboundEvent, StoredExecution } from './model';
import { orderByEvent, planBatch, type Planned } from './planning';
import type { AgentRegistry, DocumentStore, ExecutionStore, InputSchemas, ResultPublisher, StatusChange, StatusStore } from './ports';
import { runExecution, type ExecutionDeps } from './run-execution';
import { KeyedSemaphores } from './semaphore';

export type { DeadLetter };

export interface StageOptions {
  executions: ExecutionStore;
  documents: DocumentStore;
  status: StatusStore;
  registry: AgentRegistry;
  runners: RunnerSet;
  schemas: InputSchemas;
  publisher: ResultPublisher;
  logger: Logger;
  leaseMs: number;
  defaultTimeoutMs: number;
  defaultConcurrency: number;
  /** Retries of MongoDB/Kafka writes around a batch (p-retry, exponential backoff). */
  infraRetries?: number;
}

/** A planned execution with what its pure run left to store (documents are written before the execution). */
type Recorded = Planned & { documents?: RunResult['documents'] };

/**
 * The agents stage use case, one Kafka batch (one partition) at a time:
 * 1. plan (planning.ts): route each event to its agents, validate the mapped input; run pure built-ins in process;
 * 2. record: insert every execution at once (unique per event and agent) — finished ones for pure runs and
 *    rejections, `queued` ones with a lease for the rest; duplicates are redeliveries and are not run again
 *    (a finished one only has its result re-published if that never happened);
 * 3. run the queued ones (run-execution.ts): one key's events in order, keys concurrently, at most
 *    `maxConcurrency` per agent, transient errors retried with backoff, every attempt bounded by the agent's
 *    timeout, leases renewed meanwhile (leases.ts);
 * 4. publish results in event order, mark them published, fold the status changes into one write per agent
 *    (results of executions finished while planning are published before step 2 and stored as published).
 * The caller commits the batch's offsets only after this resolves.
 */
export class AgentsStage {
  readonly owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly shutdown = new AbortController();
  private readonly leases: Leases;
  private readonly infra: InfraRetry;
  private readonly execution: ExecutionDeps;

  constructor(private readonly o: StageOptions) {
    this.leases = new Leases(o.executions, this.owner, o.leaseMs, o.logger);
    this.infra = infraRetry(o.logger, o.infraRetries ?? 6);
    this.execution = {
      executions: o.executions,
      documents: o.documents,
      runners: o.runners,
      leases: this.leases,
      semaphores: new KeyedSemaphores(),
      infra: this.infra,
      logger: o.logger,
      shutdown: this.shutdown.signal,
      defaultTimeoutMs: o.defaultTimeoutMs,
      defaultConcurrency: o.defaultConcurrency,
    };
  }

  /** Aborts waiting and running work (used when stopping without drain). */
  abort(): void {
    this.shutdown.abort();
  }

  async handleBatch(events: InboundEvent[]): Promise<DeadLetter[]> {
    if (events.length === 0) return [];
    // Checked now that the batch is here: an agent or route change answered before these events were
    // produced applies to them (read-your-writes).
    await this.infra('read agents and routes', () => this.o.registry.fresh());
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.o.leaseMs);
    const plan = planBatch(events, { agents: this.o.registry.agents, routes: this.o.registry.routes, validate: (schema, value) => this.o.schemas.validate(schema, value), isPure: (agent) => this.o.runners[agent.runner.kind].pure }, now);
    if (plan.length === 0) return [];
    const planned: Recorded[] = await Promise.all(plan.map((p) => (p.kind === 'pure' ? this.runPure(p, now) : p.kind === 'run' ? { ...p, execution: queued(p.execution, this.owner, leaseUntil) } : p)));

    await this.infra('write documents', () => this.writePureDocuments(planned));
    // Executions finished while planning (pure runs, rejections) are published first and then stored already
    // marked as published: one write per execution instead of two. Should the process die in between, the
    // redelivered event yields the same result under the same CloudEvent id, which consumers can deduplicate.
    const finals = orderByEvent(planned.filter((p) => p.kind !== 'run').map((p) => p.execution), events);
    if (finals.length > 0) await this.infra('publish results', () => this.o.publisher.publish(finals));
    const storedAt = new Date();
    for (const p of planned) p.execution = { ...p.execution, createdAt: storedAt, updatedAt: storedAt, ...(p.kind !== 'run' ? { resultPublished: true } : {}) };
    const dups = await this.infra('insert executions', () => this.o.executions.insertMany(planned.map((p) => p.execution)));

    const toRun: Planned[] = [];
    const status: StatusChange[] = [];
    const redelivered: Planned[] = [];
    for (const p of planned) {
      if (dups.has(p.execution.id)) redelivered.push(p);
      else if (p.kind !== 'run') status.push({ agent: p.execution.agent, runningDelta: 0, outcome: p.execution.status as FinalStatus, at: p.execution.finishedAt, executionId: p.execution.id });
      else toRun.push(p);
    }

    const toPublish: Execution[] = [];
    const deadLetters: DeadLetter[] = [];
    const stopRenewing = this.leases.keepRenewing();
    for (const p of toRun) this.leases.hold(p.execution.id);
    const heldHere = toRun.map((p) => p.execution.id);
    try {
      toPublish.push(...(await this.settleRedelivered(redelivered, toRun, heldHere)));
      await runInKeyOrder(toRun, (p) => p.event.key ?? p.event.id, async (p) => {
        const r = await runExecution(this.execution, p);
        if (r.finished) toPublish.push(r.finished);
        status.push(...r.status);
        if (r.deadLetter) deadLetters.push(r.deadLetter);
      });
    } finally {
      stopRenewing();
      for (const id of heldHere) this.leases.unhold(id);
    }

    const ordered = orderByEvent(toPublish, events);
    if (ordered.length > 0) {
      await this.infra('publish results', () => this.o.publisher.publish(ordered));
      const ids = ordered.map((e) => e.id);
      await this.leases.settled(ids); // let pending renewals land first
      await this.infra('mark published', () => this.o.executions.markPublished(ids));
    }
    await this.infra('agent status', () => this.o.status.apply(status)).catch((err: unknown) => this.o.logger.warn('agent status not updated', { err }));
    return deadLetters;
  }

  /** Pure runners have no outside effect: they run while planning, and their result is stored in one go. */
  private async runPure(p: Planned, now: Date): Promise<Recorded> {
    const agent = p.agent;
    if (!agent) return p;
    try {
      const result = await this.o.runners[agent.runner.kind].run({ executionId: p.execution.id, agent, ...(p.target.task !== undefined ? { task: p.target.task } : {}), input: p.target.input, event: p.event, signal: this.shutdown.signal, deadline: now.getTime() + (agent.timeoutMs ?? this.o.defaultTimeoutMs), attempt: 1 });
      return { ...p, execution: ranInPlace(p.execution, now, { output: result.output }), ...(result.documents?.length ? { documents: result.documents } : {}) };
    } catch (err) {
      return { ...p, execution: ranInPlace(p.execution, now, { error: toRunError(err) }) };
    }
  }

  /** Documents of pure runs are written before their executions, with ids derived from the execution. */
  private async writePureDocuments(planned: Recorded[]): Promise<void> {
    for (const p of planned) {
      if (!p.documents?.length) continue;
      const refs = await this.o.documents.write({ agent: p.execution.agent, executionId: p.execution.id, eventId: p.execution.eventId }, p.documents);
      p.execution = { ...p.execution, documents: refs };
    }
  }

  /**
   * Redelivered events (execution-state.ts decides each one): finished executions are not run again (their
   * result is re-published when it never was); a queued/running one whose lease expired (its process died), or
   * that this process left behind, is taken over and run; one still leased by a live process is waited for,
   * bounded by its lease being renewed.
   */
  private async settleRedelivered(redelivered: Planned[], toRun: Planned[], heldHere: string[]): Promise<Execution[]> {
    const out: Execution[] = [];
    let pending = redelivered;
    while (pending.length > 0) {
      const existing = new Map((await this.infra('read executions', () => this.o.executions.findByIds(pending.map((p) => p.execution.id)))).map((e) => [e.id, e]));
      const waiting: Planned[] = [];
      for (const p of pending) {
        const stored = existing.get(p.execution.id);
        if (!stored) continue; // deleted meanwhile: nothing to do
        const step = redeliveryStep(stored, this.owner, this.leases.isHeld(stored.id), Date.now());
        if (step === 'publish') out.push(stored);
        if (step === 'done' || step === 'publish') continue;
        const claimed = step === 'wait' ? null : await this.reclaim(stored, step === 'reclaim-own' ? 'own' : 'expired');
        if (claimed) {
          toRun.push({ ...p, kind: 'run', execution: claimed });
          this.leases.hold(claimed.id);
          heldHere.push(claimed.id);
        } else waiting.push(p);
      }
      if (waiting.length > 0) {
        if (this.shutdown.signal.aborted) throw new Error('stopping');
        await sleep(Math.min(1000, Math.max(100, Math.floor(this.o.leaseMs / 4))));
      }
      pending = waiting;
    }
    return out;
  }

  private async reclaim(stored: StoredExecution, why: 'own' | 'expired'): Promise<StoredExecution | null> {
    const claimed = await this.infra('reclaim execution', () => this.o.executions.reclaim(stored.id, this.owner, this.o.leaseMs, why));
    if (claimed) this.o.logger.info('taking over an unfinished execution', { executionId: stored.id, agent: stored.agent, attempts: stored.attempts, reason: why === 'own' ? 'own' : 'lease expired' });
    return claimed;
  }
}
