import type { AgentConfig, RouteConfig, RunnerConfig } from '../../config/types';

/** Where a registry object came from: the config file (upserted at boot), the API, or a Markdown import. */
export type ObjectSource = 'config' | 'api' | 'import';

export interface Agent extends AgentConfig {
  runner: RunnerConfig;
  source: ObjectSource;
  version: number;
  updatedAt: Date;
}

export interface Route extends RouteConfig {
  source?: string;
  origin: ObjectSource;
  version: number;
  updatedAt: Date;
}

export const FINAL_STATUSES = ['succeeded', 'failed', 'timed_out', 'cancelled'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];
export type ExecutionStatus = 'queued' | 'running' | FinalStatus;

export const isFinal = (s: ExecutionStatus): s is FinalStatus => (FINAL_STATUSES as readonly string[]).includes(s);

export interface ExecutionError {
  code: string;
  message: string;
}

/** Where the event that caused an execution sits: its CloudEvent attributes and its Kafka coordinates. */
export interface EventRef {
  id: string;
  source: string;
  sourceId?: string;
  type: string;
  time: string;
  topic: string;
  partition: number;
  offset: string;
  key?: string;
}

export interface DocumentRef {
  id: string;
  kind: string;
  title: string;
  version: number;
}

export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

export interface Execution {
  id: string;
  agent: string;
  team?: string;
  status: ExecutionStatus;
  attempts: number;
  eventId: string;
  eventType: string;
  event: EventRef;
  task?: string;
  route?: string;
  input?: unknown;
  output?: unknown;
  error?: ExecutionError;
  usage?: Usage;
  exitCode?: number;
  stderr?: string;
  documents: DocumentRef[];
  traceId?: string;
  replay?: boolean;
  replayOf?: string;
  resultPublished: boolean;
  queuedAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  durationMs?: number;
  leaseUntil?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** An execution as the agents stage reads it back: with the process holding its lease (`owner`). */
export interface StoredExecution extends Execution {
  owner?: string;
}

/** A document as an agent returns it (validated against schemas/agents/document.json). */
export interface DocumentDraft {
  kind: string;
  title: string;
  body?: string;
  url?: string;
  mimeType?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  key?: string;
}

export interface StoredDocument extends DocumentDraft {
  id: string;
  agent: string;
  executionId: string;
  eventId: string;
  version: number;
  /** Counts metadata edits (title, tags, metadata) made after the agent wrote it; starts at 1. */
  revision: number;
  tags: string[];
  createdAt: Date;
  updatedAt?: Date;
}

export interface AgentStatus {
  agent: string;
  running: number;
  lastRunAt?: Date;
  lastOutcome?: FinalStatus;
  lastExecutionId?: string;
  counts: Record<FinalStatus, number>;
}

/** A parsed inbound event as the agents stage sees it. */
export interface InboundEvent {
  id: string;
  source: string;
  sourceId?: string;
  type: string;
  time: string;
  traceparent?: string;
  extensions: Record<string, string>;
  /** The parsed JSON body. */
  data: unknown;
  topic: string;
  partition: number;
  offset: string;
  key?: string;
}
