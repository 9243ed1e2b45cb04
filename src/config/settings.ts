/**
 * The process settings: one typed table where every key has its environment variable, default and doc.
 * docs/reference/configuration.md is generated from this table (`hookhub docs config --write`) and
 * `npm test` fails when the two disagree.
 */

export type SettingKind = 'string' | 'int' | 'bool' | 'list' | 'url' | 'enum';

interface SettingBase<T> {
  env: string;
  doc: string;
  kind: SettingKind;
  default: T;
  /** Set when the default is computed elsewhere and should be documented differently. */
  defaultDoc?: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  secret?: boolean;
}

export type Setting<T> = SettingBase<T>;

const str = (env: string, def: string, doc: string, extra: Partial<Setting<string>> = {}): Setting<string> => ({
  env, doc, kind: 'string', default: def, ...extra,
});
const int = (env: string, def: number, doc: string, min = 0, max = Number.MAX_SAFE_INTEGER): Setting<number> => ({
  env, doc, kind: 'int', default: def, min, max,
});
const bool = (env: string, def: boolean, doc: string): Setting<boolean> => ({ env, doc, kind: 'bool', default: def });
const list = (env: string, def: string[], doc: string): Setting<string[]> => ({ env, doc, kind: 'list', default: def });
const choice = <C extends string>(env: string, choices: readonly C[], def: C, doc: string): Setting<C> => ({
  env, doc, kind: 'enum', default: def, choices,
});

export const ROLES = ['ingest', 'api', 'archiver', 'agents', 'delivery'] as const;
export type Role = (typeof ROLES)[number];

export const settings = {
  kafkaBrokers: list('KAFKA_BROKERS', ['127.0.0.1:19092'], 'Kafka bootstrap brokers, comma separated. Unset with `npm start`: the local stack is started and used.'),
  mongodbUri: str('MONGODB_URI', 'mongodb://127.0.0.1:27018/hookhub', 'MongoDB connection string; the database name in the path is used. Unset with `npm start`: the local FerretDB is started and used.', { kind: 'url', secret: true }),
  port: int('HOOKHUB_PORT', 8080, 'HTTP port for the ingest and api roles (0 picks a free port).', 0, 65535),
  host: str('HOOKHUB_HOST', '0.0.0.0', 'HTTP listen address.'),
  configFile: str('HOOKHUB_CONFIG', './hookhub.yaml', 'YAML file with sources, agents, routes and subscriptions, upserted at boot. `${ENV}` references are expanded.'),
  logLevel: choice('HOOKHUB_LOG_LEVEL', ['error', 'warn', 'info', 'http', 'debug'] as const, 'info', 'Log level of the JSON logs on stdout.'),
  roles: list('HOOKHUB_ROLES', [...ROLES], `Roles this process runs, comma separated: ${ROLES.join(', ')}. \`hookhub start --roles\` overrides it.`),
  kafkaClientId: str('HOOKHUB_KAFKA_CLIENT_ID', 'hookhub', 'Kafka client id; also the prefix of consumer group ids.'),
  topicPrefix: str('HOOKHUB_TOPIC_PREFIX', 'hookhub', 'Prefix of every Kafka topic (`<prefix>.in.<source>`, `<prefix>.results`, `<prefix>.dlq.<stage>`).'),
  topicPartitions: int('HOOKHUB_TOPIC_PARTITIONS', 3, 'Partitions of topics hookhub creates on demand.', 1, 1024),
  topicReplication: int('HOOKHUB_TOPIC_REPLICATION', 1, 'Replication factor of topics hookhub creates on demand.', 1, 16),
  kafkaAckTimeoutMs: int('HOOKHUB_KAFKA_ACK_TIMEOUT_MS', 5000, 'How long ingest waits for the acks=all acknowledgement before answering 503.', 100, 120000),
  shutdownTimeoutMs: int('HOOKHUB_SHUTDOWN_TIMEOUT_MS', 15000, 'Upper bound of a graceful shutdown (stop accepting, drain, commit, disconnect).', 100, 600000),
  metricsToken: str('HOOKHUB_METRICS_TOKEN', '', 'When set, `GET /metrics` needs `Authorization: Bearer <this token>` (401 `metrics_unauthorized` otherwise). Empty: /metrics is open, so keep it off public networks.', { secret: true }),
  readyTimeoutMs: int('HOOKHUB_READY_TIMEOUT_MS', 2000, 'Per-dependency deadline of the /readyz checks.', 100, 60000),
  bodyLimitBytes: int('HOOKHUB_BODY_LIMIT_BYTES', 1048576, 'Default webhook body size limit (a source may set its own).', 1024, 104857600),
  sourcesCacheMs: int('HOOKHUB_SOURCES_CACHE_MS', 2000, 'Longest time ingest serves its in-process copy of the sources without re-reading them all. Changes made through hookhub (API, config file) apply at once regardless, through the sources version; this bounds only edits written to MongoDB by other means.', 0, 600000),
  ingestClaimStaleMs: int('HOOKHUB_INGEST_CLAIM_STALE_MS', 30000, 'Age after which a pending idempotency claim (left by a crashed ingest process) may be taken over; must exceed HOOKHUB_KAFKA_ACK_TIMEOUT_MS.', 1000, 3600000),
  ingestLingerMs: int('HOOKHUB_INGEST_LINGER_MS', 1, 'How long ingest collects concurrent requests into one Kafka produce (and one MongoDB write) before sending.', 0, 100),
  ingestKeyRetentionMs: int('HOOKHUB_INGEST_KEY_RETENTION_MS', 7 * 86_400_000, 'How long idempotency keys are remembered: a request whose key was first seen longer ago than this is a new event. Older records are deleted in the background; must exceed HOOKHUB_INGEST_CLAIM_STALE_MS.', 1000, 365 * 86_400_000),
  ingestKeyPruneIntervalMs: int('HOOKHUB_INGEST_KEY_PRUNE_INTERVAL_MS', 3_600_000, 'How often an ingest process deletes idempotency records older than HOOKHUB_INGEST_KEY_RETENTION_MS.', 100, 86_400_000),
  eventRetention: str('HOOKHUB_EVENT_RETENTION', '30d', 'How long the archive keeps an inbound event after it was received (`12h`, `30d`): the window `hookhub replay` and the events API can read. The `archiver` role deletes older events every HOOKHUB_PRUNE_INTERVAL_MS. `0` keeps them forever.'),
  deliveryRetention: str('HOOKHUB_DELIVERY_RETENTION', '14d', 'How long a finished delivery (succeeded, failed after its last attempt, or forwarded to Svix) is kept after it finished; the `delivery` role deletes older ones every HOOKHUB_PRUNE_INTERVAL_MS. Pending and in-flight deliveries are never deleted. `0` keeps them forever.'),
  pruneIntervalMs: int('HOOKHUB_PRUNE_INTERVAL_MS', 600_000, 'How often the `archiver` and `delivery` roles delete events and finished deliveries past HOOKHUB_EVENT_RETENTION and HOOKHUB_DELIVERY_RETENTION (idempotency keys have HOOKHUB_INGEST_KEY_PRUNE_INTERVAL_MS).', 100, 86_400_000),
  pruneBatch: int('HOOKHUB_PRUNE_BATCH', 500, 'Documents one retention step deletes at once (oldest first, read through an index); steps repeat until nothing is past retention.', 1, 100_000),
  ingestFailedAuthPerSecond: int('HOOKHUB_INGEST_FAILED_AUTH_PER_SECOND', 1, 'Webhook requests failing signature verification (401) that one client IP may make per second (sustained, per process); past the burst its webhooks get 429 `ip_rate_limited` before anything is read. Sources\' own rate limits are charged only after verification.', 1, 1000000),
  ingestFailedAuthBurst: int('HOOKHUB_INGEST_FAILED_AUTH_BURST', 30, 'Failed verifications one client IP may make in a burst before it is limited (see HOOKHUB_INGEST_FAILED_AUTH_PER_SECOND).', 1, 1000000),
  ingestBatchMax: int('HOOKHUB_INGEST_BATCH_MAX', 256, 'Most requests ingest puts into one Kafka produce call.', 1, 10000),
  topicSettleMs: int('HOOKHUB_TOPIC_SETTLE_MS', 2000, 'When a consumer group member finds its topic list changed (a new source), it keeps consuming and looks again until the list stayed the same this long (at most five times as long) before it rejoins its group with the new topics: sources created one after another cost one rebalance per group, not one each.', 0, 60000),
  archiverRefreshMs: int('HOOKHUB_ARCHIVER_REFRESH_MS', 10000, 'How often the archiver looks for new sources and subscribes to their topics.', 100, 3600000),
  agentsConcurrency: int('HOOKHUB_AGENTS_PARTITIONS_CONCURRENCY', 3, 'Agents stage: inbound partitions processed concurrently per process (events of one key stay in order).', 1, 256),
  agentsLeaseMs: int('HOOKHUB_AGENTS_LEASE_MS', 30000, 'Agents stage: lease of a running execution, renewed while it runs; a crashed process\'s execution is retried once its lease expires.', 1000, 3600000),
  agentsRefreshMs: int('HOOKHUB_AGENTS_REFRESH_MS', 10000, 'Agents stage: how often the inbound topic list is re-read (new `<prefix>.in.*` topics are subscribed) and agents and routes are re-read in full. Changes made through hookhub apply to the next event regardless (read-your-writes); the full re-read is a backstop for edits made in MongoDB by other means.', 200, 3600000),
  agentsSessionTimeoutMs: int('HOOKHUB_AGENTS_SESSION_TIMEOUT_MS', 30000, 'Agents stage: Kafka consumer session timeout; a crashed process\'s partitions move to the others after it.', 6000, 300000),
  agentsDefaultTimeoutMs: int('HOOKHUB_AGENTS_DEFAULT_TIMEOUT_MS', 60000, 'Agents stage: run timeout of an agent that sets no `timeoutMs`.', 100, 86400000),
  agentsDefaultConcurrency: int('HOOKHUB_AGENTS_DEFAULT_CONCURRENCY', 8, 'Agents stage: concurrent runs per agent and process when the agent sets no `maxConcurrency`.', 1, 1000),
  deliverySchedule: list('HOOKHUB_DELIVERY_SCHEDULE', ['0', '5s', '5m', '30m', '2h', '5h', '10h', '10h'], 'Default retry schedule of outbound deliveries: the delay before each attempt (`0`, `200ms`, `5s`, `5m`, `2h`, `1d`), comma separated; one attempt per entry, with jitter. A subscription may set its own `retrySchedule`.'),
  deliveryJitterPercent: int('HOOKHUB_DELIVERY_JITTER_PERCENT', 20, 'Random spread (±percent) applied to each retry delay.', 0, 100),
  deliveryTimeoutMs: int('HOOKHUB_DELIVERY_TIMEOUT_MS', 15000, 'An attempt succeeds on a 2xx within this time (a subscription may set `timeoutMs`).', 100, 300000),
  deliveryMaxRetryAfterMs: int('HOOKHUB_DELIVERY_MAX_RETRY_AFTER_MS', 3600000, 'Upper bound honoured for a `Retry-After` answered with 429 or 503.', 0, 604800000),
  deliveryDisableAfterMs: int('HOOKHUB_DELIVERY_DISABLE_AFTER_MS', 432000000, 'A subscription whose attempts fail continuously for this long (default 5 days) is disabled and `hookhub.subscription.disabled` is published.', 1, Number.MAX_SAFE_INTEGER),
  outboundAllow: list('HOOKHUB_OUTBOUND_ALLOW', [], 'The one outbound allow-list (SSRF guard) of deliveries and agent runners (http, llm): CIDRs (`127.0.0.1/32`, `10.0.0.0/8`) or host names the hub may reach although they are private, loopback or link-local. Agent services on the hub\'s own host need `127.0.0.1/32` here.'),
  deliveryAllowPrivate: list('HOOKHUB_DELIVERY_ALLOW_PRIVATE', [], 'Older name of HOOKHUB_OUTBOUND_ALLOW: its entries are added to that list (for deliveries and runners alike).'),
  outboundMaxResponseBytes: int('HOOKHUB_OUTBOUND_MAX_RESPONSE_BYTES', 10485760, 'Largest reply an agent runner reads from an agent service or LLM endpoint; a longer one fails the run with `runner_reply_too_large`.', 1024, 1073741824),
  deliveryHttpsOnly: bool('HOOKHUB_DELIVERY_HTTPS_ONLY', false, 'Refuse subscriber URLs that are not https (a subscription may also set `httpsOnly`).'),
  deliveryConcurrency: int('HOOKHUB_DELIVERY_CONCURRENCY', 64, 'Outbound HTTP requests in flight per delivery process.', 1, 10000),
  deliveryThreads: int('HOOKHUB_DELIVERY_THREADS', 1, 'Worker threads that sign and send delivery attempts, off the event loop that reads Kafka and writes MongoDB (`0`: sign and send on that loop).', 0, 64),
  deliveryPollMs: int('HOOKHUB_DELIVERY_POLL_MS', 1000, 'How often the attempt runner looks for due retries in MongoDB.', 10, 600000),
  deliveryLeaseMs: int('HOOKHUB_DELIVERY_LEASE_MS', 120000, 'How long a claimed delivery stays with one process before another may take it over (a crash leaves it claimed this long); a live process renews the leases it holds every third of it.', 1000, 3600000),
  deliveryRefreshMs: int('HOOKHUB_DELIVERY_REFRESH_MS', 5000, 'How often the list of topics to consume and every subscription are re-read. Subscription changes made through hookhub apply to the next event regardless (read-your-writes); the full re-read is a backstop for edits made in MongoDB by other means.', 50, 600000),
  deliveryRotationGraceMs: int('HOOKHUB_DELIVERY_ROTATION_GRACE_MS', 86400000, 'After a secret rotation the old secret keeps signing alongside the new one for this long.', 0, 2592000000),
  svixToken: str('SVIX_TOKEN', '', 'When set, delivery hands messages to a Svix server (applications and endpoints mirrored from subscriptions) instead of the built-in attempt runner.', { secret: true }),
  svixServerUrl: str('SVIX_SERVER_URL', '', 'Svix server URL for a self-hosted Svix (empty: the Svix cloud default of the client library).'),
  schemasDir: str('HOOKHUB_SCHEMAS_DIR', '', 'Folder of JSON Schemas (draft 2020-12) compiled at boot.', { defaultDoc: '`schemas/` of the installation' }),
  apiRatePerSecond: int('HOOKHUB_API_RATE_PER_SECOND', 20, 'Management API: sustained requests per second allowed per API key (token bucket refill rate, per process).', 1, 1000000),
  apiRateBurst: int('HOOKHUB_API_RATE_BURST', 100, 'Management API: burst size per API key (token bucket capacity); over it requests get 429 with Retry-After.', 1, 1000000),
  apiBodyLimitBytes: int('HOOKHUB_API_BODY_LIMIT_BYTES', 1048576, 'Management API: JSON request body size limit; larger bodies get 413.', 1024, 104857600),
  corsOrigins: list('HOOKHUB_CORS_ORIGINS', [], 'Management API: origins allowed by CORS, comma separated (`*` for any). Empty: no CORS headers.'),
  apiUrl: str('HOOKHUB_URL', 'http://127.0.0.1:8080', 'CLI: base URL of the hub the API verbs (`hookhub api …`) call.', { kind: 'url' }),
  apiKey: str('HOOKHUB_API_KEY', '', 'CLI: API key (`hh_…`) the API verbs send as `Authorization: Bearer`.', { secret: true }),
  replayRate: int('HOOKHUB_REPLAY_RATE', 2000, 'Upper bound of events per second a replay job emits (export, redeliver, reprocess), so live traffic keeps its latency. The CLI uses it for redeliver and reprocess; CLI export is unthrottled unless `--rate` is given.', 1, 10000000),
  replayLeaseMs: int('HOOKHUB_REPLAY_LEASE_MS', 15000, 'Lease of a running replay job; a job whose worker stopped renewing it for this long is resumed by another worker from its last checkpoint.', 500, 3600000),
  replayCheckpointMs: int('HOOKHUB_REPLAY_CHECKPOINT_MS', 1000, 'How often a running replay job saves its per-partition position and counts, renews its lease and looks for cancellation.', 100, 60000),
  replayPollMs: int('HOOKHUB_REPLAY_POLL_MS', 1000, 'How often the replay worker looks for queued jobs and jobs whose lease expired.', 50, 60000),
  replayExportDir: str('HOOKHUB_REPLAY_EXPORT_DIR', '', 'Folder where export-mode replay jobs write `<job id>.ndjson` (served by `GET /api/v1/replays/:id/export`).', { defaultDoc: '`.hookhub/exports` under the working directory' }),
  secretsKey: str('HOOKHUB_SECRETS_KEY', '', 'Key that encrypts the secrets stored in MongoDB (source, subscription and runner secrets, runner headers) with AES-256-GCM: 32 random bytes in base64 (`openssl rand -base64 32`). Required; `npm start` generates a dev key into `.hookhub/dev-secrets.key` and prints it. Plain values left from before are encrypted at start.', { secret: true, defaultDoc: 'none (required)' }),
  secretsPreviousKeys: { env: 'HOOKHUB_SECRETS_PREVIOUS_KEYS', kind: 'list', default: [] as string[], secret: true, doc: 'Earlier values of HOOKHUB_SECRETS_KEY, comma separated: secrets sealed with them stay readable until `hookhub secrets rotate-key` has resealed them with the current key.' },
  replayExportTtl: str('HOOKHUB_REPLAY_EXPORT_TTL', '7d', 'How long a finished export job is kept after it ended (`30m`, `12h`, `7d`); then the job and its NDJSON file are deleted together. `0` keeps them forever.'),
  analyticsTopicRefreshMs: int('HOOKHUB_ANALYTICS_TOPIC_REFRESH_MS', 30000, 'How often the ingest analytics consumer looks for new inbound topics (`<prefix>.in.*`).', 200, 3600000),
  analyticsSealIntervalMs: int('HOOKHUB_ANALYTICS_SEAL_INTERVAL_MS', 60000, 'How often the `archiver` role seals closed analytics rollup slots of today and yesterday into compact strings (fast reads); `0` turns sealing off.', 0, 3600000),
  analyticsRetentionDays: int('HOOKHUB_ANALYTICS_RETENTION_DAYS', 400, 'How long analytics rollups are kept: the `archiver` role drops whole day (and month) partitions older than this, once an hour.', 2, 36500),
  analyticsSealAfterMs: int('HOOKHUB_ANALYTICS_SEAL_AFTER_MS', 120000, 'How long after its minute, hour or day ends a rollup slot is sealed (late increments are still counted: they are added on read and sealed in the next round).', 0, 86400000),
} as const;

export type Settings = typeof settings;
export type SettingKey = keyof Settings;
export type SettingValue<K extends SettingKey> = Settings[K]['default'] extends readonly string[]
  ? string[]
  : Settings[K]['default'] extends number
    ? number
    : Settings[K]['default'] extends boolean
      ? boolean
      : string;
export type Env = { [K in SettingKey]: SettingValue<K> };
