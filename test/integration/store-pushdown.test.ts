import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startFerretdb, stopFerretdb, type MongoInstance } from '../../src/stack/ferretdb';

const { MongoClient, ObjectId, Long, Int32, Double, Binary, Timestamp, BSONRegExp } = mongoose.mongo;
const { EJSON } = mongoose.mongo.BSON;
type Db = mongoose.mongo.Db;
type Doc = { _id: string | mongoose.mongo.ObjectId } & Record<string, unknown>;
type Filter = mongoose.mongo.Filter<Doc>;
type Sort = Record<string, 1 | -1>;

// Scenario: the patched FerretDB pushes filters and sorts on indexed fields down to SQLite. Two FerretDB processes
// of this test's own hold the same documents, one with pushdown and one with `--test-disable-pushdown` (every
// document decoded and matched in Go, as the unpatched server does); every query must answer the same documents
// with the same BSON types on both, and `explain` must show SQLite searching an index.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

const oid = (n: number): mongoose.mongo.ObjectId => new ObjectId(n.toString(16).padStart(24, '0'));
const date = (ms: number): Date => new Date(ms);

/** One value of every BSON type the store keeps, with edge cases of each (no NaN or ±Infinity: FerretDB refuses to store them). */
const VALUES: unknown[] = [
  '', 'a', 'ab', 'ab!', 'ab"', 'a\\b', 'a<b>&', 'é', 'z', '0', '10', '9', '[1]', 'Infinity',
  new Int32(-5), new Int32(0), new Int32(5), new Int32(10),
  Long.fromString('5'), Long.fromString('9007199254740993'), Long.fromString('9223372036854775807'), Long.fromString('-9223372036854775808'),
  new Double(5), new Double(1.5), new Double(-0), new Double(1e300), new Double(-1e300), new Double(9007199254740992), new Double(0.1),
  date(0), date(-86400000), date(5), date(1_700_000_000_000), date(1_700_000_000_001),
  true, false, null,
  oid(1), oid(0xabcdef), oid(5),
  [1, 10], ['a', 'z'], [], [null], [new Int32(5)], [date(5)],
  { a: 1 }, { a: 'x', b: [1] }, {},
  new Binary(Buffer.from('hi')), new Timestamp({ t: 1, i: 2 }), new BSONRegExp('^a', 'i'),
];

/** Scalars only (and objects, binary, timestamps, regexes: brackets SQLite does not order), never arrays. */
const SORTABLE = VALUES.filter((v) => !Array.isArray(v));

function documents(): Doc[] {
  const docs: Doc[] = [];
  VALUES.forEach((v, i) => {
    for (const g of ['a', 'b']) {
      const n = docs.length;
      const doc: Doc = { _id: n % 3 === 0 ? oid(1000 + n) : `id-${String(n).padStart(4, '0')}`, g, n: new Int32(n), w: SORTABLE[(i * 7 + n) % SORTABLE.length], k: `key-${n}` };
      if (n % 5 !== 1) doc.v = v; // some documents miss the field
      docs.push(doc);
    }
  });
  return docs;
}

/** Operands: every stored value plus the ones only a query can hold (FerretDB v1's wire layer refuses NaN anywhere). */
const OPERANDS: unknown[] = [...VALUES.filter((v) => !Array.isArray(v) && !(v instanceof BSONRegExp)), new Double(Infinity), new Double(-Infinity), Long.fromString('9007199254740992'), new Double(5.5)];

function filters(): Filter[] {
  const out: Filter[] = [];
  for (const x of OPERANDS) {
    out.push({ v: x }, { v: { $eq: x } }, { v: { $gt: x } }, { v: { $gte: x } }, { v: { $lt: x } }, { v: { $lte: x } });
    out.push({ w: { $gte: x } }, { g: 'a', w: { $lte: x } }, { g: 'b', v: { $gt: x, $lte: 'zzz' } });
  }
  out.push(
    { v: { $in: ['a', new Int32(5), date(5), true, oid(1)] } },
    { v: { $in: [new Double(1.5), Long.fromString('9007199254740993'), null] } },
    { v: { $in: [] } },
    { v: { $gt: new Int32(0), $lt: new Int32(10) } },
    { v: { $gte: 'a', $lt: 'b' } },
    { v: { $gt: new Int32(5), $lt: new Int32(2) } },
    { v: { $ne: new Int32(5) } },
    { v: { $exists: false } },
    { v: { a: 1 } },
    { v: [1, 10] },
    { _id: 'id-0001' },
    { _id: oid(1000) },
    { _id: { $in: ['id-0002', oid(1003), 'nope'] } },
    { k: 'key-7' },
    { k: { $in: ['key-1', 'key-2'] }, g: 'b' },
    { $and: [{ g: 'a' }, { v: { $gte: new Int32(5) } }] },
    { $or: [{ v: { $lt: new Int32(1) } }, { v: new Int32(5) }] },
    { $or: [{ w: { $lt: 'b' } }, { w: 'b', _id: { $lt: 'id-0050' } }] },
    { $and: [{ g: 'a' }, { $or: [{ w: { $lt: date(5) } }, { w: date(5), _id: { $gt: 'id-0000' } }] }] },
    { $or: [{ v: 'a' }, { g: 'b' }] },
    { 'v.a': 1 },
  );
  return out;
}

const SORTS: Sort[] = [{ w: 1, _id: 1 }, { w: -1, _id: -1 }, { g: 1, w: -1, _id: 1 }, { v: 1, _id: 1 }, { v: -1, _id: 1 }, { _id: 1 }];

const coll = (db: Db): mongoose.mongo.Collection<Doc> => db.collection<Doc>('c');

const canon = (docs: Doc[]): string[] => docs.map((d) => EJSON.stringify(d, { relaxed: false }));
const unordered = (docs: Doc[]): string[] => canon(docs).sort();

async function explain(db: Db, command: mongoose.mongo.Document): Promise<{ plan: string; filter: boolean; sort: boolean }> {
  const r = await db.command({ explain: command });
  const planner = r.queryPlanner as { Plan?: string[] };
  return { plan: (planner.Plan ?? []).join('\n'), filter: r.filterPushdown === true, sort: r.sortPushdown === true };
}

describe('local store: filter and sort pushdown answer as the Go-side scan', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookhub-pushdown-'));
  const instances: MongoInstance[] = [];
  let indexed: Db;
  let scanned: Db;
  const clients: mongoose.mongo.MongoClient[] = [];

  beforeAll(async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    instances.push({ dir: path.join(dir, 'pushdown'), port: p1 }, { dir: path.join(dir, 'scan'), port: p2, flags: ['--test-disable-pushdown'] });
    await Promise.all(instances.map((m) => startFerretdb(m, () => undefined)));
    const dbs: Db[] = [];
    for (const m of instances) {
      const client = await new MongoClient(`mongodb://127.0.0.1:${m.port}/`).connect();
      clients.push(client);
      const db = client.db('pushdown');
      const c = coll(db);
      await c.createIndex({ v: 1 });
      await c.createIndex({ g: 1, w: 1, _id: 1 });
      await c.createIndex({ w: -1, _id: 1 });
      await c.createIndex({ k: 1 }, { unique: true });
      await c.insertMany(documents());
      dbs.push(db);
    }
    [indexed, scanned] = dbs as [Db, Db];
  }, 180000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(instances.map((m) => stopFerretdb(m)));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every filter with the same documents, for every BSON type of field and operand', async () => {
    const fs = filters();
    for (const f of fs) {
      const [a, b] = await Promise.all([indexed, scanned].map((db) => coll(db).find(f).toArray()));
      expect({ filter: EJSON.stringify(f), docs: unordered(a ?? []) }).toEqual({ filter: EJSON.stringify(f), docs: unordered(b ?? []) });
    }
    const [ca, cb] = await Promise.all([indexed, scanned].map((db) => coll(db).countDocuments({ v: { $gte: new Int32(5) } })));
    expect(ca).toBe(cb);
    expect(fs.length).toBeGreaterThan(400);
  });

  it('sorts and limits as the scan does, whether the sort is pushed down or not', async () => {
    for (const sort of SORTS) {
      for (const f of [{}, { g: 'a' }, { w: { $gte: 'a' } }, { g: 'b', w: { $lt: date(1_700_000_000_001) } }, { v: { $gt: new Int32(0) } }] as Filter[]) {
        for (const [skip, limit] of [[0, 0], [0, 7], [3, 5]] as const) {
          const [a, b] = await Promise.all([indexed, scanned].map((db) => coll(db).find(f).sort(sort).skip(skip).limit(limit).toArray()));
          const what = `${EJSON.stringify(f)} sort ${JSON.stringify(sort)} skip ${skip} limit ${limit}`;
          expect({ what, docs: canon(a ?? []) }).toEqual({ what, docs: canon(b ?? []) });
        }
      }
    }
  });

  it('updates and deletes the same documents', async () => {
    for (const db of [indexed, scanned]) {
      await coll(db).updateMany({ v: { $lte: new Int32(5) } }, { $set: { touched: true } });
      await coll(db).deleteMany({ g: 'b', w: { $gte: 'a' } });
    }
    const [a, b] = await Promise.all([indexed, scanned].map((db) => coll(db).find({}).toArray()));
    expect(unordered(a ?? [])).toEqual(unordered(b ?? []));
  });

  it('explains an index search for _id, equality, $in, ranges and the sort of an API list page', async () => {
    const cases: [mongoose.mongo.Document, RegExp][] = [
      [{ find: 'c', filter: { _id: 'id-0001' } }, /SEARCH \S+ USING INDEX \S+__id_ /],
      [{ find: 'c', filter: { k: 'key-7' } }, /SEARCH \S+ USING INDEX \S+_k_1 /],
      [{ find: 'c', filter: { k: { $in: ['key-1', 'key-2'] } } }, /SEARCH \S+ USING INDEX \S+_k_1 /],
      [{ find: 'c', filter: { v: { $gte: new Int32(1), $lt: new Int32(9) } } }, /SEARCH \S+ USING INDEX \S+_v_1 /],
    ];
    for (const [command, plan] of cases) {
      const e = await explain(indexed, command);
      expect(e.filter).toBe(true);
      expect(e.plan).toMatch(plan);
    }
    const page = await explain(indexed, { find: 'c', filter: { g: 'a', w: { $gte: date(0) } }, sort: { w: 1, _id: 1 }, limit: 10 });
    expect(page).toMatchObject({ filter: true, sort: true });
    expect(page.plan).toMatch(/SEARCH \S+ USING INDEX \S+_g_1_w_1__id_1 /);
    expect(page.plan).not.toMatch(/TEMP B-TREE/);
    const scan = await explain(scanned, { find: 'c', filter: { k: 'key-7' } });
    expect(scan.filter).toBe(false);
    expect(scan.plan).toMatch(/SCAN/);
  });

  it('stops pushing a sort down once an indexed field holds an array, and still answers as the scan', async () => {
    const sorted = { find: 'c', filter: { g: 'a' }, sort: { w: 1, _id: 1 } };
    expect((await explain(indexed, sorted)).sort).toBe(true);
    for (const db of [indexed, scanned]) await coll(db).insertOne({ _id: 'array-w', g: 'a', w: [new Int32(-100), 'zzz'], k: 'key-array' });
    expect((await explain(indexed, sorted)).sort).toBe(false);
    const [a, b] = await Promise.all([indexed, scanned].map((db) => coll(db).find({ g: 'a', w: { $lt: new Int32(0) } }).sort({ w: 1, _id: 1 }).toArray()));
    expect(canon(a ?? [])).toEqual(canon(b ?? []));
    expect(canon(a ?? []).some((d) => d.includes('array-w'))).toBe(true);
  });
});
