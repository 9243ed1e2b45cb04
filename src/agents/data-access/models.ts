import { dropReplacedIndexes } from '../../platform/mongo';
import { Schema, type Connection, type Model } from 'mongoose';

/**
 * MongoDB shapes of the agents component. Free-form values (runner settings, inputs, outputs, metadata,
 * async results) are stored as JSON strings: FerretDB rejects keys with `.` or `$`, and an event body may have
 * any keys. Repositories turn them back into objects.
 */

/** One execution as stored (built from and read back into the domain's entity by execution-docs.ts). */
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

export interface AgentDoc {
  _id: string;
  team?: string;
  description?: string;
  runnerKind: string;
  runnerJson: string;
  inputSchema?: string;
  instructions?: string;
  timeoutMs?: number;
  maxConcurrency?: number;
  retry?: { retries?: number; minTimeoutMs?: number; maxTimeoutMs?: number };
  enabled: boolean;
  tools: string[];
  source: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RouteDoc {
  _id: string;
  source?: string;
  eventType: string;
  filterJson?: string;
  agent: string;
  task?: string;
  inputJson?: string;
  enabled: boolean;
  origin: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DocumentDoc {
  _id: string;
  kind: string;
  title: string;
  body?: string;
  url?: string;
  mimeType?: string;
  agent: string;
  executionId: string;
  eventId: string;
  tags: string[];
  metadataJson?: string;
  key?: string;
  version: number;
  /** Metadata edits through the API (absent: 1). */
  revision?: number;
  createdAt: Date;
  updatedAt?: Date;
}

export interface AgentStatusDoc {
  _id: string;
  running: number;
  lastRunAt?: Date;
  lastOutcome?: string;
  lastExecutionId?: string;
  succeeded: number;
  failed: number;
  timed_out: number;
  cancelled: number;
}

export interface AgentsModels {
  Agent: Model<AgentDoc>;
  Route: Model<RouteDoc>;
  Execution: Model<ExecutionDoc>;
  Document: Model<DocumentDoc>;
  AgentStatus: Model<AgentStatusDoc>;
}

const opts = { versionKey: false, _id: false } as const;

const agentSchema = new Schema<AgentDoc>(
  {
    _id: { type: String, required: true },
    team: String,
    description: String,
    runnerKind: { type: String, required: true },
    runnerJson: { type: String, required: true },
    inputSchema: String,
    instructions: String,
    timeoutMs: Number,
    maxConcurrency: Number,
    retry: { retries: Number, minTimeoutMs: Number, maxTimeoutMs: Number },
    enabled: { type: Boolean, default: true },
    tools: { type: [String], default: [] },
    source: { type: String, required: true },
    version: { type: Number, default: 1 },
    createdAt: Date,
    updatedAt: Date,
  },
  { ...opts, collection: 'agents' },
);
agentSchema.index({ team: 1 });

const routeSchema = new Schema<RouteDoc>(
  {
    _id: { type: String, required: true },
    source: String,
    eventType: { type: String, required: true },
    filterJson: String,
    agent: { type: String, required: true },
    task: String,
    inputJson: String,
    enabled: { type: Boolean, default: true },
    origin: { type: String, required: true },
    version: { type: Number, default: 1 },
    createdAt: Date,
    updatedAt: Date,
  },
  { ...opts, collection: 'routes' },
);
routeSchema.index({ agent: 1 });

const executionSchema = new Schema<ExecutionDoc>(
  {
    _id: { type: String, required: true },
    agent: { type: String, required: true },
    team: String,
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    event: {
      id: String,
      source: String,
      sourceId: String,
      type: String,
      time: String,
      topic: String,
      partition: Number,
      offset: String,
      key: String,
    },
    task: String,
    route: String,
    inputJson: String,
    outputJson: String,
    error: { type: new Schema({ code: String, message: String }, { _id: false }), default: undefined },
    usage: { type: new Schema({ promptTokens: Number, completionTokens: Number, totalTokens: Number }, { _id: false }), default: undefined },
    exitCode: Number,
    stderr: String,
    documents: { type: [new Schema({ id: String, kind: String, title: String, version: Number }, { _id: false })], default: [] },
    traceId: String,
    replay: Boolean,
    replayOf: String,
    resultPublished: { type: Boolean, default: false },
    owner: String,
    leaseUntil: Date,
    queuedAt: Date,
    startedAt: Date,
    finishedAt: Date,
    durationMs: Number,
    createdAt: Date,
    updatedAt: Date,
  },
  { ...opts, collection: 'executions' },
);
// Exactly one execution per (event, agent): the guard against double runs across redeliveries and processes.
executionSchema.index({ eventId: 1, agent: 1 }, { unique: true });
// The API's filtered pages, in PAGE_SORT order (an index without `_id` leaves every match to be sorted).
executionSchema.index({ agent: 1, createdAt: -1, _id: -1 });
executionSchema.index({ status: 1, createdAt: -1, _id: -1 });
// The API's unfiltered list pages (PAGE_SORT) read this in order instead of sorting every execution.
executionSchema.index({ createdAt: -1, _id: -1 });

const documentSchema = new Schema<DocumentDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: String,
    url: String,
    mimeType: String,
    agent: { type: String, required: true },
    executionId: { type: String, required: true },
    eventId: { type: String, required: true },
    tags: { type: [String], default: [] },
    metadataJson: String,
    key: String,
    version: { type: Number, required: true },
    revision: Number,
    createdAt: Date,
    updatedAt: Date,
  },
  { ...opts, collection: 'documents' },
);
documentSchema.index({ agent: 1, key: 1, version: -1 });
documentSchema.index({ executionId: 1 });
documentSchema.index({ kind: 1, createdAt: -1, _id: -1 });
documentSchema.index({ agent: 1, createdAt: -1, _id: -1 });
documentSchema.index({ createdAt: -1, _id: -1 });

const statusSchema = new Schema<AgentStatusDoc>(
  {
    _id: { type: String, required: true },
    running: { type: Number, default: 0 },
    lastRunAt: Date,
    lastOutcome: String,
    lastExecutionId: String,
    succeeded: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    timed_out: { type: Number, default: 0 },
    cancelled: { type: Number, default: 0 },
  },
  { ...opts, collection: 'agent_status' },
);

const cache = new WeakMap<Connection, AgentsModels>();

/** The models on one connection (compiled once per connection; indexes are built on first use). */
export function agentsModels(conn: Connection): AgentsModels {
  let m = cache.get(conn);
  if (!m) {
    m = {
      Agent: conn.models.HookhubAgent ?? conn.model<AgentDoc>('HookhubAgent', agentSchema),
      Route: conn.models.HookhubRoute ?? conn.model<RouteDoc>('HookhubRoute', routeSchema),
      Execution: conn.models.HookhubExecution ?? conn.model<ExecutionDoc>('HookhubExecution', executionSchema),
      Document: conn.models.HookhubDocument ?? conn.model<DocumentDoc>('HookhubDocument', documentSchema),
      AgentStatus: conn.models.HookhubAgentStatus ?? conn.model<AgentStatusDoc>('HookhubAgentStatus', statusSchema),
    } as AgentsModels;
    cache.set(conn, m);
  }
  return m;
}

export async function ensureAgentsIndexes(m: AgentsModels): Promise<void> {
  await Promise.all([m.Agent.init(), m.Route.init(), m.Execution.init(), m.Document.init(), m.AgentStatus.init()]);
  // Replaced by the same keys ending in `_id` (the page order).
  await dropReplacedIndexes(m.Execution.collection, ['agent_1_createdAt_-1', 'status_1_createdAt_-1']);
  await dropReplacedIndexes(m.Document.collection, ['kind_1_createdAt_-1']);
}
