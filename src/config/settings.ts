/**
 * The process settings: one typed table where every key has its environment variable, default and doc.
 * The README's configuration table is generated from this table (`hookhub docs config --write`) and
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
  readyTimeoutMs: int('HOOKHUB_READY_TIMEOUT_MS', 2000, 'Per-dependency deadline of the /readyz checks.', 100, 60000),
  bodyLimitBytes: int('HOOKHUB_BODY_LIMIT_BYTES', 1048576, 'Default webhook body size limit (a source may set its own).', 1024, 104857600),
  schemasDir: str('HOOKHUB_SCHEMAS_DIR', '', 'Folder of JSON Schemas (draft 2020-12) compiled at boot.', { defaultDoc: '`schemas/` of the installation' }),
  replayRate: int('HOOKHUB_REPLAY_RATE', 2000, 'Upper bound of events per second a replay job emits (export, redeliver, reprocess), so live traffic keeps its latency. The CLI uses it for redeliver and reprocess; CLI export is unthrottled unless `--rate` is given.', 1, 10000000),
  replayLeaseMs: int('HOOKHUB_REPLAY_LEASE_MS', 15000, 'Lease of a running replay job; a job whose worker stopped renewing it for this long is resumed by another worker from its last checkpoint.', 500, 3600000),
  replayCheckpointMs: int('HOOKHUB_REPLAY_CHECKPOINT_MS', 1000, 'How often a running replay job saves its per-partition position and counts, renews its lease and looks for cancellation.', 100, 60000),
  replayPollMs: int('HOOKHUB_REPLAY_POLL_MS', 1000, 'How often the replay worker looks for queued jobs and jobs whose lease expired.', 50, 60000),
  replayExportDir: str('HOOKHUB_REPLAY_EXPORT_DIR', '', 'Folder where export-mode replay jobs write `<job id>.ndjson` (served by `GET /api/v1/replays/:id/export`).', { defaultDoc: '`.hookhub/exports` under the working directory' }),
  analyticsTopicRefreshMs: int('HOOKHUB_ANALYTICS_TOPIC_REFRESH_MS', 30000, 'How often the ingest analytics consumer looks for new inbound topics (`<prefix>.in.*`).', 200, 3600000),
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
