import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import type { Env } from '../config/settings';
import type { KafkaEntryPoints } from './entry-points';
import type { HubConfig } from '../config/types';
import type { KafkaPort } from '../platform/kafka';
import type { RawHandler } from '../platform/http';
import type { Logger } from '../platform/logger';
import type { SchemaRegistry } from '../platform/schemas';

export interface TopicNames {
  inbound(source: string): string;
  results: string;
  dlq(stage: string): string;
}

export function topicNames(prefix: string): TopicNames {
  return {
    inbound: (source) => `${prefix}.in.${source}`,
    results: `${prefix}.results`,
    dlq: (stage) => `${prefix}.dlq.${stage}`,
  };
}

/** What every component receives: the process's settings, config file and shared connections. */
export interface HubContext {
  env: Env;
  logger: Logger;
  kafka: KafkaPort;
  mongo: Connection;
  schemas: SchemaRegistry;
  config: HubConfig;
  metrics: Registry;
  topics: TopicNames;
  /** The Kafka entry points (`consumers/`), given by the composition root; without them the consumer roles cannot start. */
  entryPoints?: KafkaEntryPoints;
}

/**
 * A piece of a role: HTTP routes to mount and/or background work (Kafka consumers, schedulers).
 * `stop` must drain in-flight work and commit offsets before it resolves.
 */
export interface Component {
  name: string;
  mount?(app: Express): void;
  /** A hot path served before express (see RawHandler); everything it does not claim goes to `mount`'s routes. */
  serve?: RawHandler;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type ComponentFactory = (ctx: HubContext) => Component | Promise<Component>;
