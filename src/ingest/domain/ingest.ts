import { createHash } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import type { SourceConfig } from '../../config/types';
import { nextTraceparent } from '../../platform/cloudevents';
import { toKafkaHeaders } from '../../platform/cloudevents';
import { AppError } from '../../platform/errors';
import type { RateLimiter } from '../../platform/rate-limiter';
import { taskStamp } from '../../platform/task-requests';
import { sleep } from '../../platform/timeout';
import { newEventId } from './event-id';
import { assertMatchesSchema, eventTypeOf, locate, type SchemaCheck } from './extract';
import { headerValue, verifySignature, type Headers } from './verify';

/** What the use case needs from the outside, declared here and implemented in data-access. */
export interface SourceLookup {
  /** The source as of every change answered before this call (read-your-writes). */
  fresh(id: string): Promise<SourceConfig | undefined>;
}

/** Where Kafka stored an event; `offset` is a decimal string (Kafka offsets are 64-bit). */
export interface Placement {
  topic: string;
  partition: number;
  offset: string;
}

export type ClaimOutcome =
  | { kind: 'claimed'; eventId: string; token: string }
  | { kind: 'accepted'; eventId: string; type?: string; placement?: Placement }
  | { kind: 'pending'; eventId: string };

/**
 * `alone`: the holder's outcome is recorded on its own rather than with the claims made at the same moment. A
 * request that holds one key while it waits on another (the body key of a body-only signature, around the
 * sender's idempotency key) must not share an outcome with the claims it may be waiting for.
 */
export interface ClaimOptions {
  alone?: boolean;
}

/** Idempotency keys per source: who claimed a key, and where the event it stands for went. */
export interface IdempotencyStore {
  claim(source: string, key: string, eventId: string, type: string, staleMs: number, options?: ClaimOptions): Promise<ClaimOutcome>;
  follow(source: string, key: string, type: string, staleMs: number, options?: ClaimOptions): Promise<ClaimOutcome>;
  accept(source: string, key: string, token: string, eventId: string, type: string, placement: Placement): Promise<boolean>;
  release(source: string, key: string, token: string): Promise<void>;
}

/** One webhook as a Kafka record: the exact request bytes, keyed by the partition key, CloudEvents headers. */
export interface EventRecord {
  topic: string;
  key: string;
  value: Buffer;
  headers: IHeaders;
}

export interface Publisher {
  publish(event: EventRecord): Promise<Placement>;
}

export interface IngestOptions {
  defaultBodyLimit: number;
  /** Failed verifications (401s) one client address may make: sustained per second, and in a burst. */
  failedAuth: { perSecond: number; burst: number };
  ackTimeoutMs: number;
  claimStaleMs: number;
  topicOf(source: SourceConfig): string;
}

export interface IngestDeps {
  sources: SourceLookup;
  idempotency: IdempotencyStore;
  publisher: Publisher;
  schemas: SchemaCheck;
  limiter: RateLimiter;
  /** Buckets of failed verifications by client address (apart from the sources' buckets). */
  failedAuthLimiter: RateLimiter;
  options: IngestOptions;
  /** Told about failures that clients see only as 503s, with the request they happened to. */
  onInfraError?: (what: string, err: unknown, request: RequestRef) => void;
}

/**
 * Which request a log line is about. Passed along explicitly rather than through AsyncLocalStorage: once a store
 * is entered, node hooks every promise the process creates, and a webhook creates dozens (measured in
 * `bench:ingest`: about 8% more requests per second without it).
 */
export interface RequestRef {
  requestId?: string;
  /** The peer address of the connection (no proxy headers are trusted). */
  clientIp?: string;
  source?: string;
  eventId?: string;
}

export type IngestResult =
  | { status: 202; body: { id: string; source: string; type: string; topic: string; partition: number; offset: string } }
  | { status: 200; body: { id: string; duplicate: true; source: string; type?: string; topic?: string; partition?: number; offset?: string } };

const JSON_TYPE = /^application\/(?:json|[a-z0-9.!#$&^_-]+\+json)$/;

/** `application/json` or any `+json` type; parameters (charset) are allowed. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_TYPE.test(contentType.split(';')[0]?.trim().toLowerCase() ?? '');
}

/**
 * The inbound use case, in the order a request meets it: which source, may it send now, what is it, is it
 * authentic, is it well-formed, have we seen it, is it durable. Nothing is answered 2xx before Kafka's ack.
 */
export class Ingestor {
  private readonly marking = new Set<Promise<void>>();

  constructor(private readonly deps: IngestDeps) {}

  /**
   * Checks what can be checked before reading the body; returns the source and its body limit. The source's
   * rate limit is not charged here: unsigned junk would then use up a genuine sender's share (it is charged
   * once the signature verifies). An address that keeps failing verification is held off here instead.
   */
  async open(sourceId: string, headers: Headers, request: RequestRef = {}): Promise<{ source: SourceConfig; bodyLimit: number }> {
    this.ensureAddressNotLimited(request);
    const source = await this.ensureSource(sourceId, request);
    this.ensureJson(headers);
    const bodyLimit = source.bodyLimitBytes ?? this.deps.options.defaultBodyLimit;
    const announced = headerValue(headers, 'content-length');
    if (announced !== undefined && Number(announced) > bodyLimit) {
      throw new AppError('payload_too_large', `Content-Length ${announced} is over the limit of ${bodyLimit} bytes`, { limit: bodyLimit });
    }
    return { source, bodyLimit };
  }

  /** Verifies, validates, deduplicates and publishes one request whose body is `raw`. */
  async accept(source: SourceConfig, raw: Buffer, headers: Headers, request: RequestRef = {}): Promise<IngestResult> {
    this.verify(source, raw, headers, request);
    this.ensureWithinRate(source);
    const body = parseJson(raw);
    const type = eventTypeOf(source, headers, body);
    assertMatchesSchema(source, type, body, this.deps.schemas);
    const key = locate(source.idempotencyKey, headers, body);
    const produce = (id: string): Promise<IngestResult> => this.publishNew(request, source, raw, headers, body, type, id, key);
    const once = (id: string): Promise<IngestResult> => (key ? this.publishOnce(request, source, type, key, produce) : produce(id));
    // A signature over the body alone says nothing about the headers: a captured request resent with a new
    // delivery id (or event header) still verifies. The body itself is then the key that catches the replay.
    if (BODY_ONLY_SCHEMES.has(source.verification.scheme)) return this.publishOnce(request, source, type, bodyKey(raw), once, { alone: true });
    return once(newEventId());
  }

  private ensureAddressNotLimited(request: RequestRef): void {
    if (request.clientIp === undefined) return;
    const { perSecond, burst } = this.deps.options.failedAuth;
    const wait = this.deps.failedAuthLimiter.peek(request.clientIp, { perSecond, burst });
    if (wait > 0) throw new AppError('ip_rate_limited', `too many requests from this address failed verification; retry in ${Math.ceil(wait)} s`, { retryAfterSeconds: wait });
  }

  /** Verifies the signature; a failure (401) is charged to the client address. */
  private verify(source: SourceConfig, raw: Buffer, headers: Headers, request: RequestRef): void {
    try {
      verifySignature(source, raw, headers);
    } catch (err) {
      if (err instanceof AppError && err.status === 401 && request.clientIp !== undefined) {
        const { perSecond, burst } = this.deps.options.failedAuth;
        this.deps.failedAuthLimiter.take(request.clientIp, { perSecond, burst });
      }
      throw err;
    }
  }

  private async ensureSource(id: string, request: RequestRef): Promise<SourceConfig> {
    let source: SourceConfig | undefined;
    try {
      source = await this.deps.sources.fresh(id);
    } catch (err) {
      this.deps.onInfraError?.('reading sources', err, request);
      throw new AppError('storage_unavailable', 'sources could not be read', { retryAfterSeconds: 1 });
    }
    if (!source || source.enabled === false) throw new AppError('source_unknown', `no enabled source "${id}"`);
    return source;
  }

  private ensureWithinRate(source: SourceConfig): void {
    if (!source.rateLimit) return;
    const decision = this.deps.limiter.take(source.id, source.rateLimit);
    const wait = decision.retryAfterSeconds;
    if (!decision.allowed) throw new AppError('rate_limited', `source ${source.id} allows ${source.rateLimit.perSecond} requests per second`, { retryAfterSeconds: wait });
  }

  private ensureJson(headers: Headers): void {
    const contentType = headerValue(headers, 'content-type');
    if (!isJsonMediaType(contentType)) throw new AppError('unsupported_media_type', `Content-Type must be application/json or a +json type, got ${contentType ?? 'none'}`);
    const encoding = headerValue(headers, 'content-encoding');
    if (encoding && encoding.trim().toLowerCase() !== 'identity') throw new AppError('unsupported_media_type', `Content-Encoding ${encoding} is not accepted; send the JSON uncompressed`);
  }

  /** Claim the key, publish, mark accepted; a known key answers with the event that got it first. */
  private async publishOnce(request: RequestRef, source: SourceConfig, type: string, key: string, produce: (eventId: string) => Promise<IngestResult>, options: ClaimOptions = {}): Promise<IngestResult> {
    const deadline = Date.now() + this.deps.options.ackTimeoutMs + 2000;
    const staleMs = this.deps.options.claimStaleMs;
    for (let first = true; ; first = false) {
      const claim = await this.withIdempotencyStore(request, () => (first ? this.deps.idempotency.claim(source.id, key, newEventId(), type, staleMs, options) : this.deps.idempotency.follow(source.id, key, type, staleMs, options)));
      if (claim.kind === 'accepted') {
        return { status: 200, body: { id: claim.eventId, duplicate: true, source: source.id, ...(claim.type ? { type: claim.type } : {}), ...claim.placement } };
      }
      if (claim.kind === 'claimed') {
        let result: IngestResult;
        try {
          result = await produce(claim.eventId);
        } catch (err) {
          await this.deps.idempotency.release(source.id, key, claim.token).catch((e: unknown) => this.deps.onInfraError?.('releasing an idempotency claim', e, request));
          throw err;
        }
        // The event may have been published (or found) under another key's id: the key records that one.
        const placement = placementOf(result);
        if (placement) this.markAccepted(request, source.id, key, claim.token, result.body.id, type, placement);
        else await this.deps.idempotency.release(source.id, key, claim.token).catch((e: unknown) => this.deps.onInfraError?.('releasing an idempotency claim', e, request));
        return result;
      }
      // Another request (here or in another process) is producing this key right now: wait for its outcome.
      if (Date.now() > deadline) {
        throw new AppError('conflict', `event ${claim.eventId} with idempotency key ${key} is still being accepted; retry shortly`, { retryAfterSeconds: 1, id: claim.eventId });
      }
      await sleep(100);
    }
  }

  /**
   * Records the key as accepted without holding the answer for it: durability comes from Kafka's ack, and the
   * marker only serves later duplicates, which meanwhile find the claim pending and wait for it. This keeps one
   * database round trip off every request. Should the process die in between, a redelivery after the claim
   * goes stale is published again under the same event id, which consumers deduplicate.
   */
  private markAccepted(request: RequestRef, source: string, key: string, token: string, eventId: string, type: string, placement: Placement): void {
    const p = this.deps.idempotency
      .accept(source, key, token, eventId, type, { topic: placement.topic, partition: placement.partition, offset: placement.offset })
      .then(
        () => undefined,
        (e: unknown) => this.deps.onInfraError?.('marking an idempotency key accepted', e, request),
      )
      .finally(() => this.marking.delete(p));
    this.marking.add(p);
  }

  /** Waits for the accepted markers still being written (called on shutdown). */
  async drain(): Promise<void> {
    while (this.marking.size > 0) await Promise.all([...this.marking]);
  }

  private async withIdempotencyStore<T>(request: RequestRef, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.deps.onInfraError?.('claiming an idempotency key', err, request);
      throw new AppError('storage_unavailable', 'the idempotency store could not be reached', { retryAfterSeconds: 2 });
    }
  }

  private async publishNew(request: RequestRef, source: SourceConfig, raw: Buffer, headers: Headers, body: unknown, type: string, id: string, key?: string): Promise<IngestResult> {
    const topic = this.deps.options.topicOf(source);
    const partitionKey = locate(source.partitionKey, headers, body) ?? id;
    const contentType = headerValue(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase() ?? 'application/json';
    const kafkaHeaders = toKafkaHeaders({
      id,
      source: `/sources/${source.id}`,
      type,
      time: new Date().toISOString(),
      datacontenttype: contentType,
      traceparent: nextTraceparent(headerValue(headers, 'traceparent')),
      extensions: { hookhubsource: source.id, ...(key ? { idempotencykey: key } : {}), ...taskStamp(source, type, body) },
    });
    let placement: Placement;
    try {
      placement = await this.deps.publisher.publish({ topic, key: partitionKey, value: raw, headers: kafkaHeaders });
    } catch (err) {
      this.deps.onInfraError?.('publishing to Kafka', err, { ...request, eventId: id });
      // The cause (broker addresses, kafkajs internals) went to the log above; the sender learns only to retry.
      throw new AppError('kafka_unavailable', 'the event was not stored: the event log did not acknowledge it in time; retry later', { retryAfterSeconds: 5 });
    }
    return { status: 202, body: { id, source: source.id, type, ...placement } };
  }
}

/** Schemes whose signature covers the body only (no id or timestamp of the request). */
const BODY_ONLY_SCHEMES: ReadonlySet<string> = new Set(['github', 'hmac-sha256']);

/** The idempotency key of a signed body: its SHA-256 (remembered, like every key, for the key retention). */
export function bodyKey(raw: Buffer): string {
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

function placementOf(result: IngestResult): Placement | undefined {
  const b = result.body;
  return b.topic !== undefined && b.partition !== undefined && b.offset !== undefined ? { topic: b.topic, partition: b.partition, offset: b.offset } : undefined;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new AppError('json_malformed', (err as Error).message);
  }
}
