import { Schema, type Connection, type Model } from 'mongoose';
import { cursorFilter, PAGE_SORT, pageLimit, toPage, type Page } from '../../platform/pagination';
import { filter } from '../../platform/query-filter';
import type { ApiKeyRecord, KeyListFilter, KeyStore } from '../domain/keys';

interface KeyDoc {
  _id: string;
  name: string;
  role: ApiKeyRecord['role'];
  prefix: string;
  hash: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  version: number;
}

const keySchema = new Schema<KeyDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    prefix: { type: String, required: true },
    hash: { type: String, required: true, unique: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    version: { type: Number, required: true },
  },
  { collection: 'apikeys', versionKey: false },
);
keySchema.index({ createdAt: -1, _id: -1 });

const MODEL = 'ApiKey';

function model(conn: Connection): Model<KeyDoc> {
  return (conn.models[MODEL] as Model<KeyDoc> | undefined) ?? conn.model<KeyDoc>(MODEL, keySchema);
}

const toRecord = (d: KeyDoc): ApiKeyRecord => ({
  id: d._id,
  name: d.name,
  role: d.role,
  prefix: d.prefix,
  hash: d.hash,
  createdAt: d.createdAt,
  createdBy: d.createdBy,
  lastUsedAt: d.lastUsedAt ?? null,
  revokedAt: d.revokedAt ?? null,
  version: d.version,
});

/** The `apikeys` collection. Holds hashes only; the secret itself is never stored. */
export class MongoKeyStore implements KeyStore {
  private readonly Keys: Model<KeyDoc>;

  constructor(conn: Connection) {
    this.Keys = model(conn);
  }

  async init(): Promise<void> {
    await this.Keys.init();
  }

  async insert(r: ApiKeyRecord): Promise<void> {
    const { id, ...rest } = r;
    await this.Keys.create({ _id: id, ...rest });
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const d = await this.Keys.findOne(filter().eq('hash', hash).build()).lean<KeyDoc>();
    return d ? toRecord(d) : null;
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const d = await this.Keys.findOne(filter().eq('_id', id).build()).lean<KeyDoc>();
    return d ? toRecord(d) : null;
  }

  async list(q: KeyListFilter): Promise<Page<ApiKeyRecord>> {
    const limit = pageLimit(q.limit);
    const where = filter().eq('role', q.role).present('revokedAt', q.revoked).and(cursorFilter(q.cursor)).build();
    const rows = await this.Keys.find(where).sort(PAGE_SORT).limit(limit + 1).lean<KeyDoc[]>();
    return toPage(rows, limit, (d) => ({ createdAt: d.createdAt, id: d._id }), toRecord);
  }

  async update(id: string, changes: Partial<Pick<ApiKeyRecord, 'name' | 'revokedAt'>>, expectedVersion?: number): Promise<ApiKeyRecord | 'not_found' | 'version_mismatch'> {
    const where = filter().eq('_id', id).eq('version', expectedVersion).build();
    const d = await this.Keys.findOneAndUpdate(where, { $set: changes, $inc: { version: 1 } }, { new: true }).lean<KeyDoc>();
    if (d) return toRecord(d);
    return (await this.get(id)) ? 'version_mismatch' : 'not_found';
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.Keys.updateOne(filter().eq('_id', id).build(), { $set: { lastUsedAt: at } });
  }
}
