import { Schema, type Connection, type Model } from 'mongoose';
import type { SourceConfig } from '../../config/types';
import { ConfigVersions } from '../../platform/config-versions';
import { FreshSnapshot } from '../../platform/fresh-snapshot';
import { secretBoxOf, type Sealer } from '../../platform/secrets/secret-box';
import { isDuplicateKey, modelOf } from './models';

/** Where a stored source came from: the config file (upserted at boot) or the API. */
export type SourceOrigin = 'config' | 'api';

export interface StoredSource extends SourceConfig {
  origin: SourceOrigin;
  createdAt: Date;
  updatedAt: Date;
  /** Incremented on every write (sources stored before versions existed read as 1). */
  version: number;
}

interface SourceDoc extends SourceConfig {
  origin: SourceOrigin;
  createdAt: Date;
  updatedAt: Date;
  version?: number;
}

/** A page of sources in id order (the API's listing). */
export interface SourcePageQuery {
  /** Sources with an id greater than this one (the last id of the previous page). */
  afterId?: string;
  limit: number;
  enabled?: boolean;
  origin?: SourceOrigin;
}

const sourceSchema = new Schema<SourceDoc>(
  {
    id: { type: String, required: true, unique: true },
    description: String,
    enabled: Boolean,
    verification: { type: Schema.Types.Mixed, required: true },
    eventType: Schema.Types.Mixed,
    idempotencyKey: Schema.Types.Mixed,
    partitionKey: Schema.Types.Mixed,
    topic: String,
    schemas: Schema.Types.Mixed,
    unknownTypes: String,
    bodyLimitBytes: Number,
    rateLimit: Schema.Types.Mixed,
    agents: { type: [String], default: undefined },
    origin: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: Number,
  },
  { versionKey: false, minimize: true, strict: true },
);

const FIELDS: (keyof SourceConfig)[] = ['id', 'description', 'enabled', 'verification', 'eventType', 'idempotencyKey', 'partitionKey', 'topic', 'schemas', 'unknownTypes', 'bodyLimitBytes', 'rateLimit', 'agents'];

/** The verification block with its secrets passed through `f` (seal on write, open on read). */
function mapSecrets(verification: SourceConfig['verification'], f: (s: string) => string): SourceConfig['verification'] {
  return verification.secrets ? { ...verification, secrets: verification.secrets.map(f) } : verification;
}

function toStored(doc: Record<string, unknown>, box: Sealer): StoredSource {
  const out: Record<string, unknown> = {};
  for (const k of [...FIELDS, 'origin', 'createdAt', 'updatedAt']) if (doc[k] !== undefined && doc[k] !== null) out[k] = doc[k];
  if (out.verification) out.verification = mapSecrets(out.verification as SourceConfig['verification'], (v) => box.open(v));
  out.version = typeof doc.version === 'number' ? doc.version : 1;
  return out as unknown as StoredSource;
}

export interface SourcesRepositoryOptions {
  /**
   * The longest `fresh` serves its snapshot without re-reading every source (0: always). Changes made through
   * this repository apply at once anyway, through the sources version; this bounds only changes written to
   * MongoDB by other means.
   */
  cacheMs: number;
}

/**
 * The `sources` collection. Verification secrets are stored sealed (SecretBox) and read back plain (the API
 * masks them when it shows sources).
 * Every write bumps the sources version before it resolves, and `fresh(id)` serves ingest's hot path from an
 * in-process snapshot of all sources after checking that version, so a source created, changed or disabled
 * through any process applies to every webhook received after that write was answered (ConfigVersions).
 */
export class SourcesRepository {
  private readonly model: Model<SourceDoc>;
  private readonly versions: ConfigVersions;
  private readonly snapshot: FreshSnapshot<Map<string, StoredSource>>;
  private loadedAt = 0;
  private readonly box: Sealer;

  constructor(conn: Connection, private readonly options: SourcesRepositoryOptions = { cacheMs: 2000 }) {
    this.model = modelOf(conn, 'Source', sourceSchema, 'sources');
    this.box = secretBoxOf(conn);
    this.versions = new ConfigVersions(conn);
    this.snapshot = new FreshSnapshot({
      version: () => this.versions.read(['sources']),
      load: async () => {
        this.loadedAt = performance.now();
        return new Map((await this.list()).map((s) => [s.id, s]));
      },
    });
  }

  private changed(): Promise<void> {
    return this.versions.bump('sources');
  }

  /** The value of field `k` as stored: verification secrets sealed. */
  private stored<K extends keyof SourceConfig>(source: SourceConfig, k: K): unknown {
    return k === 'verification' ? mapSecrets(source.verification, (v) => this.box.seal(v)) : source[k];
  }

  /** Seals every verification secret that is plain or sealed with an older key; returns how many sources changed. */
  async resealSecrets(): Promise<number> {
    let changed = 0;
    for (const doc of await this.model.find({}, { id: 1, verification: 1 }).lean()) {
      const secrets = doc.verification?.secrets ?? [];
      if (secrets.every((v) => this.box.isCurrent(v))) continue;
      await this.model.updateOne({ id: doc.id }, { $set: { 'verification.secrets': secrets.map((v) => this.box.reseal(v)) } });
      changed += 1;
    }
    if (changed) await this.changed();
    return changed;
  }

  /** Creates the unique index on `id` (call before serving). */
  async init(): Promise<void> {
    await this.model.init();
  }

  async list(): Promise<StoredSource[]> {
    const docs = await this.model.find({}).sort({ id: 1 }).lean();
    return docs.map((d) => toStored(d as unknown as Record<string, unknown>, this.box));
  }

  async get(id: string): Promise<StoredSource | undefined> {
    const doc = await this.model.findOne({ id }).lean();
    return doc ? toStored(doc as unknown as Record<string, unknown>, this.box) : undefined;
  }

  /** Inserts or replaces the source with this id; returns the stored source. */
  async upsert(source: SourceConfig, origin: SourceOrigin): Promise<StoredSource> {
    const now = new Date();
    const fields: Record<string, unknown> = { origin, updatedAt: now };
    const unset: Record<string, 1> = {};
    for (const k of FIELDS) {
      if (source[k] === undefined) unset[k] = 1;
      else fields[k] = this.stored(source, k);
    }
    const write = () =>
      this.model
        .findOneAndUpdate(
          { id: source.id },
          { $set: fields, $setOnInsert: { createdAt: now }, $inc: { version: 1 }, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
          { upsert: true, new: true },
        )
        .lean();
    let doc;
    try {
      doc = await write();
    } catch (err) {
      // Two processes booting together both tried to insert it; the loser's retry updates the winner's document.
      if (!isDuplicateKey(err)) throw err;
      doc = await write();
    }
    await this.changed();
    return toStored(doc as unknown as Record<string, unknown>, this.box);
  }

  /** Sources in id order after `afterId`, one more than `limit` (the extra one says there is a next page). */
  async page(q: SourcePageQuery): Promise<StoredSource[]> {
    const where: Record<string, unknown>[] = [];
    if (q.afterId !== undefined) where.push({ id: { $gt: String(q.afterId) } });
    // a source without `enabled` is enabled
    if (q.enabled === true) where.push({ enabled: { $ne: false } });
    if (q.enabled === false) where.push({ enabled: false });
    if (q.origin !== undefined) where.push({ origin: String(q.origin) });
    const docs = await this.model
      .find(where.length ? { $and: where } : {})
      .sort({ id: 1 })
      .limit(q.limit + 1)
      .lean();
    return docs.map((d) => toStored(d as unknown as Record<string, unknown>, this.box));
  }

  /** Inserts a new source; 'exists' when the id is taken. */
  async insert(source: SourceConfig, origin: SourceOrigin): Promise<StoredSource | 'exists'> {
    const now = new Date();
    const fields: Record<string, unknown> = { origin, createdAt: now, updatedAt: now, version: 1 };
    for (const k of FIELDS) if (source[k] !== undefined) fields[k] = this.stored(source, k);
    try {
      const doc = await this.model.create(fields);
      await this.changed();
      return toStored(doc.toObject() as unknown as Record<string, unknown>, this.box);
    } catch (err) {
      if (isDuplicateKey(err)) return 'exists';
      throw err;
    }
  }

  /**
   * Replaces the source's fields when its version is still `expectedVersion` (or unconditionally when it is
   * undefined); bumps the version. The origin becomes `api`.
   */
  async replace(source: SourceConfig, expectedVersion?: number): Promise<StoredSource | 'not_found' | 'version_mismatch'> {
    const current = await this.get(source.id);
    if (!current) return 'not_found';
    if (expectedVersion !== undefined && current.version !== expectedVersion) return 'version_mismatch';
    const raw = await this.model.findOne({ id: source.id }, { version: 1 }).lean();
    const guard = typeof (raw as { version?: unknown } | null)?.version === 'number' ? { version: current.version } : { version: { $exists: false } };
    const fields: Record<string, unknown> = { origin: 'api', updatedAt: new Date(), version: current.version + 1 };
    const unset: Record<string, 1> = {};
    for (const k of FIELDS) {
      if (source[k] === undefined) unset[k] = 1;
      else fields[k] = this.stored(source, k);
    }
    const doc = await this.model.findOneAndUpdate({ id: source.id, ...guard }, { $set: fields, ...(Object.keys(unset).length ? { $unset: unset } : {}) }, { new: true }).lean();
    if (!doc) return (await this.get(source.id)) ? 'version_mismatch' : 'not_found';
    await this.changed();
    return toStored(doc as unknown as Record<string, unknown>, this.box);
  }

  /** Deletes the source; true when it existed. */
  async delete(id: string): Promise<boolean> {
    const res = await this.model.deleteOne({ id });
    if (res.deletedCount === 0) return false;
    await this.changed();
    return true;
  }

  /** The source as of every change answered before this call (from the snapshot unless the version moved). */
  async fresh(id: string): Promise<StoredSource | undefined> {
    if (performance.now() - this.loadedAt >= this.options.cacheMs) this.snapshot.invalidate();
    return (await this.snapshot.fresh()).get(id);
  }
}
