import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import type { Placement } from './event-log';
import { MicroBatcher, type Outcome } from '../../platform/micro-batcher';
import { isDuplicateKey } from './models';

/**
 * Idempotency keys, in MongoDB `ingest_keys`, written with inserts only. Every record is a document whose
 * `_id` says what it is, and the unique `_id` is what makes racing processes agree:
 *   - `claim:<source>:<key>`      the first claim of a key (event id, holder token, time);
 *   - `takeover:<previous token>` a later holder, after the previous one released or went stale;
 *   - `release:<token>`           that holder's produce failed;
 *   - `accepted:<source>:<key>`   Kafka acknowledged the event (topic, partition, offset).
 * Inserts only, because FerretDB (our dev and CI store) scans the whole collection for every update and
 * delete; with inserts the hot path is two batched `insertMany` calls per group of concurrent requests.
 * The same scheme is as safe on MongoDB, where the unique `_id` index does the same job.
 */
export type KeyState = 'pending' | 'accepted' | 'released';

type Kind = 'claim' | 'takeover' | 'release' | 'accepted';

interface KeyDoc {
  _id: string;
  kind: Kind;
  source: string;
  key: string;
  eventId: string;
  token?: string;
  at: Date;
  type?: string;
  topic?: string;
  partition?: number;
  offset?: string;
}

export type ClaimResult =
  | { kind: 'claimed'; eventId: string; token: string; takenOver: boolean }
  | { kind: 'accepted'; eventId: string; type?: string; placement?: Placement }
  | { kind: 'pending'; eventId: string; claimedAt: Date };

export interface IngestKeyView {
  source: string;
  key: string;
  eventId: string;
  state: KeyState;
  claimedAt: Date;
  acceptedAt?: Date;
  placement?: Placement;
}

interface Holder {
  eventId: string;
  token: string;
  at: Date;
}

export interface IngestKeysOptions {
  lingerMs: number;
  maxItems: number;
}

const claimId = (source: string, key: string): string => `claim:${source}:${key}`;
const acceptedId = (source: string, key: string): string => `accepted:${source}:${key}`;

export class IngestKeysRepository {
  private readonly collection: Collection<KeyDoc>;
  private readonly inserts: MicroBatcher<KeyDoc, boolean>;
  /** Accepted and release records: off the answer's path, so gathered longer into fewer, larger writes. */
  private readonly markers: MicroBatcher<KeyDoc, boolean>;

  constructor(conn: Connection, options: IngestKeysOptions = { lingerMs: 1, maxItems: 256 }) {
    this.collection = conn.collection<KeyDoc>('ingest_keys');
    this.inserts = new MicroBatcher({ ...options, maxInFlight: 2, run: (docs) => this.insertMany(docs) });
    this.markers = new MicroBatcher({ lingerMs: Math.max(10, options.lingerMs), maxItems: 1000, maxInFlight: 1, run: (docs) => this.insertMany(docs) });
  }

  /**
   * Claims (source, key) for a new event. When the key is known: accepted → that event; a fresh holder →
   * `pending` (it is producing right now); a released or stale holder (its process died) is succeeded by a
   * takeover, keeping the event id so that a message the earlier attempt may still have landed in Kafka
   * carries the same id and consumers drop the copy.
   */
  async claim(source: string, key: string, eventId: string, type: string, staleMs: number): Promise<ClaimResult> {
    const token = randomUUID();
    const base = { source, key, type, token };
    if (await this.inserts.submit({ _id: claimId(source, key), kind: 'claim', eventId, at: new Date(), ...base })) {
      return { kind: 'claimed', eventId, token, takenOver: false };
    }
    return this.follow(source, key, type, staleMs);
  }

  /**
   * For a key that is already claimed: its accepted event, its pending holder, or a takeover of a released or
   * stale holder. Waiting duplicates call this to poll without trying to insert again.
   */
  async follow(source: string, key: string, type: string, staleMs: number): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const [accepted, holder] = await Promise.all([this.collection.findOne({ _id: acceptedId(source, key) }), this.currentHolder(source, key)]);
      if (accepted) return { kind: 'accepted', eventId: accepted.eventId, ...(accepted.type ? { type: accepted.type } : {}), ...placementOf(accepted) };
      if (!holder) continue;
      const released = await this.collection.findOne({ _id: `release:${holder.token}` });
      const stale = Date.now() - new Date(holder.at).getTime() > staleMs;
      if (!released && !stale) return { kind: 'pending', eventId: holder.eventId, claimedAt: holder.at };
      const next = randomUUID();
      if (await this.inserts.submit({ _id: `takeover:${holder.token}`, kind: 'takeover', source, key, type, eventId: holder.eventId, at: new Date(), token: next })) {
        return { kind: 'claimed', eventId: holder.eventId, token: next, takenOver: true };
      }
    }
    throw new Error(`could not claim idempotency key ${key} of ${source}: it keeps changing`);
  }

  /** Records that Kafka acknowledged the event of our claim; a racing takeover's record wins ties harmlessly. */
  async accept(source: string, key: string, token: string, eventId: string, type: string, placement: Placement): Promise<boolean> {
    return this.markers.submit({
      _id: acceptedId(source, key),
      kind: 'accepted',
      source,
      key,
      token,
      eventId,
      at: new Date(),
      type,
      topic: placement.topic,
      partition: placement.partition,
      offset: placement.offset,
    });
  }

  /** Gives up our claim after a failed produce, so a retry can take it over (with the same event id). */
  async release(source: string, key: string, token: string): Promise<void> {
    await this.markers.submit({ _id: `release:${token}`, kind: 'release', source, key, token, eventId: '', at: new Date() });
  }

  async get(source: string, key: string): Promise<IngestKeyView | undefined> {
    const accepted = await this.collection.findOne({ _id: acceptedId(source, key) });
    const first = await this.collection.findOne({ _id: claimId(source, key) });
    if (!first) return undefined;
    const holder = await this.currentHolder(source, key);
    if (accepted) {
      return { source, key, eventId: accepted.eventId, state: 'accepted', claimedAt: first.at, acceptedAt: accepted.at, ...placementOf(accepted) };
    }
    const released = holder ? await this.collection.findOne({ _id: `release:${holder.token}` }) : null;
    return { source, key, eventId: holder?.eventId ?? first.eventId, state: released ? 'released' : 'pending', claimedAt: holder?.at ?? first.at };
  }

  async drain(): Promise<void> {
    await Promise.all([this.inserts.drain(), this.markers.drain()]);
  }

  /** The latest holder: the first claim, then each takeover in turn. */
  private async currentHolder(source: string, key: string): Promise<Holder | undefined> {
    const first = await this.collection.findOne({ _id: claimId(source, key) });
    if (!first?.token) return undefined;
    let holder: Holder = { eventId: first.eventId, token: first.token, at: first.at };
    for (let hops = 0; hops < 1000; hops++) {
      const next = await this.collection.findOne({ _id: `takeover:${holder.token}` });
      if (!next?.token) return holder;
      holder = { eventId: next.eventId, token: next.token, at: next.at };
    }
    return holder;
  }

  /** One insertMany for a batch: true for each document inserted, false for each whose `_id` already existed. */
  private async insertMany(docs: KeyDoc[]): Promise<Outcome<boolean>[]> {
    const outcomes: Outcome<boolean>[] = docs.map(() => ({ ok: true, value: true }));
    try {
      await this.collection.insertMany(docs, { ordered: false });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { index: number; code?: number }[] }).writeErrors;
      if (!writeErrors) throw err;
      for (const w of writeErrors) outcomes[w.index] = isDuplicateKey(w) ? { ok: true, value: false } : { ok: false, error: err };
    }
    return outcomes;
  }
}

function placementOf(d: Pick<KeyDoc, 'topic' | 'partition' | 'offset'>): { placement?: Placement } {
  return d.topic !== undefined && d.partition !== undefined && d.offset !== undefined ? { placement: { topic: d.topic, partition: d.partition, offset: d.offset } } : {};
}
