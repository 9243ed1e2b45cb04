import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';

/**
 * The slice of kafkajs's internals replay's reader uses (kafkajs 2.2.x, pinned), typed here in one place. kafkajs
 * has no public `assign()`; a consumer group costs a join/sync round (seconds) and decodes every record into
 * objects replay would throw away, so replay fetches partitions from their leaders directly, as kafkajs's consumer
 * does internally: kafkajs connects, negotiates versions, authenticates and encodes the Fetch request; replay only
 * reads the response's record bytes itself (see record-batch.ts).
 */
export interface FetchPartitionRequest {
  partition: number;
  fetchOffset: string;
  maxBytes: number;
}

export interface FetchRequestOptions {
  replicaId: number;
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: { topic: string; partitions: FetchPartitionRequest[] }[];
}

interface ProtocolRequest {
  request: { apiKey: number; apiVersion: number; apiName: string; encode: () => Promise<unknown> };
  response: { decode: (payload: Buffer) => Promise<unknown>; parse: (decoded: unknown) => Promise<unknown> };
  requestTimeout: number;
}

export interface RawBroker {
  versions?: Record<number, { minVersion: number; maxVersion: number }> | null;
  connectionPool: { send(request: ProtocolRequest): Promise<unknown> };
}

export interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(b: { nodeId: string }): Promise<RawBroker>;
}

export type CreateCluster = (o: { metadataMaxAge?: number; allowAutoTopicCreation?: boolean; isolationLevel?: number }) => RawCluster;

const load = createRequire(__filename);

interface Codec {
  decompress(buffer: Buffer): Promise<Buffer>;
}
const compression = load('kafkajs/src/protocol/message/compression') as { lookupCodecByAttributes(attributes: number): Codec | null };
const fetchV11 = load('kafkajs/src/protocol/requests/fetch/v11/request') as (o: FetchRequestOptions) => ProtocolRequest['request'];
const protocolErrors = load('kafkajs/src/protocol/error') as { createErrorFromCode(code: number): Error };

export const FETCH_API_KEY = 1;

/** kafkajs's cluster factory of this client, or undefined when this kafkajs does not have one (then use a group). */
export function clusterFactory(kafka: Kafka): CreateCluster | undefined {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const fn = sym ? (kafka as unknown as Record<symbol, unknown>)[sym] : undefined;
  return typeof fn === 'function' ? (fn as CreateCluster) : undefined;
}

/** The codec kafkajs uses for a record batch's compression attribute (gzip built in, others when registered). */
export function lookupCodecByAttributes(attributes: number): Codec {
  const codec = compression.lookupCodecByAttributes(attributes);
  if (!codec) throw new Error(`unknown compression codec ${attributes & 0x07}`);
  return codec;
}

/** kafkajs's error for a Kafka protocol error code (retriable ones marked so, as everywhere in kafkajs). */
export const kafkaProtocolError = (code: number): Error => protocolErrors.createErrorFromCode(code);

/** Whether the broker speaks Fetch v11, the version whose response replay reads itself. */
export const brokerFetchesV11 = (broker: RawBroker): boolean => (broker.versions?.[FETCH_API_KEY]?.maxVersion ?? -1) >= 11;

/**
 * Sends a Fetch v11 request encoded by kafkajs on the broker's fetch connection and resolves with the raw response
 * payload (after the correlation id), for replay's own decoding.
 */
export async function fetchRaw(broker: RawBroker, o: FetchRequestOptions): Promise<Buffer> {
  const raw = await broker.connectionPool.send({
    request: fetchV11(o),
    // kafkajs honours a quota's throttle time (KIP-219) from what decode returns: the response's first field
    response: { decode: async (payload) => ({ clientSideThrottleTime: payload.readInt32BE(0), payload }), parse: async (decoded) => (decoded as { payload: Buffer }).payload },
    requestTimeout: o.maxWaitTime + 100,
  });
  if (!Buffer.isBuffer(raw)) throw new Error('kafkajs returned no fetch response payload');
  return raw;
}
