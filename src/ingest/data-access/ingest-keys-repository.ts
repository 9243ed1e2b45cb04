import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Placement } from './event-log';
import { isDuplicateKey, modelOf } from './models';

/**
 * One document per (source, idempotency key): the claim an ingest process takes before producing.
 * `pending` → produced and acknowledged → `accepted` (with where Kafka stored it), or `released` when the
 * produce failed. The unique index on (source, key) is what makes racing processes agree on one winner.
 */
export type KeyState = 'pending' | 'accepted' | 'released';

interface IngestKeyDoc {
  source: string;
  key: string;
  eventId: string;
  state: KeyState;
  /** Identifies the current holder of a pending claim; accept/release only touch their own claim. */
  token: string;
  claimedAt: Date;
  acceptedAt?: Date;
  type?: string;
  topic?: string;
  partition?: number;
  offset?: string;
}

const schema = new Schema<IngestKeyDoc>(
  {
    source: { type: String, required: true },
    key: { type: String, required: true },
    eventId: { type: String, required: true },
    state: { type: String, required: true },
    token: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    acceptedAt: Date,
    type: String,
    topic: String,
    partition: Number,
    offset: String,
  },
  { versionKey: false },
);
schema.index({ source: 1, key: 1 }, { unique: true });

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

export class IngestKeysRepository {
  private readonly model: Model<IngestKeyDoc>;

  constructor(conn: Connection) {
    this.model = modelOf(conn, 'IngestKey', schema, 'ingest_keys');
  }

  /** Builds the unique index; dedupe is only safe once it exists, so call this before serving. */
  async init(): Promise<void> {
    await this.model.init();
  }

  /**
   * Claims (source, key) for a new event. When the key is already known: accepted → that event; a fresh
   * pending claim → `pending` (someone is producing it right now); a released claim, or a pending one older
   * than `staleMs` (its process died), is taken over atomically, keeping its event id so that a message the
   * earlier attempt may still have landed in Kafka carries the same id and consumers drop the copy.
   */
  async claim(source: string, key: string, eventId: string, type: string, staleMs: number): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const token = randomUUID();
      try {
        await this.model.create({ source, key, eventId, state: 'pending', token, claimedAt: new Date(), type });
        return { kind: 'claimed', eventId, token, takenOver: false };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const existing = await this.model.findOne({ source, key }).lean();
      if (!existing) continue;
      if (existing.state === 'accepted') {
        return { kind: 'accepted', eventId: existing.eventId, ...(existing.type ? { type: existing.type } : {}), ...placementOf(existing) };
      }
      const stale = existing.state === 'released' || Date.now() - new Date(existing.claimedAt).getTime() > staleMs;
      if (!stale) return { kind: 'pending', eventId: existing.eventId, claimedAt: existing.claimedAt };
      const taken = await this.model.updateOne(
        { source, key, token: existing.token, state: existing.state },
        { $set: { state: 'pending', token, claimedAt: new Date(), type } },
      );
      if (taken.modifiedCount === 1) return { kind: 'claimed', eventId: existing.eventId, token, takenOver: true };
    }
    throw new Error(`could not claim idempotency key ${key} of ${source}: it keeps changing`);
  }

  /** Marks our claim accepted with where Kafka stored the event; false when the claim is no longer ours. */
  async accept(source: string, key: string, token: string, placement: Placement): Promise<boolean> {
    const res = await this.model.updateOne(
      { source, key, token, state: 'pending' },
      { $set: { state: 'accepted', acceptedAt: new Date(), topic: placement.topic, partition: placement.partition, offset: placement.offset } },
    );
    return res.modifiedCount === 1;
  }

  /** Gives up our claim after a failed produce, so a retry can take it over (with the same event id). */
  async release(source: string, key: string, token: string): Promise<void> {
    await this.model.updateOne({ source, key, token, state: 'pending' }, { $set: { state: 'released' } });
  }

  async get(source: string, key: string): Promise<IngestKeyView | undefined> {
    const d = await this.model.findOne({ source, key }).lean();
    if (!d) return undefined;
    return {
      source: d.source,
      key: d.key,
      eventId: d.eventId,
      state: d.state,
      claimedAt: d.claimedAt,
      ...(d.acceptedAt ? { acceptedAt: d.acceptedAt } : {}),
      ...placementOf(d),
    };
  }

  async countByState(source: string, state: KeyState): Promise<number> {
    return this.model.countDocuments({ source, state });
  }
}

function placementOf(d: Pick<IngestKeyDoc, 'topic' | 'partition' | 'offset'>): { placement?: Placement } {
  return d.topic !== undefined && d.partition !== undefined && d.offset !== undefined ? { placement: { topic: d.topic, partition: d.partition, offset: d.offset } } : {};
}
