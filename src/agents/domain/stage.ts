import { randomBytes } from 'node:crypto';
import pRetry from 'p-retry';
import { traceIdOf } from '../../platform/cloudevents';
import { withContext, type Logger } from '../../platform/logger';
import { sleep } from '../../platform/timeout';
import type { AgentRegistry, DocumentStore, ExecutionDoc, ExecutionStore, InputSchemas, ResultPublisher, StatusChange, StatusStore } from './ports';
import type { RunnerSet } from '../runners';
import type { RunResult } from '../runners/runner';
import type { RunError} from './errors';
import { ExecutionErrorCodes, RunTimeoutError, isTransientInfraError, toRunError } from './errors';
import { executionIdFor } from './ids';
import { isFinal, type Agent, type DocumentRef, type ExecutionStatus, type FinalStatus, type InboundEvent } from './model';
import { planTargets, type Target } from './routing';
import { KeyedSemaphores } from './semaphore';

/** An event whose processing ended in an error that must be dead-lettered (with the error in headers). */
export interface DeadLetter {
  event: InboundEvent;
  agent: string;
  executionId: string;
  code: string;
  message: string;
  /** Runs tried before giving up. */
  attempts: number;
}

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

interface Planned {
  event: InboundEvent;
  target: Target;
  agent?: Agent;
  doc: ExecutionDoc;
  /** A pure run's (or a rejection's) result, known before anything is stored. */
  final: boolean;
  documents?: RunResult['documents'];
}

const DEFAULT_RETRY = { retries: 2, minTimeoutMs: 500, maxTimeoutMs: 10000 };

/**
 * The agents stage use case, one Kafka batch (one partition) at a time:
 * 1. plan: route each event to its agents, validate the mapped input, run pure built-ins in process;
 * 2. record: insert every execution at once (unique per event and agent) — finished ones for pure runs and
 *    rejections, `queued` ones with a lease for the rest; duplicates are redeliveries and are not run again
 *    (a finished one only has its result re-published if that never happened);
 * 3. run the queued ones: one key's events in order, keys concurrently, at most `maxConcurrency` per agent,
 *    transient errors retried with backoff, every attempt bounded by the agent's timeout;
 * 4. publish results in event order, mark them published, fold the status changes into one write per agent
 *    (results of executions finished while planning are published before step 2 and stored as published).
 * The caller commits the batch's offsets only after this resolves.
 */
export class AgentsStage {
  readonly owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly semaphores = new KeyedSemaphores();
  /** Executions this process holds for a batch in progress (queued behind their key or running): leases renewed. */
  private readonly held = new Map<string, number>();

  /**
   * Writes to one execution document from this process, one at a time. A Mongo-wire backend without
   * document-level atomicity (FerretDB on SQLite) can otherwise lose a write when a lease renewal and the
   * final write overlap, reverting a finished execution to `running`.
   */
  private readonly chains = new Map<string, Promise<unknown>>();

  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    const tail = next.catch(() => undefined);
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return next;
  }

  private renewHeldLeases(): void {
    for (const id of this.held.keys()) {
      if (this.chains.has(id)) continue; // a write is under way; the next tick renews
      this.serial(id, () => this.o.executions.renewLeases([id], this.owner, this.o.leaseMs)).catch((err: unknown) => this.o.logger.warn('lease renewal failed', { err }));
    }
  }

  private hold(id: string): void {
    this.held.set(id, (this.held.get(id) ?? 0) + 1);
  }

  private unhold(id: string): void {
    const n = (this.held.get(id) ?? 1) - 1;
    if (n <= 0) this.held.delete(id);
    else this.held.set(id, n);
  }
  private readonly shutdown = new AbortController();

  constructor(private readonly o: StageOptions) {}

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
    // The same event twice in one batch (a producer retry) plans the same execution twice: keep the first.
    const seen = new Set<string>();
    const planned = (await Promise.all(events.map((e) => this.plan(e, now)))).flat().filter((p) => !seen.has(p.doc._id) && !!seen.add(p.doc._id));
    if (planned.length === 0) return [];

    await this.infra('write documents', () => this.writePureDocuments(planned));
    // Executions finished while planning (pure runs, rejections) are published first and then stored already
    // marked as published: one write per execution instead of two. Should the process die in between, the
    // redelivered event yields the same result under the same CloudEvent id, which consumers can deduplicate.
    const finals = orderByEvent(planned.filter((p) => p.final).map((p) => p.doc), events);
    if (finals.length > 0) await this.infra('publish results', () => this.o.publisher.publish(finals));
    const storedAt = new Date();
    for (const p of planned) {
      p.doc.createdAt = storedAt;
      p.doc.updatedAt = storedAt;
      if (p.final) p.doc.resultPublished = true;
    }
    const dups = await this.infra('insert executions', () => this.o.executions.insertMany(planned.map((p) => p.doc)));

    const toPublish: ExecutionDoc[] = [];
    const toRun: Planned[] = [];
    const status: StatusChange[] = [];
    const redelivered: Planned[] = [];
    for (const p of planned) {
      if (dups.has(p.doc._id)) redelivered.push(p);
      else if (p.final) {
        status.push({ agent: p.doc.agent, runningDelta: 0, outcome: p.doc.status as FinalStatus, at: p.doc.finishedAt, executionId: p.doc._id });
      } else toRun.push(p);
    }

    const deadLetters: DeadLetter[] = [];
    const renew = setInterval(() => this.renewHeldLeases(), Math.max(200, Math.floor(this.o.leaseMs / 3)));
    renew.unref();
    for (const p of toRun) this.hold(p.doc._id);
    const heldHere = toRun.map((p) => p.doc._id);
    try {
      const settled = await this.settleRedelivered(redelivered, toRun, heldHere);
      toPublish.push(...settled);
      await this.runInKeyOrder(toRun, async (p) => {
        const r = await this.execute(p);
        if (r.doc) toPublish.push(r.doc);
        status.push(...r.status);
        if (r.deadLetter) deadLetters.push(r.deadLetter);
      });
    } finally {
      clearInterval(renew);
      for (const id of heldHere) this.unhold(id);
    }

    const ordered = orderByEvent(toPublish, events);
    if (ordered.length > 0) {
      await this.infra('publish results', () => this.o.publisher.publish(ordered));
      const ids = ordered.map((d) => d._id);
      await Promise.all(ids.map((id) => this.chains.get(id))); // let pending renewals land first
      await this.infra('mark published', () => this.o.executions.markPublished(ids));
    }
    await this.infra('agent status', () => this.o.status.apply(status)).catch((err: unknown) => this.o.logger.warn('agent status not updated', { err }));
    return deadLetters;
  }

  /** Routes an event and builds its execution documents (pure runs and rejections already finished). */
  private plan(event: InboundEvent, now: Date): Promise<Planned[]> {
    return Promise.all(planTargets(event, this.o.registry.routes).map(async (target): Promise<Planned> => {
      const agent = this.o.registry.agents.get(target.agent);
      const id = executionIdFor(event.id, target.agent);
      const doc = baseDoc(id, event, target, agent, now);
      const rejected = (code: string, message: string): Planned => ({ event, target, ...(agent ? { agent } : {}), final: true, doc: finishDoc(doc, 'failed', now, { error: { code, message } }) });
      if (!agent) return rejected(ExecutionErrorCodes.agentUnknown, `no agent named ${target.agent}`);
      if (agent.enabled === false) return rejected(ExecutionErrorCodes.agentDisabled, `agent ${agent.name} is disabled`);
      if (agent.inputSchema) {
        const errors = this.o.schemas.validate(agent.inputSchema, target.input);
        if (errors.length > 0) return rejected(ExecutionErrorCodes.inputInvalid, errors.map((e) => `${e.path} ${e.message}`).join('; ').slice(0, 2000));
      }
      const runner = this.o.runners[agent.runner.kind];
      if (!runner.pure) return { event, target, agent, final: false, doc: { ...doc, status: 'queued', owner: this.owner, leaseUntil: new Date(now.getTime() + this.o.leaseMs) } };
      return this.runPure(event, target, agent, doc, now);
    }));
  }

  /** Pure runners have no outside effect: they run while planning, and their result is stored in one go. */
  private async runPure(event: InboundEvent, target: Target, agent: Agent, doc: ExecutionDoc, now: Date): Promise<Planned> {
    let result: RunResult | undefined;
    let error: RunError | undefined;
    try {
      result = await this.o.runners[agent.runner.kind].run({ executionId: doc._id, agent, ...(target.task !== undefined ? { task: target.task } : {}), input: target.input, event, signal: this.shutdown.signal, deadline: now.getTime() + (agent.timeoutMs ?? this.o.defaultTimeoutMs), attempt: 1 });
    } catch (err) {
      error = toRunError(err);
    }
    const finished = error
      ? finishDoc({ ...doc, attempts: 1, startedAt: now }, 'failed', now, { error: { code: error.code, message: error.message } })
      : finishDoc({ ...doc, attempts: 1, startedAt: now }, 'succeeded', now, { output: result?.output });
    return { event, target, agent, final: true, doc: finished, ...(result?.documents?.length ? { documents: result.documents } : {}) };
  }

  /** Documents of pure runs are written before their executions, with ids derived from the execution. */
  private async writePureDocuments(planned: Planned[]): Promise<void> {
    for (const p of planned) {
      if (!p.documents?.length) continue;
      p.doc.documents = await this.o.documents.write({ agent: p.doc.agent, executionId: p.doc._id, eventId: p.doc.eventId }, p.documents);
    }
  }

  /**
   * Redelivered events: finished executions are not run again (their result is re-published when it never
   * was); a queued/running one whose lease expired (its process died) is taken over and run; one still leased
   * by a live process is waited for, bounded by its lease being renewed.
   */
  private async settleRedelivered(redelivered: Planned[], toRun: Planned[], heldHere: string[]): Promise<ExecutionDoc[]> {
    const out: ExecutionDoc[] = [];
    let pending = redelivered;
    while (pending.length > 0) {
      const existing = new Map((await this.infra('read executions', () => this.o.executions.findRaw(pending.map((p) => p.doc._id)))).map((d) => [d._id, d]));
      const waiting: Planned[] = [];
      for (const p of pending) {
        const d = existing.get(p.doc._id);
        if (!d) continue; // deleted meanwhile: nothing to do
        if (isFinal(d.status as ExecutionStatus)) {
          if (!d.resultPublished) out.push(d);
          continue;
        }
        // Ours but not running here: an earlier attempt at this batch failed midway; run it again now.
        const orphaned = d.owner === this.owner && !this.held.has(d._id);
        const expired = !!d.leaseUntil && d.leaseUntil.getTime() < Date.now();
        const claimed = orphaned || expired ? await this.infra('reclaim execution', () => this.o.executions.reclaim(d._id, this.owner, this.o.leaseMs, orphaned ? 'own' : 'expired')) : null;
        if (claimed) {
          this.o.logger.info('taking over an unfinished execution', { executionId: d._id, agent: d.agent, attempts: d.attempts, reason: orphaned ? 'own' : 'lease expired' });
          toRun.push({ ...p, doc: claimed, final: false });
          this.hold(claimed._id);
          heldHere.push(claimed._id);
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

  /** Runs items with the same event key one after another (in offset order), different keys concurrently. */
  private async runInKeyOrder(items: Planned[], fn: (p: Planned) => Promise<void>): Promise<void> {
    const byKey = new Map<string, Planned[]>();
    for (const p of items) {
      const k = p.event.key ?? p.event.id;
      const list = byKey.get(k);
      if (list) list.push(p);
      else byKey.set(k, [p]);
    }
    // allSettled: one key's failure must not leave the others running unobserved; the first error is rethrown.
    const outcomes = await Promise.allSettled(
      [...byKey.values()].map(async (list) => {
        for (const p of list) await fn(p);
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** queued → running → finished, for an effectful runner; documents before the final write. */
  private async execute(p: Planned): Promise<{ doc?: ExecutionDoc; status: StatusChange[]; deadLetter?: DeadLetter }> {
    const agent = p.agent ?? this.o.registry.agents.get(p.doc.agent);
    const id = p.doc._id;
    const status: StatusChange[] = [];
    if (!agent) return { status };
    const traceId = p.doc.traceId;
    return withContext({ executionId: id, eventId: p.event.id, ...(traceId ? { traceId } : {}) }, async () => {
      const release = await this.semaphores.get(agent.name, agent.maxConcurrency ?? this.o.defaultConcurrency).acquire();
      try {
        const wasQueued = await this.infra('mark running', () => this.serial(id, () => this.o.executions.markRunning(id, this.owner, this.o.leaseMs)));
        if (wasQueued === undefined) return { status }; // lost the lease to another process
        if (wasQueued) status.push({ agent: agent.name, runningDelta: 1 });
        const startedAt = new Date();
        // markRunning counted the first attempt; retries in this process add to it.
        let attempts = p.doc.attempts;
        const outcome = await this.runWithRetry(agent, p, () => (attempts += 1));
        const finishedAt = new Date();
        const refs: DocumentRef[] = outcome.result?.documents?.length
          ? await this.infra('write documents', () => this.o.documents.write({ agent: agent.name, executionId: id, eventId: p.event.id }, outcome.result?.documents ?? []))
          : [];
        const r = outcome.result;
        const e = outcome.error;
        const final: FinalStatus = e ? (e instanceof RunTimeoutError ? 'timed_out' : 'failed') : 'succeeded';
        const details = e?.details ?? r ?? {};
        const doc = await this.infra('finish execution', () =>
          this.serial(id, () => this.o.executions.finish(id, this.owner, {
            status: final,
            ...(r?.output !== undefined ? { output: r.output } : {}),
            ...(e ? { error: { code: e.code, message: e.message.slice(0, 2000) } } : {}),
            ...(r?.usage ? { usage: r.usage } : {}),
            ...(details.exitCode !== undefined ? { exitCode: details.exitCode } : {}),
            ...(details.stderr !== undefined && details.stderr !== '' ? { stderr: details.stderr } : {}),
            documents: refs,
            attempts: Math.max(1, attempts),
            finishedAt,
            durationMs: finishedAt.getTime() - startedAt.getTime(),
          })),
        );
        if (!doc) return { status }; // cancelled or taken over meanwhile: that state stands
        status.push({ agent: agent.name, runningDelta: -1, outcome: final, at: finishedAt, executionId: id });
        this.o.logger.log(final === 'succeeded' ? 'debug' : 'warn', 'execution finished', { agent: agent.name, status: final, attempts: doc.attempts, error: doc.error });
        const deadLetter = e && outcome.exhausted ? { event: p.event, agent: agent.name, executionId: id, code: e.code, message: e.message, attempts: doc.attempts } : undefined;
        return { doc, status, ...(deadLetter ? { deadLetter } : {}) };
      } finally {
        release();
      }
    });
  }

  private async runWithRetry(agent: Agent, p: Planned, countAttempt: () => number): Promise<{ result?: RunResult; error?: RunError; exhausted: boolean }> {
    const policy = { ...DEFAULT_RETRY, ...agent.retry };
    const runner = this.o.runners[agent.runner.kind];
    const timeoutMs = agent.timeoutMs ?? this.o.defaultTimeoutMs;
    let retriesLeft = policy.retries;
    try {
      const result = await pRetry(
        async () => {
          const attempt = countAttempt();
          const ac = new AbortController();
          const onShutdown = (): void => ac.abort();
          this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
          const timer = setTimeout(() => ac.abort(), timeoutMs);
          try {
            return await runner.run({ executionId: p.doc._id, agent, ...(p.target.task !== undefined ? { task: p.target.task } : {}), input: p.target.input, event: p.event, signal: ac.signal, deadline: Date.now() + timeoutMs, attempt });
          } catch (err) {
            const e = ac.signal.aborted && !(err instanceof RunTimeoutError) ? new RunTimeoutError(timeoutMs, toRunError(err).details) : toRunError(err);
            if (!e.retriable || this.shutdown.signal.aborted) throw new pRetry.AbortError(e);
            retriesLeft -= 1;
            throw e;
          } finally {
            clearTimeout(timer);
            this.shutdown.signal.removeEventListener('abort', onShutdown);
          }
        },
        { retries: policy.retries, minTimeout: policy.minTimeoutMs, maxTimeout: policy.maxTimeoutMs, factor: 2, randomize: true },
      );
      return { result, exhausted: false };
    } catch (err) {
      const e = toRunError(err);
      return { error: e, exhausted: e.retriable && retriesLeft < 0 };
    }
  }

  private async infra<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return pRetry(fn, {
      retries: this.o.infraRetries ?? 6,
      minTimeout: 200,
      maxTimeout: 5000,
      onFailedAttempt: (err) => {
        if (!isTransientInfraError(err)) throw err;
        this.o.logger.warn(`${what} failed; retrying`, { attempt: err.attemptNumber, retriesLeft: err.retriesLeft, err: err.message });
      },
    });
  }
}

function baseDoc(id: string, event: InboundEvent, target: Target, agent: Agent | undefined, now: Date): ExecutionDoc {
  const traceId = traceIdOf(event.traceparent);
  const replayOf = event.extensions.replayof;
  return {
    _id: id,
    agent: target.agent,
    ...(agent?.team ? { team: agent.team } : {}),
    status: 'queued',
    attempts: 0,
    eventId: event.id,
    eventType: event.type,
    event: {
      id: event.id,
      source: event.source,
      ...(event.sourceId ? { sourceId: event.sourceId } : {}),
      type: event.type,
      time: event.time,
      topic: event.topic,
      partition: event.partition,
      offset: event.offset,
      ...(event.key !== undefined ? { key: event.key } : {}),
    },
    ...(target.task !== undefined ? { task: target.task } : {}),
    ...(target.route ? { route: target.route } : {}),
    ...(target.input !== undefined ? { inputJson: JSON.stringify(target.input) } : {}),
    documents: [],
    ...(traceId ? { traceId } : {}),
    ...(replayOf || event.extensions.replay === 'true' ? { replay: true } : {}),
    ...(replayOf ? { replayOf } : {}),
    resultPublished: false,
    queuedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

function finishDoc(doc: ExecutionDoc, status: FinalStatus, now: Date, extra: { output?: unknown; error?: { code: string; message: string } }): ExecutionDoc {
  const started = doc.startedAt ?? now;
  return {
    ...doc,
    status,
    ...(extra.output !== undefined ? { outputJson: JSON.stringify(extra.output) } : {}),
    ...(extra.error ? { error: extra.error } : {}),
    finishedAt: now,
    durationMs: now.getTime() - started.getTime(),
  };
}

function orderByEvent(docs: ExecutionDoc[], events: InboundEvent[]): ExecutionDoc[] {
  const pos = new Map(events.map((e, i) => [e.id, i]));
  return [...docs].sort((a, b) => (pos.get(a.eventId) ?? 0) - (pos.get(b.eventId) ?? 0));
}
