import { randomBytes } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import { isDuplicateKeyError, retryWrite } from './mongo-retry';

/** The objects of the config file (and the API) that events are matched against. */
export type ConfigKind = 'sources' | 'agents' | 'routes' | 'subscriptions';

interface VersionDoc {
  _id: ConfigKind;
  token: string;
  at: Date;
}

/**
 * Read-your-writes for sources, agents, routes and subscriptions, in every process (docs/guides/consistency.md).
 *
 * Every write of one of those objects, once stored, replaces the kind's token in `config_versions` (one small
 * document per kind) before the write is answered. Whoever matches events against an in-process copy (ingest,
 * the agents stage, delivery) reads the token when it is about to match — after the event or result reached
 * it, so after any write that was answered before the event was produced — and re-reads the collection only
 * when the token moved (`FreshSnapshot`). The hot path pays one indexed point read per batch (per round trip,
 * when batches or requests overlap); the full read happens only after a change.
 *
 * Chosen over the alternatives because it needs nothing FerretDB lacks and no second system on the write path:
 * change streams need a MongoDB replica set; a compacted Kafka topic of changes would make every API write
 * depend on Kafka and the consumer would still need a round trip (end offsets) per batch to know it has read
 * every change made before the batch; a timed re-read can only promise "within N ms".
 * The token is a fresh random value, not a counter: a blind `$set` needs no atomic read-modify-write (which
 * not every MongoDB-wire store gives), and two writers racing can never leave a token a reader already saw.
 * Writers bump after their write (never before), so a reader that sees the new token also sees the write.
 * Reads go to the primary (the driver's default); reading versions from a secondary would break this.
 */
export class ConfigVersions {
  constructor(private readonly conn: Connection) {}

  private get col(): Collection<VersionDoc> {
    return this.conn.collection<VersionDoc>('config_versions');
  }

  /** Announces a change of `kind`; call after the write is stored and before answering it. */
  async bump(kind: ConfigKind): Promise<void> {
    const write = () => retryWrite(() => this.col.updateOne({ _id: kind }, { $set: { token: randomBytes(9).toString('base64url'), at: new Date() } }, { upsert: true }));
    try {
      await write();
    } catch (err) {
      // Two first bumps raced to insert the document; it exists now, so the update applies.
      if (!isDuplicateKeyError(err)) throw err;
      await write();
    }
  }

  /** One token for these kinds together: it changes whenever any of them changed. */
  async read(kinds: readonly ConfigKind[]): Promise<string> {
    const docs = await this.col.find({ _id: { $in: [...kinds] } }, { projection: { token: 1 } }).toArray();
    return docs
      .map((d) => `${d._id}:${d.token}`)
      .sort()
      .join(',');
  }
}
