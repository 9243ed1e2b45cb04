import { SIZE_MS, floorTo } from './buckets';
import type { Metric, RollupIncrement } from './rollup';

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
 * - tier `h`: one document per (dimension values, UTC day), a slot per hour (`s00`…`s23`);
 * - tier `m`: one document per (dimension values, UTC day), a slot per minute of the day (`s0000`…`s1439`).
 *
 * A slot is the running sums of one metric over its hour or minute: `{ n, c: {…}, h: {b_…}, e: {…}, dsum, mx }`
 * for executions, `{ n, ok, fail, h, s, x, mx }` for deliveries, `{ n }` for ingest. Live writes `$inc` (and
 * `$max`) numeric slot fields; the sealer later folds closed slots into `z`, and readers add both together.
 */
export type Tier = 'h' | 'm';

export const TIERS: readonly Tier[] = ['h', 'm'];

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
export const SLOT_MS: Record<Tier, number> = { h: SIZE_MS.hour, m: SIZE_MS.minute };

const DAY = SIZE_MS.day;

const dayCode = (dayMs: number): string => new Date(dayMs).toISOString().slice(0, 10).replace(/-/g, '');

/** The partition (collection) holding a metric's tier for the UTC day starting at `dayMs`. */
export const partitionName = (metric: Metric, tier: Tier, dayMs: number): string => `analytics_${metric}_${tier}_${dayCode(floorTo(dayMs, DAY))}`;

/** `_id` of a rollup document: its dimension values as a JSON array (any characters, no escaping needed). */
export const docId = (metric: Metric, dims: Record<string, string>): string => JSON.stringify(DIMS[metric].map((d) => dims[d] ?? ''));

export function dimsOf(metric: Metric, id: string): Record<string, string> {
  const values = JSON.parse(id) as unknown;
  const out: Record<string, string> = {};
  DIMS[metric].forEach((d, i) => {
    const v = Array.isArray(values) ? values[i] : undefined;
    out[d] = typeof v === 'string' ? v : '';
  });
  return out;
}

export const slotKey = (tier: Tier, index: number): string => `s${String(index).padStart(tier === 'h' ? 2 : 4, '0')}`;

const SLOT_FIELD = /^s(\d{2}|\d{4})$/;

/** Slot index of a field name (`s07` → 7), or undefined for other fields. */
export function slotIndexOf(field: string): number | undefined {
  const m = SLOT_FIELD.exec(field);
  return m ? Number(m[1]) : undefined;
}

/** Index of the slot holding time `ms` within its UTC day. */
export const slotIndex = (tier: Tier, ms: number): number => Math.floor((ms - floorTo(ms, DAY)) / SLOT_MS[tier]);

export interface SlotUpdate {
  collection: string;
  id: string;
  inc: Record<string, number>;
  max: Record<string, number>;
}

/**
 * Expands increments to both tiers and merges those that hit one document: one `$inc`/`$max` upsert per
 * document per batch (field paths like `s07.c.succeeded`, `s0427.h.b_100`).
 */
export function toSlotUpdates(increments: RollupIncrement[]): SlotUpdate[] {
  const byKey = new Map<string, SlotUpdate>();
  for (const incr of increments) {
    const t = incr.at.getTime();
    if (!Number.isFinite(t)) continue;
    const id = docId(incr.metric, incr.dims);
    for (const tier of TIERS) {
      const collection = partitionName(incr.metric, tier, t);
      const key = `${collection}\u0000${id}`;
      let u = byKey.get(key);
      if (!u) {
        u = { collection, id, inc: {}, max: {} };
        byKey.set(key, u);
      }
      const slot = slotKey(tier, slotIndex(tier, t));
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

/** Decodes the slots of a sealed string; `wanted` (when given) skips the others without parsing them. */
export function decodeSlots(z: string, wanted?: (index: number) => boolean): Map<number, Slot> {
  const out = new Map<number, Slot>();
  if (!z) return out;
  for (const part of z.split(';')) {
    const colon = part.indexOf(':');
    const index = Number(part.slice(0, colon));
    if (wanted && !wanted(index)) continue;
    const slot: Slot = {};
    for (const field of part.slice(colon + 1).split(',')) {
      const eq = field.indexOf('=');
      if (eq > 0) setPath(slot, field.slice(0, eq), Number(field.slice(eq + 1)));
    }
    const prev = out.get(index);
    out.set(index, prev ? mergeSlot(prev, slot) : slot);
  }
  return out;
}

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
export function sealPlan(doc: SlotDoc, tier: Tier, dayMs: number, closedBefore: number): SealPlan | undefined {
  const sealed = decodeSlots(typeof doc.z === 'string' ? doc.z : '');
  const filter: Record<string, unknown> = { _id: doc._id, z: typeof doc.z === 'string' ? doc.z : { $exists: false } };
  const unset: Record<string, ''> = {};
  for (const [field, value] of Object.entries(doc)) {
    const index = slotIndexOf(field);
    if (index === undefined || !isSlot(value)) continue;
    if (floorTo(dayMs, DAY) + (index + 1) * SLOT_MS[tier] > closedBefore) continue;
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
 * The sealed documents a set of increments ends up as once every slot is closed (what the sealer would leave):
 * per partition, `{ _id, z }`. Used to load large histories directly (benchmarks).
 */
export function sealedDocs(increments: RollupIncrement[]): Map<string, SlotDoc[]> {
  const docs = new Map<string, Map<string, Map<number, Slot>>>();
  for (const u of toSlotUpdates(increments)) {
    let byId = docs.get(u.collection);
    if (!byId) {
      byId = new Map();
      docs.set(u.collection, byId);
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
  const out = new Map<string, SlotDoc[]>();
  for (const [collection, byId] of docs) out.set(collection, [...byId.entries()].map(([_id, slots]) => ({ _id, z: encodeSlots(slots) })));
  return out;
}
