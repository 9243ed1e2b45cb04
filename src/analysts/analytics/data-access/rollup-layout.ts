import { SIZE_MS, floorTo } from '../domain/buckets';
import { decodeKey, encodeKey } from '../domain/keys';
import type { Metric, RollupIncrement } from '../domain/rollup';

/**
 * Where rollups live, and how a document's slots are stored.
 *
 * FerretDB v1 on SQLite answers every read by walking the whole collection: no secondary index is used, and even
 * `_id` equality is a scan (SQLite parses every stored JSON row; `$in` and ranges on `_id` are decoded row by row
 * in Go). Its cost grows with the bytes in the collection and with the number of fields it decodes. So rollups
 * are partitioned by time into small collections, one per (metric, tier, UTC day), read whole by the queries that
 * need them, and their closed slots are sealed into one compact string field per document (one field to decode
 * instead of hundreds). The same layout is merely tidy on MongoDB 7, where a day's partitions can also be dropped
 * whole for retention.
 *
 * - tier `d`: one document per (dimension values, UTC month), a slot per day of the month (`s00`…`s30`),
 *   partitions per month;
 * - tier `h`: one document per (dimension values, UTC day), a slot per hour (`s00`…`s23`), partitions per day;
 * - tier `m`: one document per (dimension values, UTC hour), a slot per minute (`s00`…`s59`), partitions per day.
 *
 * A slot is the running sums of one metric over its hour or minute: `{ n, c: {…}, h: {b_…}, e: {…}, dsum, mx }`
 * for executions, `{ n, ok, fail, h, s, x, mx }` for deliveries, `{ n }` for ingest. Live writes `$inc` (and
 * `$max`) numeric slot fields; the sealer later folds closed slots into `z`, and readers add both together.
 */
export type Tier = 'd' | 'h' | 'm';

export const TIERS: readonly Tier[] = ['d', 'h', 'm'];

/** The dimension names of each metric, in the order their values make up a document's `_id`. */
export const DIMS: Record<Metric, readonly string[]> = {
  exec_agent: ['agent', 'team'],
  exec_team: ['team'],
  ingest_accepted: ['source', 'type'],
  ingest_rejected: ['source', 'type', 'code'],
  delivery: ['sub'],
};

export const METRICS = Object.keys(DIMS) as Metric[];

/** Slot width per tier. */
export const SLOT_MS: Record<Tier, number> = { d: SIZE_MS.day, h: SIZE_MS.hour, m: SIZE_MS.minute };

const DAY = SIZE_MS.day;

const monthStart = (ms: number): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/** Start of the span one partition of the tier covers: the UTC month (`d`) or day (`h`, `m`). */
export const partitionStart = (tier: Tier, ms: number): number => (tier === 'd' ? monthStart(ms) : floorTo(ms, DAY));

/** Start of the period one document of the tier covers: the UTC month, day or hour. */
export const periodStart = (tier: Tier, ms: number): number => (tier === 'd' ? monthStart(ms) : floorTo(ms, tier === 'h' ? DAY : SIZE_MS.hour));

/** The partition (collection) holding a metric's tier for the month or day holding `ms`. */
export function partitionName(metric: Metric, tier: Tier, ms: number): string {
  const iso = new Date(partitionStart(tier, ms)).toISOString();
  const code = tier === 'd' ? iso.slice(0, 7) : iso.slice(0, 10);
  return `analytics_${metric}_${tier}_${code.replace(/-/g, '')}`;
}

const PARTITION_NAME = /^analytics_(.+)_([dhm])_(\d{4})(\d{2})(\d{2})?$/;

/**
 * The span a partition collection covers, from its name (`analytics_delivery_h_20261126` → that UTC day), or
 * undefined for any other collection.
 */
export function partitionSpan(name: string): { metric: Metric; tier: Tier; startMs: number; endMs: number } | undefined {
  const m = PARTITION_NAME.exec(name);
  if (!m || !(METRICS as string[]).includes(m[1] ?? '')) return undefined;
  const tier = m[2] as Tier;
  const [year, month, day] = [Number(m[3]), Number(m[4]), m[5] === undefined ? undefined : Number(m[5])];
  if ((tier === 'd') !== (day === undefined)) return undefined;
  const startMs = Date.UTC(year, month - 1, day ?? 1);
  const endMs = tier === 'd' ? Date.UTC(year, month, 1) : startMs + DAY;
  return { metric: m[1] as Metric, tier, startMs, endMs };
}

/**
 * `_id` of a rollup document: its dimension values as a JSON array (any characters, no escaping needed), after
 * the UTC hour (`07|…`) in the minute tier, whose documents each hold one hour of a day's partition.
 */
export function docId(metric: Metric, tier: Tier, dims: Record<string, string>, ms: number): string {
  const json = JSON.stringify(DIMS[metric].map((d) => dims[d] ?? ''));
  return tier === 'm' ? `${String(new Date(ms).getUTCHours()).padStart(2, '0')}|${json}` : json;
}

/** Dimension values (and, in the minute tier, the UTC hour) of a document `_id`. */
export function parseDocId(metric: Metric, id: string): { dims: Record<string, string>; hour?: number } {
  const bar = id.startsWith('[') ? -1 : id.indexOf('|');
  const values = JSON.parse(id.slice(bar + 1)) as unknown;
  const dims: Record<string, string> = {};
  DIMS[metric].forEach((d, i) => {
    const v = Array.isArray(values) ? values[i] : undefined;
    dims[d] = typeof v === 'string' ? v : '';
  });
  return bar > 0 ? { dims, hour: Number(id.slice(0, bar)) } : { dims };
}

/** Start of the period a document covers, from its partition's start and `_id`. */
export const docStart = (metric: Metric, tier: Tier, partitionMs: number, id: string): number =>
  tier === 'm' ? partitionMs + (parseDocId(metric, id).hour ?? 0) * SIZE_MS.hour : partitionMs;

export const slotKey = (index: number): string => `s${String(index).padStart(2, '0')}`;

const SLOT_FIELD = /^s(\d{2})$/;

/** Slot index of a field name (`s07` → 7), or undefined for other fields. */
export function slotIndexOf(field: string): number | undefined {
  const m = SLOT_FIELD.exec(field);
  return m ? Number(m[1]) : undefined;
}

/** Index of the slot holding time `ms` within its document's period. */
export const slotIndex = (tier: Tier, ms: number): number => Math.floor((ms - periodStart(tier, ms)) / SLOT_MS[tier]);

export interface SlotUpdate {
  collection: string;
  tier: Tier;
  id: string;
  inc: Record<string, number>;
  max: Record<string, number>;
}

/**
 * Expands increments to both tiers and merges those that hit one document: one `$inc`/`$max` upsert per
 * document per batch (field paths like `s07.c.succeeded`, `s42.h.b_100`).
 */
export function toSlotUpdates(increments: RollupIncrement[]): SlotUpdate[] {
  const byKey = new Map<string, SlotUpdate>();
  for (const incr of increments) {
    const t = incr.at.getTime();
    if (!Number.isFinite(t)) continue;
    for (const tier of TIERS) {
      const id = docId(incr.metric, tier, incr.dims, t);
      const collection = partitionName(incr.metric, tier, t);
      const key = `${collection}\u0000${id}`;
      let u = byKey.get(key);
      if (!u) {
        u = { collection, tier, id, inc: {}, max: {} };
        byKey.set(key, u);
      }
      const slot = slotKey(slotIndex(tier, t));
      for (const [k, n] of Object.entries(incr.inc)) u.inc[`${slot}.${k}`] = (u.inc[`${slot}.${k}`] ?? 0) + n;
      for (const [k, v] of Object.entries(incr.max ?? {})) u.max[`${slot}.${k}`] = Math.max(u.max[`${slot}.${k}`] ?? -Infinity, v);
    }
  }
  return [...byKey.values()];
}

/** A slot's sums: numbers and nested objects of numbers. */
export type Slot = { [field: string]: number | Slot };

const isSlot = (v: unknown): v is Slot => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Adds `source` into `target`: sums everywhere, except `mx` (largest value seen) which keeps the maximum. */
export function mergeSlot(target: Slot, source: Slot): Slot {
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === 'number') {
      const cur = target[k];
      const base = typeof cur === 'number' ? cur : undefined;
      target[k] = k === 'mx' ? Math.max(base ?? -Infinity, v) : (base ?? 0) + v;
    } else if (isSlot(v)) {
      const cur = target[k];
      const sub: Slot = isSlot(cur) ? cur : {};
      target[k] = mergeSlot(sub, v);
    }
  }
  return target;
}

/**
 * Sealed slots as one string: `<index>:<path>=<value>,…;<index>:…`. Paths are fixed names, `b_<bound>` bucket keys
 * and escaped codes (`[A-Za-z0-9_~-]`, see keys.ts), so `;`, `:`, `,` and `=` never occur inside them.
 */
export function encodeSlots(slots: Map<number, Slot>): string {
  const parts: string[] = [];
  for (const [index, slot] of [...slots.entries()].sort((a, b) => a[0] - b[0])) {
    const fields: string[] = [];
    const walk = (s: Slot, prefix: string): void => {
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'number') fields.push(`${prefix}${k}=${v}`);
        else walk(v, `${prefix}${k}.`);
      }
    };
    walk(slot, '');
    parts.push(`${index}:${fields.join(',')}`);
  }
  return parts.join(';');
}

function setPath(slot: Slot, path: string, value: number): void {
  const dot = path.indexOf('.');
  if (dot < 0) {
    mergeSlot(slot, { [path]: value });
    return;
  }
  const head = path.slice(0, dot);
  const cur = slot[head];
  const sub: Slot = isSlot(cur) ? cur : {};
  slot[head] = sub;
  setPath(sub, path.slice(dot + 1), value);
}

/** One encoded slot (`path=value,…` between `from` and `to`); paths are unique within it. */
function parseSlot(z: string, from: number, to: number): Slot {
  const slot: Slot = {};
  let f = from;
  while (f < to) {
    let end = z.indexOf(',', f);
    if (end < 0 || end > to) end = to;
    const eq = z.indexOf('=', f);
    if (eq > f && eq < end) {
      const value = Number(z.slice(eq + 1, end));
      const dot = z.indexOf('.', f);
      if (dot < 0 || dot > eq) slot[z.slice(f, eq)] = value;
      else if (z.indexOf('.', dot + 1) > -1 && z.indexOf('.', dot + 1) < eq) setPath(slot, z.slice(f, eq), value);
      else {
        const head = z.slice(f, dot);
        let sub = slot[head];
        if (!isSlot(sub)) {
          sub = {};
          slot[head] = sub;
        }
        sub[z.slice(dot + 1, eq)] = value;
      }
    }
    f = end + 1;
  }
  return slot;
}

/** Decodes the slots of a sealed string; `wanted` (when given) skips the others without parsing them. */
export function decodeSlots(z: string, wanted?: (index: number) => boolean): Map<number, Slot> {
  const out = new Map<number, Slot>();
  let pos = 0;
  while (pos < z.length) {
    let end = z.indexOf(';', pos);
    if (end < 0) end = z.length;
    const colon = z.indexOf(':', pos);
    const index = Number(z.slice(pos, colon));
    if (!wanted || wanted(index)) {
      const slot = parseSlot(z, colon + 1, end);
      const prev = out.get(index);
      out.set(index, prev ? mergeSlot(prev, slot) : slot);
    }
    pos = end + 1;
  }
  return out;
}

/**
 * Each partition's directory: one document (`_id` DIRECTORY_ID) whose field names under `i` are the escaped `_id`s
 * of the partition's rollup documents, so a read narrowed to one agent (say) point-reads the directory and then
 * only that agent's documents instead of reading the whole partition.
 */
export const DIRECTORY_ID = '~ids';

export const directoryField = (id: string): string => `i.${encodeKey(id)}`;

export function directoryIds(doc: SlotDoc | null | undefined): string[] {
  const i = doc?.i;
  return i && typeof i === 'object' ? Object.keys(i).map(decodeKey) : [];
}

export const directoryDoc = (ids: Iterable<string>): SlotDoc => ({ _id: DIRECTORY_ID, i: Object.fromEntries([...ids].map((id) => [encodeKey(id), 1])) });

/** A stored rollup document: sealed slots in `z`, live ones as `sNN` / `sNNNN` objects. */
export interface SlotDoc {
  _id: string;
  z?: string;
  [field: string]: unknown;
}

/** Every slot of a document (sealed and live added together), optionally only those `wanted`. */
export function slotsOf(doc: SlotDoc, wanted?: (index: number) => boolean): Map<number, Slot> {
  const slots = decodeSlots(typeof doc.z === 'string' ? doc.z : '', wanted);
  for (const [field, value] of Object.entries(doc)) {
    const index = slotIndexOf(field);
    if (index === undefined || !isSlot(value) || (wanted && !wanted(index))) continue;
    const prev = slots.get(index);
    slots.set(index, prev ? mergeSlot(prev, value) : mergeSlot({}, value));
  }
  return slots;
}

export interface SealPlan {
  filter: Record<string, unknown>;
  update: { $set: { z: string }; $unset: Record<string, ''> };
}

/**
 * Folds a document's closed live slots (ended at or before `closedBefore`) into `z`. The update only applies if
 * neither `z` nor any folded slot's count `n` changed since the read (every increment adds to `n`), so a write
 * or another sealer racing with this one makes it a no-op that the next round redoes.
 */
export function sealPlan(doc: SlotDoc, slotEnd: (index: number) => number, closedBefore: number): SealPlan | undefined {
  const sealed = decodeSlots(typeof doc.z === 'string' ? doc.z : '');
  const filter: Record<string, unknown> = { _id: doc._id, z: typeof doc.z === 'string' ? doc.z : { $exists: false } };
  const unset: Record<string, ''> = {};
  for (const [field, value] of Object.entries(doc)) {
    const index = slotIndexOf(field);
    if (index === undefined || !isSlot(value)) continue;
    if (slotEnd(index) > closedBefore) continue;
    if (typeof value.n !== 'number') continue;
    filter[`${field}.n`] = value.n;
    unset[field] = '';
    const prev = sealed.get(index);
    sealed.set(index, prev ? mergeSlot(prev, value) : mergeSlot({}, value));
  }
  if (Object.keys(unset).length === 0) return undefined;
  return { filter, update: { $set: { z: encodeSlots(sealed) }, $unset: unset } };
}

/**
 * The sealed documents increments end up as once every slot is closed (what the sealer would leave): per
 * partition, its directory and one `{ _id, z }` per document. Used to load large histories directly (benchmarks);
 * `add` may be called batch by batch.
 */
export class SealedDocsBuilder {
  private readonly docs = new Map<string, Map<string, Map<number, Slot>>>();

  add(increments: RollupIncrement[]): this {
    for (const u of toSlotUpdates(increments)) {
      let byId = this.docs.get(u.collection);
      if (!byId) {
        byId = new Map();
        this.docs.set(u.collection, byId);
      }
      let slots = byId.get(u.id);
      if (!slots) {
        slots = new Map();
        byId.set(u.id, slots);
      }
      const doc: Slot = {};
      for (const [path, n] of Object.entries(u.inc)) setPath(doc, path, n);
      for (const [path, v] of Object.entries(u.max)) setPath(doc, path, v);
      for (const [field, value] of Object.entries(doc)) {
        const index = slotIndexOf(field);
        if (index === undefined || !isSlot(value)) continue;
        const prev = slots.get(index);
        slots.set(index, prev ? mergeSlot(prev, value) : value);
      }
    }
    return this;
  }

  /** Per partition, the directory first and then the documents by `_id` (minute-tier ones hour by hour, as live writes create them). */
  build(): Map<string, SlotDoc[]> {
    const out = new Map<string, SlotDoc[]>();
    for (const [collection, byId] of this.docs) {
      const docs = [...byId.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([_id, slots]): SlotDoc => ({ _id, z: encodeSlots(slots) }));
      out.set(collection, [directoryDoc(byId.keys()), ...docs]);
    }
    return out;
  }
}

export const sealedDocs = (increments: RollupIncrement[]): Map<string, SlotDoc[]> => new SealedDocsBuilder().add(increments).build();
