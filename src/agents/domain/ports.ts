import type { FieldError } from '../../platform/schemas';
import type { Agent, DocumentDraft, DocumentRef, Execution, FinalStatus, Route, StoredExecution, Usage } from './model';

/**
 * What the agents stage needs from the outside, declared here by its user and implemented in data-access
 * (MongoDB, Kafka) or by in-memory fakes in unit tests. They speak in entities (model.ts); how an execution
 * is laid out as a document is data-access's business.
 */

/** The final write of an execution. */
export interface FinishFields {
  status: FinalStatus;
  output?: unknown;
  error?: { code: string; message: string };
  usage?: Usage;
  exitCode?: number;
  stderr?: string;
  documents: DocumentRef[];
  attempts: number;
  finishedAt: Date;
  durationMs: number;
}

/** A change of an agent's running count and last outcome, folded into one write per agent per batch. */
export interface StatusChange {
  agent: string;
  runningDelta: number;
  outcome?: FinalStatus;
  at?: Date;
  executionId?: string;
}

/** Executions, one per (event, agent), with leases held by the process running them. */
export interface ExecutionStore {
  /** Inserts every new one; returns the ids that existed already (redeliveries). */
  insertMany(executions: StoredExecution[]): Promise<Set<string>>;
  /** The ones of these ids that exist, with their lease holder. */
  findByIds(ids: string[]): Promise<StoredExecution[]>;
  /** Takes over an unfinished execution whose lease expired, or that this owner left behind; null when not. */
  reclaim(id: string, owner: string, leaseMs: number, why: 'expired' | 'own'): Promise<StoredExecution | null>;
  /** queued/running → running for `owner`: true when it was queued, false when running, undefined when lost. */
  markRunning(id: string, owner: string, leaseMs: number): Promise<boolean | undefined>;
  renewLeases(ids: string[], owner: string, leaseMs: number): Promise<void>;
  /** The final write, only while `owner` holds it; null when it was cancelled or taken over. */
  finish(id: string, owner: string, f: FinishFields): Promise<StoredExecution | null>;
  markPublished(ids: string[]): Promise<void>;
}

export interface DocumentStore {
  write(owner: { agent: string; executionId: string; eventId: string }, drafts: DocumentDraft[]): Promise<DocumentRef[]>;
}

export interface StatusStore {
  apply(changes: StatusChange[]): Promise<void>;
}

/** Publishes finished executions to the results topic (acks=all); resolves once acknowledged. */
export interface ResultPublisher {
  publish(executions: Execution[]): Promise<void>;
}

/** Agents and enabled routes as of the last check; `fresh` brings them up to every change already answered. */
export interface AgentRegistry {
  readonly agents: ReadonlyMap<string, Agent>;
  readonly routes: readonly Route[];
  fresh(): Promise<void>;
}

/** Validates an agent's mapped input against its `inputSchema`. */
export interface InputSchemas {
  validate(name: string, value: unknown): FieldError[];
}
