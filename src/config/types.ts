/**
 * Shapes of the objects in hookhub.yaml (and of the same objects managed through the API).
 * Their JSON Schemas live in schemas/config/; keep both in step.
 */

export type VerificationScheme = 'standard-webhooks' | 'github' | 'stripe' | 'hmac-sha256' | 'none';

/** Where to read a value from a request: a header, or a JSON pointer into the body. */
export interface ValueLocator {
  header?: string;
  pointer?: string;
}

export interface SourceConfig {
  id: string;
  description?: string;
  enabled?: boolean;
  verification: {
    scheme: VerificationScheme;
    /** Live secrets: any of them verifies (rotation). */
    secrets?: string[];
    /** hmac-sha256: header carrying the signature. */
    header?: string;
    encoding?: 'hex' | 'base64';
    prefix?: string;
    toleranceSeconds?: number;
    /** Must be true for scheme `none`: an unsigned source is a deliberate choice, never a default. */
    allowUnsigned?: boolean;
  };
  eventType?: ValueLocator & { prefix?: string; fixed?: string };
  idempotencyKey?: ValueLocator;
  partitionKey?: ValueLocator;
  topic?: string;
  /** Event type (as published, e.g. `github.push`) → schema name in schemas/ (e.g. `github/push`). */
  schemas?: { type: string; schema: string }[];
  unknownTypes?: 'reject' | 'accept';
  bodyLimitBytes?: number;
  rateLimit?: { perSecond: number; burst?: number };
  /** Agents an `agent.task.requested` event from this source may run; none when absent. */
  agents?: string[];
}

/** `http`: POST the run to an agent service, signed with Standard Webhooks headers made with `secret`. */
export interface HttpRunnerConfig {
  kind: 'http';
  url: string;
  /** `whsec_<base64>`: signs the request and verifies the async result callback. */
  secret: string;
  headers?: Record<string, string>;
}

/** `command`: spawn a local program without a shell; JSON on stdin, JSON on stdout. */
export interface CommandRunnerConfig {
  kind: 'command';
  command: string;
  args?: string[];
  cwd?: string;
  /** Names of environment variables passed through from the hub's environment (nothing else is). */
  env?: string[];
  /** Fixed environment values for the program. */
  setEnv?: Record<string, string>;
  /** After SIGTERM on timeout, how long before SIGKILL. */
  killGraceMs?: number;
}

/** `llm`: OpenAI-compatible chat completions. */
export interface LlmRunnerConfig {
  kind: 'llm';
  baseUrl: string;
  model: string;
  /** Name of the environment variable holding the API key. */
  apiKeyEnv?: string;
  temperature?: number;
  maxTokens?: number;
  /** When set, the reply text is also stored as a document of this kind. */
  documentKind?: string;
}

/** A document the `template` built-in renders (handlebars) from `{event, data, input, task}`. */
export interface DocumentTemplate {
  kind: string;
  title: string;
  body: string;
  mimeType?: string;
  tags?: string[];
  /** Logical key: the same agent writing the same key makes a new version. */
  key?: string;
}

/** `builtin`: `echo` returns its input; `template` renders a document. */
export interface BuiltinRunnerConfig {
  kind: 'builtin';
  name: 'echo' | 'template';
  document?: DocumentTemplate;
}

export type RunnerConfig = HttpRunnerConfig | CommandRunnerConfig | LlmRunnerConfig | BuiltinRunnerConfig;

export interface AgentConfig {
  name: string;
  team?: string;
  description?: string;
  runner: RunnerConfig;
  inputSchema?: string;
  instructions?: string;
  timeoutMs?: number;
  maxConcurrency?: number;
  retry?: { retries?: number; minTimeoutMs?: number; maxTimeoutMs?: number };
  enabled?: boolean;
  tools?: string[];
}

export interface RouteConfig {
  id: string;
  source?: string;
  eventType: string;
  filter?: Record<string, string | number | boolean>;
  agent: string;
  task?: string;
  input?: Record<string, unknown>;
  enabled?: boolean;
}

export interface SubscriptionConfig {
  id: string;
  url: string;
  eventTypes: string[];
  filter?: Record<string, string | number | boolean>;
  secret?: string;
  headers?: Record<string, string>;
  rateLimitPerSecond?: number;
  ordered?: boolean;
  enabled?: boolean;
  description?: string;
  /** Delays before each attempt (`0`, `200ms`, `5s`, `5m`, `2h`); default HOOKHUB_DELIVERY_SCHEDULE. */
  retrySchedule?: string[];
  /** An attempt must answer 2xx within this many ms; default HOOKHUB_DELIVERY_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Refuse a non-https `url` (also forced for every subscription by HOOKHUB_DELIVERY_HTTPS_ONLY). */
  httpsOnly?: boolean;
}

export interface HubConfig {
  sources: SourceConfig[];
  agents: AgentConfig[];
  routes: RouteConfig[];
  subscriptions: SubscriptionConfig[];
  /** Environment variables agent runners may read (see AgentSecretPolicy for those never allowed). */
  agentSecrets?: string[];
  /** Not in the file: the variables its webhook secrets are read from (`${NAME}` in secret fields). */
  secretVariables?: string[];
}
