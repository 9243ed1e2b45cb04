import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import pRetry from 'p-retry';
import { MicroBatcher, type Outcome } from '../../platform/micro-batcher';
import { OutcomeGroups, outcomeId, unpackOutcome, type OutcomeRecord } from './outcome-groups';
import { isDuplicateKey } from './models';
import type { ClaimOptions, IdempotencyStore, Placement } from '../domain/ingest';
import type { RetentionRule } from '../../platform/pruner';

/**
 * Idempotency keys, in MongoDB `ingest_keys`, written with inserts only. Every record is a document whose
 * `_id` says what it is, and the unique `_id` is what makes racing processes agree:
 *   - `claim:<source>:<key>`      the first holder of a key (event id, holder token, time, outcome group);
 *   - `takeover:<previous token>` a later holder, after the previous one released or went stale;
 *   - `outcome:<group>`           how every holder of one group ended: accepted by Kafka (topic, partition,
 *                                 offset) or released (its produce failed). See OutcomeGroups.
 *   - `accepted:<source>:<key>` / `release:<token>`: the same outcomes one record each, as written before outcome
 *                                 groups existed; still read, and written for a holder this process does not know.
 * Inserts only, because FerretDB (our dev and CI store) scans the whole collection for every update and
 * delete. A webhook costs one claim document plus its share of one outcome document, all in batched `insert`
 * commands. The same scheme is as safe on MongoDB, where the unique `_id` index does the same job.
 */
export type KeyState = 'pending' | 'accepted' | 'released';

/**
 * A holder (claim or takeover) as written: what the `_id` says (kind, source, key) is not repeated, and the rest
 * is packed into `h` = `<eventId>\t<token>\t<group>\t<type>`, because FerretDB's CPU per insert grows with every
 * field (measured on batches of 20: 123 µs per holder with six fields, 108 µs packed). `at` stays a field of its
 * own for the retention prune (indexed).
 */
interface HolderDoc {
  _id: string;
  at: Date;
  h: string;
}

/** Records of earlier formats, one field each: holders, and the one-record-each accepted and release markers. */
interface LegacyDoc {
  _id: string;
  eventId: string;
  token?: string;
  at: Date;
  group?: string;
  type?: string;
  topic?: string;
  partition?: number;
  offset?: string;
}

type KeyDoc = HolderDoc | LegacyDoc;

interface InsertReply {
  ok?: number;
  writeErrors?: { index: number; code?: number; errmsg?: string }[];
}

export type ClaimResult =
  | { kind: 'claimed'; eventId: string; token: string; takenOver: boolean }
  | { kind: 'accepted'; eventId: string; type?: string; placement?: Placement }
  | { kind: 'pending'; eventId: string; claimedAt: Date };

export interface IdempotencyKeyView {
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
  group?: string;
  type?: string;
}

const packHolder = (id: string, h: Holder & { group: string; type: string }): HolderDoc => ({ _id: id, at: h.at, h: `${h.eventId}\t${h.token}\t${h.group}\t${h.type}` });

/** The holder a record describes, whichever format it was written in; undefined for a record that is no holder. */
function holderOf(doc: KeyDoc): Holder | undefined {
  if ('h' in doc && typeof doc.h === 'string') {
    const [eventId = '', token = '', group = '', ...type] = doc.h.split('\t');
    return { eventId, token, at: doc.at, ...(group ? { group } : {}), ...(type.length > 0 ? { type: type.join('\t') } : {}) };
  }
  const legacy = doc as LegacyDoc;
  if (!legacy.token) return undefined;
  return { eventId: legacy.eventId, token: legacy.token, at: legacy.at, ...(legacy.group ? { group: legacy.group } : {}), ...(legacy.type ? { type: legacy.type } : {}) };
}

type HolderState = { state: 'accepted'; eventId: string; type?: string; placement?: Placement; at: Date } | { state: 'released' } | { state: 'pending' };

export interface IdempotencyStoreOptions {
  lingerMs: number;
  maxItems: number;
  /** Told when an outcome record could not be written (its holders then read as pending until stale). */
  onError?: (what: string, err: unknown) => void;
}

const claimId = (source: string, key: string): string => `claim:${source}:${key}`;
const acceptedId = (source: string, key: string): string => `accepted:${source}:${key}`;

export class MongoIdempotencyStore implements IdempotencyStore {
  private readonly collection: Collection<KeyDoc>;
  /**
   * Every record, whatever its kind, joins one stream of batched inserts: the claims of new requests and the
   * accepted markers of finished ones share a round trip instead of taking two. One batch at a time: FerretDB
   * spends about 0.8 ms of CPU per insert command besides ~50 µs per document, so claims that queue up behind a
   * running batch are worth more together than a second command in parallel.
   */
  private readonly inserts: MicroBatcher<KeyDoc | OutcomeRecord, boolean>;
  private readonly groups: OutcomeGroups;

  constructor(private readonly conn: Connection, options: IdempotencyStoreOptions = { lingerMs: 1, maxItems: 256 }) {
    this.collection = conn.collection<KeyDoc>('ingest_keys');
    this.inserts = new MicroBatcher({ lingerMs: options.lingerMs, maxItems: options.maxItems, maxInFlight: 1, run: (docs) => this.insertMany(docs) });
    this.groups = new OutcomeGroups({
      windowMs: 20,
      maxMembers: 500,
      write: (record) => pRetry(async () => void (await this.inserts.submit(record)), { retries: 3, minTimeout: 100 }),
      onWriteError: (err) => options.onError?.('writing an idempotency outcome record', err),
    });
  }

  /**
   * Claims (source, key) for a new event. When the key is known: accepted → that event; a fresh holder →
   * `pending` (it is producing right now); a released or stale holder (its process died) is succeeded by a
   * takeover, keeping the event id so that a message the earlier attempt may still have landed in Kafka
   * carries the same id and consumers drop the copy.
   */
  async claim(source: string, key: string, eventId: string, type: string, staleMs: number, options: ClaimOptions = {}): Promise<ClaimResult> {
    const token = randomUUID();
    if (await this.insertHolder(claimId(source, key), { eventId, token, at: new Date(), type }, options)) {
      return { kind: 'claimed', eventId, token, takenOver: false };
    }
    return this.follow(source, key, type, staleMs, options);
  }

  /**
   * For a key that is already claimed: its accepted event, its pending holder, or a takeover of a released or
   * stale holder. Waiting duplicates call this to poll without trying to insert again.
   */
  async follow(source: string, key: string, type: string, staleMs: number, options: ClaimOptions = {}): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const holder = await this.currentHolder(source, key);
      if (!holder) continue;
      const outcome = await this.stateOf(source, key, holder);
      if (outcome.state === 'accepted') return { kind: 'accepted', eventId: outcome.eventId, ...(outcome.type ? { type: outcome.type } : {}), ...(outcome.placement ? { placement: outcome.placement } : {}) };
      const stale = Date.now() - new Date(holder.at).getTime() > staleMs;
      if (outcome.state === 'pending' && !stale) return { kind: 'pending', eventId: holder.eventId, claimedAt: holder.at };
      const next = randomUUID();
      if (await this.insertHolder(`takeover:${holder.token}`, { type, eventId: holder.eventId, at: new Date(), token: next }, options)) {
        return { kind: 'claimed', eventId: holder.eventId, token: next, takenOver: true };
      }
    }
    throw new Error(`could not claim idempotency key ${key} of ${source}: it keeps changing`);
  }

  /** Records that Kafka acknowledged the event of our holder (in its outcome group, written when the group is). */
  async accept(source: string, key: string, token: string, eventId: string, type: string, placement: Placement): Promise<boolean> {
    if (this.groups.settle({ token, eventId, type, placement })) return true;
    return this.inserts.submit({ _id: acceptedId(source, key), token, eventId, at: new Date(), type, topic: placement.topic, partition: placement.partition, offset: placement.offset });
  }

  /** Gives up our holder after a failed produce, so a retry can take it over (with the same event id). */
  async release(_source: string, _key: string, token: string): Promise<void> {
    if (this.groups.settle({ token, released: true })) return;
    await this.inserts.submit({ _id: `release:${token}`, token, eventId: '', at: new Date() });
  }

  async get(source: string, key: string): Promise<IdempotencyKeyView | undefined> {
    const doc = await this.collection.findOne({ _id: claimId(source, key) });
    const first = doc ? holderOf(doc) : undefined;
    if (!doc || !first) return undefined;
    const holder = await this.currentHolder(source, key);
    const outcome = holder ? await this.stateOf(source, key, holder) : ({ state: 'pending' } as const);
    const claimedAt = holder?.at ?? first.at;
    const eventId = holder?.eventId ?? first.eventId;
    if (outcome.state === 'accepted') return { source, key, eventId: outcome.eventId, state: 'accepted', claimedAt, acceptedAt: outcome.at, ...(outcome.placement ? { placement: outcome.placement } : {}) };
    return { source, key, eventId, state: outcome.state, claimedAt };
  }

  /**
   * Retention: every record (claims, takeovers, outcomes) carries `at`, when it was written; records older than
   * the dedupe window are deleted oldest first through the `at` index (see src/platform/pruner.ts). A key whose
   * claim is gone is new again.
   */
  retentionRule(keepMs: number): RetentionRule {
    return { name: 'ingest_keys', collection: this.conn.collection('ingest_keys'), field: 'at', keepMs };
  }

  /** The index the retention reads (one entry per record; the ingest role creates it at start, in the background). */
  async ensureRetentionIndex(): Promise<void> {
    await this.collection.createIndex({ at: 1 });
  }

  async drain(): Promise<void> {
    await this.groups.drain();
    await this.inserts.drain();
  }

  /**
   * Inserts a holder as a member of the current outcome group (or, `alone`, of none: its outcome is then written as
   * its own accepted/release marker, because a group's record waits for every member and such a holder may be
   * waiting for another member of its group); false when its `_id` was taken.
   */
  private async insertHolder(id: string, holder: Holder & { type: string }, options: ClaimOptions = {}): Promise<boolean> {
    if (options.alone) return this.inserts.submit(packHolder(id, { ...holder, group: '' }));
    const group = this.groups.join(holder.token);
    let inserted = false;
    try {
      inserted = await this.inserts.submit(packHolder(id, { ...holder, group }));
      return inserted;
    } finally {
      if (!inserted) this.groups.forget(holder.token);
    }
  }

  /** How a holder ended, from its group's outcome record, else from the one-record-each markers. */
  private async stateOf(source: string, key: string, holder: Holder): Promise<HolderState> {
    if (holder.group) {
      const record = (await this.collection.findOne({ _id: outcomeId(holder.group) })) as OutcomeRecord | null;
      const members = record ? unpackOutcome(record) : undefined;
      const accepted = members?.accepted.find((a) => a.token === holder.token);
      if (accepted) return { state: 'accepted', eventId: accepted.eventId, ...(accepted.type ? { type: accepted.type } : {}), ...placementOf(accepted), at: record?.at ?? holder.at };
      if (members?.released.includes(holder.token)) return { state: 'released' };
    }
    const [accepted, released] = (await Promise.all([this.collection.findOne({ _id: acceptedId(source, key) }), this.collection.findOne({ _id: `release:${holder.token}` })])) as [LegacyDoc | null, KeyDoc | null];
    if (accepted) return { state: 'accepted', eventId: accepted.eventId, ...(accepted.type ? { type: accepted.type } : {}), ...placementOf(accepted), at: accepted.at };
    return released ? { state: 'released' } : { state: 'pending' };
  }

  /** The latest holder: the first claim, then each takeover in turn. */
  private async currentHolder(source: string, key: string): Promise<Holder | undefined> {
    const first = await this.collection.findOne({ _id: claimId(source, key) });
    let holder: Holder | undefined = first ? holderOf(first) : undefined;
    if (!holder) return undefined;
    for (let hops = 0; hops < 1000; hops++) {
      const doc: KeyDoc | null = await this.collection.findOne({ _id: `takeover:${holder.token}` });
      const next: Holder | undefined = doc ? holderOf(doc) : undefined;
      if (!next) return holder;
      holder = next;
    }
    return holder;
  }

  /**
   * One `insert` command for a batch (unordered): true for each document inserted, false for each whose `_id`
   * already existed. The bare command skips the driver's bulk-write machinery, which costs more than the write.
   */
  private async insertMany(docs: (KeyDoc | OutcomeRecord)[]): Promise<Outcome<boolean>[]> {
    const db = this.conn.db;
    if (!db) throw new Error('MongoDB is not connected');
    const reply = (await db.command({ insert: this.collection.collectionName, documents: docs, ordered: false })) as InsertReply;
    const outcomes: Outcome<boolean>[] = docs.map(() => ({ ok: true, value: true }));
    for (const w of reply.writeErrors ?? []) {
      outcomes[w.index] = isDuplicateKey(w) ? { ok: true, value: false } : { ok: false, error: new Error(`insert into ingest_keys failed: ${w.errmsg ?? `code ${w.code ?? '?'}`}`) };
    }
    return outcomes;
  }
}

function placementOf(d: { topic?: string; partition?: number; offset?: string }): { placement?: Placement } {
  return d.topic !== undefined && d.partition !== undefined && d.offset !== undefined ? { placement: { topic: d.topic, partition: d.partition, offset: d.offset } } : {};
}
