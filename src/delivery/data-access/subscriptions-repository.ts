import type { Collection } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import { ConfigVersions } from '../../platform/config-versions';
import { retryWrite } from '../../platform/mongo-retry';
import { secretBoxOf, type Sealer } from '../../platform/secrets/secret-box';
import type { StoredSecret } from '../domain/secrets';

/** A subscription as the delivery component uses it (plain object; secrets included). */
export interface Subscription {
  id: string;
  url: string;
  eventTypes: string[];
  filter?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  secrets: StoredSecret[];
  rateLimitPerSecond?: number;
  ordered: boolean;
  enabled: boolean;
  description?: string;
  retrySchedule?: string[];
  timeoutMs?: number;
  httpsOnly?: boolean;
  /** First failed attempt of the current unbroken run of failures (cleared by a success). */
  failingSince?: Date;
  disabledReason?: string;
  disabledAt?: Date;
  /** `config` when it comes from hookhub.yaml, `api` when created through the operations. */
  origin: 'config' | 'api';
  createdAt: Date;
  updatedAt: Date;
}

// Header names and filter pointers may contain `.`; MongoDB-wire servers reject such keys, so both are
// stored as arrays of pairs (and filter values as JSON, to keep their types).
interface SubscriptionDoc {
  _id: string;
  url: string;
  eventTypes: string[];
  filter: { pointer: string; value: string }[];
  headers: { name: string; value: string }[];
  secrets: { secret: string; expiresAt?: Date | null }[];
  rateLimitPerSecond?: number | null;
  ordered: boolean;
  enabled: boolean;
  description?: string | null;
  retrySchedule?: string[] | null;
  timeoutMs?: number | null;
  httpsOnly?: boolean | null;
  failingSince?: Date | null;
  disabledReason?: string | null;
  disabledAt?: Date | null;
  origin: 'config' | 'api';
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<SubscriptionDoc>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    eventTypes: { type: [String], required: true },
    filter: { type: [{ _id: false, pointer: String, value: String }], default: [] },
    headers: { type: [{ _id: false, name: String, value: String }], default: [] },
    secrets: { type: [{ _id: false, secret: String, expiresAt: Date }], default: [] },
    rateLimitPerSecond: Number,
    ordered: { type: Boolean, default: false },
    enabled: { type: Boolean, default: true },
    description: String,
    retrySchedule: { type: [String], default: undefined },
    timeoutMs: Number,
    httpsOnly: Boolean,
    failingSince: Date,
    disabledReason: String,
    disabledAt: Date,
    origin: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'subscriptions', versionKey: false },
);

export type SubscriptionFields = Omit<Subscription, 'id' | 'createdAt' | 'updatedAt' | 'origin' | 'failingSince' | 'disabledAt'>;

/** Secrets, live and rotated out, are stored sealed (SecretBox); everything else as it is. */
const sealSecrets = (secrets: StoredSecret[], box: Sealer): SubscriptionDoc['secrets'] =>
  secrets.map((s) => ({ secret: box.seal(s.secret), ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}) }));

function toDoc(fields: Partial<SubscriptionFields>, box: Sealer): Partial<SubscriptionDoc> {
  const { filter, headers, secrets, ...rest } = fields;
  const out: Partial<SubscriptionDoc> = { ...(rest as Partial<SubscriptionDoc>) };
  if (secrets) out.secrets = sealSecrets(secrets, box);
  if ('filter' in fields) out.filter = Object.entries(filter ?? {}).map(([pointer, v]) => ({ pointer, value: JSON.stringify(v) }));
  if ('headers' in fields) out.headers = Object.entries(headers ?? {}).map(([name, value]) => ({ name, value }));
  return out;
}

function fromDoc(d: SubscriptionDoc, box: Sealer): Subscription {
  const out: Subscription = {
    id: d._id,
    url: d.url,
    eventTypes: [...d.eventTypes],
    secrets: (d.secrets ?? []).map((s) => ({ secret: box.open(s.secret), ...(s.expiresAt ? { expiresAt: new Date(s.expiresAt) } : {}) })),
    ordered: Boolean(d.ordered),
    enabled: d.enabled !== false,
    origin: d.origin,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
  if (d.filter?.length) out.filter = Object.fromEntries(d.filter.map((f) => [f.pointer, JSON.parse(f.value) as string | number | boolean]));
  if (d.headers?.length) out.headers = Object.fromEntries(d.headers.map((h) => [h.name, h.value]));
  if (d.rateLimitPerSecond != null) out.rateLimitPerSecond = d.rateLimitPerSecond;
  if (d.description != null) out.description = d.description;
  if (d.retrySchedule?.length) out.retrySchedule = [...d.retrySchedule];
  if (d.timeoutMs != null) out.timeoutMs = d.timeoutMs;
  if (d.httpsOnly != null) out.httpsOnly = d.httpsOnly;
  if (d.failingSince) out.failingSince = d.failingSince;
  if (d.disabledReason) out.disabledReason = d.disabledReason;
  if (d.disabledAt) out.disabledAt = d.disabledAt;
  return out;
}

/**
 * The `subscriptions` collection. Every change operators make (not the failure-run bookkeeping) bumps the
 * subscriptions version before it resolves, so delivery processes match later events against it.
 */
export class SubscriptionsRepository {
  readonly model: Model<SubscriptionDoc>;
  private readonly versions: ConfigVersions;
  private readonly box: Sealer;

  constructor(conn: Connection) {
    this.model = (conn.models.Subscription as Model<SubscriptionDoc> | undefined) ?? conn.model<SubscriptionDoc>('Subscription', schema);
    this.versions = new ConfigVersions(conn);
    this.box = secretBoxOf(conn);
  }

  /** Changes whenever a subscription changed (see ConfigVersions). */
  version(): Promise<string> {
    return this.versions.read(['subscriptions']);
  }

  /** Seals every secret that is plain or sealed with an older key; returns how many subscriptions changed. */
  async resealSecrets(): Promise<number> {
    let changed = 0;
    for (const d of await this.model.find({}, { secrets: 1 }).lean<SubscriptionDoc[]>()) {
      const secrets = d.secrets ?? [];
      if (secrets.every((x) => this.box.isCurrent(x.secret))) continue;
      const resealed = secrets.map((x) => ({ secret: this.box.reseal(x.secret), ...(x.expiresAt ? { expiresAt: x.expiresAt } : {}) }));
      await retryWrite(() => this.col.updateOne({ _id: d._id }, { $set: { secrets: resealed } }));
      changed += 1;
    }
    if (changed) await this.changed();
    return changed;
  }

  private changed(): Promise<void> {
    return this.versions.bump('subscriptions');
  }

  /** The driver collection: writes go straight to it (no mongoose casting on the hot path). */
  private get col(): Collection<SubscriptionDoc> {
    return this.model.collection as unknown as Collection<SubscriptionDoc>;
  }

  async list(): Promise<Subscription[]> {
    const docs = await this.model.find({}).sort({ _id: 1 }).lean<SubscriptionDoc[]>();
    return docs.map((d) => fromDoc(d, this.box));
  }

  async get(id: string): Promise<Subscription | undefined> {
    const d = await this.model.findById(id).lean<SubscriptionDoc>();
    return d ? fromDoc(d, this.box) : undefined;
  }

  /** Inserts; resolves false when the id is taken. */
  async insert(id: string, fields: SubscriptionFields, origin: 'config' | 'api'): Promise<boolean> {
    const now = new Date();
    try {
      await retryWrite(() => this.col.insertOne({ ...toDoc(fields, this.box), _id: id, origin, createdAt: now, updatedAt: now } as SubscriptionDoc));
      await this.changed();
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  /** Config-file subscriptions: replace the declared fields, keep generated secrets and runtime state. */
  async upsertFromConfig(id: string, fields: SubscriptionFields, generatedSecret: string): Promise<void> {
    const existing = await this.get(id);
    if (!existing) {
      await this.insert(id, { ...fields, secrets: fields.secrets.length ? fields.secrets : [{ secret: generatedSecret }] }, 'config');
      return;
    }
    const { secrets, ...rest } = fields;
    const set: Partial<SubscriptionDoc> = { ...toDoc(rest, this.box), updatedAt: new Date() };
    if (secrets.length && secrets[0]?.secret !== existing.secrets[0]?.secret) set.secrets = sealSecrets(secrets, this.box);
    const unset: Record<string, true> = {};
    for (const k of ['rateLimitPerSecond', 'description', 'retrySchedule', 'timeoutMs', 'httpsOnly'] as const) if (!(k in fields)) unset[k] = true;
    await retryWrite(() => this.col.updateOne({ _id: id }, { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) }));
    await this.changed();
  }

  /** With `ifUpdatedAt`, applies only while the record still has that `updatedAt` (else returns undefined). */
  async update(id: string, fields: Partial<SubscriptionFields>, unsetKeys: string[] = [], ifUpdatedAt?: Date): Promise<Subscription | undefined> {
    const unset: Record<string, true> = Object.fromEntries(unsetKeys.map((k) => [k, true as const]));
    const r = await retryWrite(() =>
      this.col.updateOne({ _id: id, ...(ifUpdatedAt ? { updatedAt: ifUpdatedAt } : {}) }, { $set: { ...toDoc(fields, this.box), updatedAt: new Date() }, ...(unsetKeys.length ? { $unset: unset } : {}) }),
    );
    if (ifUpdatedAt && r.matchedCount === 0) return undefined;
    await this.changed();
    return this.get(id);
  }

  async setEnabled(id: string, enabled: boolean, reason?: string): Promise<Subscription | undefined> {
    const now = new Date();
    await retryWrite(() =>
      enabled
        ? this.col.updateOne({ _id: id }, { $set: { enabled: true, updatedAt: now }, $unset: { disabledReason: true, disabledAt: true, failingSince: true } })
        : this.col.updateOne({ _id: id }, { $set: { enabled: false, disabledReason: reason ?? 'disabled by an operator', disabledAt: now, updatedAt: now } }),
    );
    await this.changed();
    return this.get(id);
  }

  /** Disables only when still enabled; true when this call did it (so one process publishes the event). */
  async disableIfEnabled(id: string, reason: string): Promise<boolean> {
    const now = new Date();
    const r = await retryWrite(() =>
      this.col.updateOne({ _id: id, enabled: true }, { $set: { enabled: false, disabledReason: reason, disabledAt: now, updatedAt: now } }),
    );
    if (r.modifiedCount !== 1) return false;
    await this.changed();
    return true;
  }

  async setFailingSince(id: string, since: Date | null): Promise<void> {
    await retryWrite(() =>
      this.col.updateOne({ _id: id }, since ? { $set: { failingSince: since } } : { $unset: { failingSince: true as const } }),
    );
  }

  async delete(id: string, ifUpdatedAt?: Date): Promise<boolean> {
    const r = await retryWrite(() => this.col.deleteOne({ _id: id, ...(ifUpdatedAt ? { updatedAt: ifUpdatedAt } : {}) }));
    if (r.deletedCount !== 1) return false;
    await this.changed();
    return true;
  }
}
