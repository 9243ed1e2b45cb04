import type { FieldError } from '../../platform/schemas';
import type { Agent, DocumentDraft, DocumentRef, FinalStatus, Route, Usage } from './model';

/**
 * What the agents stage needs from the outside, declared here by its user and implemented in data-access
 * (MongoDB, Kafka) or by in-memory fakes in unit tests.
 */

/**
 * One execution as stored: free-form values (input, output) are JSON strings, because FerretDB rejects keys
 * with `.` or `$` and an event body may have any keys.
 */
export interface ExecutionDoc {
  _id: string;
  agent: string;
  team?: string;
  status: string;
  attempts: number;
  eventId: string;
  eventType: string;
  event: { id: string; source: string; sourceId?: string; type: string; time: string; topic: string; partition: number; offset: string; key?: string };
  task?: string;
  route?: string;
  inputJson?: string;
  outputJson?: string;
  error?: { code: string; message: string };
  usage?: { promptTokens?: number; completionTokens?: number; totalTokens?: number };
  exitCode?: number;
  stderr?: string;
  documents: { id: string; kind: string; title: string; version: number }[];
  traceId?: string;
  replay?: boolean;
  replayOf?: string;
  resultPublished: boolean;
  owner?: string;
  leaseUntil?: Date;
  queuedAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  durationMs?: number;
  createdAt: Date;
  updatedAt: Date;
}

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
  insertMany(docs: ExecutionDoc[]): Promise<Set<string>>;
  findRaw(ids: string[]): Promise<ExecutionDoc[]>;
  /** Takes over an unfinished execution whose lease expired, or that this owner left behind; null when not. */
  reclaim(id: string, owner: string, leaseMs: number, why: 'expired' | 'own'): Promise<ExecutionDoc | null>;
  /** queued/running → running for `owner`: true when it was queued, false when running, undefined when lost. */
  markRunning(id: string, owner: string, leaseMs: number): Promise<boolean | undefined>;
  renewLeases(ids: string[], owner: string, leaseMs: number): Promise<void>;
  /** The final write, only while `owner` holds it; null when it was cancelled or taken over. */
  finish(id: string, owner: string, f: FinishFields): Promise<ExecutionDoc | null>;
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
  publish(executions: ExecutionDoc[]): Promise<void>;
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
