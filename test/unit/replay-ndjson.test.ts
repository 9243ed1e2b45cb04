import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NdjsonSink } from '../../src/analysts/replay/data-access/sinks';
import { HAS_LINE_BREAK, NON_ASCII, scanJson } from '../../src/analysts/replay/domain/json-scan';
import { NdjsonLines, toStructuredLine } from '../../src/analysts/replay/domain/structured';
import type { ReplayEvent } from '../../src/analysts/replay/domain/types';
import { replayEvent } from '../support/replay';

const parses = (b: Buffer): boolean => {
  try {
    JSON.parse(b.toString('utf8'));
    return true;
  } catch {
    return false;
  }
};

/** A small deterministic generator, so a failure replays the same way. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomJson(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 3 ? 5 : 7));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return [0, -1, 3.25, 1e21, -0.5e-7, 123456789012, 2 ** 60][Math.floor(r() * 7)];
    case 3:
      return ['', 'plain', 'quote " and \\ back', 'tab\tnl\ncr\r', 'ü ß ✓ 🎉', '\u0001\u001f', '\u2028', '</script>'][Math.floor(r() * 8)];
    case 4:
      return 'x'.repeat(Math.floor(r() * 40));
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, (_, i) => [`k${i}${r() < 0.2 ? 'ü' : ''}`, randomJson(r, depth + 1)]));
  }
}

const PIECES = ['{', '}', '[', ']', ',', ':', '"', '\\', '\\u12', '\\x', ' ', '\n', '\r', '\t', '\u000b', '\u00a0', '0', '01', '-', '.', 'e', 'E+', 'tru', 'null', '\u0000', '\u001f', 'ü', '\ufeff'];

// Scenario: export writes a JSON body verbatim when JSON.parse would accept it, else as data_base64. The byte
// scanner that decides this must agree with JSON.parse on valid, mutated and hand-picked invalid texts, and the
// NDJSON lines must be exactly what the JSON.parse-based writer produced before (the reference below).
describe('replay NDJSON lines', () => {
  it('accepts exactly what JSON.parse accepts', () => {
    const r = rng(42);
    const cases: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const text = JSON.stringify(randomJson(r), null, r() < 0.3 ? 2 : undefined) ?? 'null';
      const b = Buffer.from(r() < 0.2 ? `\r\n ${text}\t\n` : text);
      cases.push(b);
      // mutations: insert, delete or replace a few bytes, or cut the text short
      const m = Buffer.from(b);
      const pos = Math.floor(r() * m.length);
      const op = Math.floor(r() * 4);
      const piece = Buffer.from(PIECES[Math.floor(r() * PIECES.length)] ?? '');
      if (op === 0) cases.push(Buffer.concat([m.subarray(0, pos), piece, m.subarray(pos)]));
      else if (op === 1) cases.push(Buffer.concat([m.subarray(0, pos), m.subarray(pos + 1)]));
      else if (op === 2) cases.push(Buffer.concat([m.subarray(0, pos), piece, m.subarray(pos + piece.length)]));
      else cases.push(m.subarray(0, pos));
    }
    const fixed = ['', ' ', '{}', '[]', '""', '0', '-0', '-', '01', '1.', '.5', '1e', '1e+', '1E-2', 'true', 'tru', 'nul', 'null ', '{"a":1,}', '[1,]', '{,}', '{"a" 1}', '{"a":1 "b":2}',
      '"\\u00e9"', '"\\u00g9"', '"\\ud800"', '"a\u0001"', '"\u007f"', '\ufeff{}', '{}x', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '[[]', '[]]', '{"a":{"b":[1,{"c":null}]}}', '\u000b1', '1\u00a0', '"\\/"', '"\\a"'];
    for (const f of fixed) cases.push(Buffer.from(f));
    cases.push(Buffer.from([0x22, 0xff, 0xfe, 0x22]), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]), Buffer.from([0xc3, 0xa9]));
    let valid = 0;
    for (const c of cases) {
      const flags = scanJson(c);
      if ((flags >= 0) !== parses(c)) throw new Error(`scanJson disagrees with JSON.parse on ${JSON.stringify(c.toString('latin1'))}`);
      if (flags >= 0) {
        valid += 1;
        expect(!!(flags & HAS_LINE_BREAK)).toBe(c.includes(0x0a) || c.includes(0x0d));
        expect(!!(flags & NON_ASCII)).toBe(c.some((x) => x >= 0x80));
      }
    }
    expect(valid).toBeGreaterThan(3000);
    expect(cases.length - valid).toBeGreaterThan(1500);
    expect(scanJson(Buffer.from('xx{"a":[1,2]}yy'), 2, 13)).toBe(0);
  });

  it('writes the same lines as the JSON.parse-based writer', () => {
    const r = rng(7);
    const bodies = [
      '{"a":1}',
      '{\n  "a": "x\\ny",\r\n  "b": [1,\n2]\n}',
      '[1,2]',
      '{broken',
      'a=1&b=2',
      '"just a string"',
      '42',
      '',
      '{"ü":"✓ 🎉"}',
      ' {"lead":"space"}',
    ].map((s) => Buffer.from(s));
    bodies.push(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), Buffer.from([0x00, 0xff, 0x10]));
    for (let i = 0; i < 300; i++) bodies.push(Buffer.from(JSON.stringify(randomJson(r), null, r() < 0.5 ? 1 : undefined) ?? 'null'));
    const types = ['application/json', 'application/cloudevents+json', 'text/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', ''];
    const lines = new NdjsonLines(64);
    let expected = '';
    bodies.forEach((data, i) => {
      const e = event(i, {
        data,
        datacontenttype: types[i % types.length] ?? 'application/json',
        ...(i % 3 === 0 ? { subject: i % 2 ? `sub "${i}"` : `sub ${i} 🎉` } : {}),
        ...(i % 4 === 0 ? { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } : {}),
        extensions:
          i % 5 === 0
            ? { hookhubsource: 'gh', replayof: 'orig', idempotencykey: 'ü\n"k"', odd: '\ud800 lone \u007f \u2028 🎉 \\ \t', subject: 's', traceparent: 't', data: 'no', time: 'no', constructor: 'c' }
            : { hookhubsource: 'gh' },
      });
      const line = toStructuredLine(e);
      expect(line).toBe(referenceLine(e));
      if (i % 5 === 0) expect(JSON.parse(line)).toHaveProperty('constructor', 'c');
      expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
      JSON.parse(line);
      lines.append(e);
      expected += line;
    });
    expect(lines.bytes().toString('utf8')).toBe(expected);
    expect(lines.take().toString('utf8')).toBe(expected);
    expect(lines.length).toBe(0);
  });
});

describe('replay NDJSON file sink', () => {
  // Scenario: emits that cross the ~1 MB write threshold, some of them concurrent (two partition leaders), end up
  // in the file once each, every emit's lines together and in order; after flush, `bytes` is the file's length, and a resume cut to
  // a checkpoint's byte count keeps exactly that prefix.
  it('writes every line once, in order, and counts the bytes flushed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ndjson-'));
    const file = path.join(dir, 'out.ndjson');
    const sink = await NdjsonSink.toFile(file);
    const body = Buffer.from(JSON.stringify({ pad: 'x'.repeat(2000) }));
    const batches = Array.from({ length: 12 }, (_, b) => Array.from({ length: 150 }, (_, i) => event(b * 150 + i, { data: body })));
    await Promise.all([0, 1].map(async (lane) => {
      for (let b = lane; b < batches.length; b += 2) await sink.emit(batches[b] ?? []);
    }));
    await sink.flush();
    const text = fs.readFileSync(file, 'utf8');
    expect(sink.bytes).toBe(Buffer.byteLength(text));
    const ids = text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toHaveLength(1800);
    expect(new Set(ids).size).toBe(1800);
    // each emit's lines stay together and in order
    for (let at = 0; at < ids.length; at += 150) {
      const first = Number(ids[at]?.slice(2));
      expect(ids.slice(at, at + 150)).toEqual(Array.from({ length: 150 }, (_, i) => `e-${first + i}`));
    }
    const keep = Buffer.byteLength(text.split('\n').slice(0, 700).join('\n')) + 1;
    await sink.close();
    const resumed = await NdjsonSink.toFile(file, keep);
    await resumed.emit([event(9999, {})]);
    await resumed.close();
    const after = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(after).toHaveLength(701);
    expect(after.slice(0, 700)).toEqual(text.split('\n').slice(0, 700));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

const event = (i: number, over: Partial<ReplayEvent>): ReplayEvent => replayEvent(`e-${i}`, i, over);

/** The line writer export used before the byte-level one (JSON.parse to validate, JSON.stringify for attributes). */
function referenceLine(e: ReplayEvent): string {
  const head: Record<string, string> = { specversion: '1.0', id: e.id, source: e.source, type: e.type, time: e.time, datacontenttype: e.datacontenttype };
  if (e.subject) head.subject = e.subject;
  if (e.traceparent) head.traceparent = e.traceparent;
  // (the old writer tested `k in head`, which also dropped extensions named like Object.prototype members, such
  // as `constructor`, a valid CloudEvents extension name: the new writer keeps them)
  for (const [k, v] of Object.entries(e.extensions)) if (!Object.prototype.hasOwnProperty.call(head, k) && k !== 'data' && k !== 'data_base64') head[k] = v;
  const prefix = JSON.stringify(head).slice(0, -1);
  const isJson = /^application\/(?:[\w.+-]+\+)?json\b|^text\/json\b/i.test(e.datacontenttype) || e.data[0] === 0x7b || e.data[0] === 0x5b;
  let text: string | undefined;
  if (isJson) {
    const s = e.data.toString('utf8');
    try {
      JSON.parse(s);
      text = s.replace(/[\r\n]/g, ' ');
    } catch {
      text = undefined;
    }
  }
  return text !== undefined ? `${prefix},"data":${text}}\n` : `${prefix},"data_base64":${JSON.stringify(e.data.toString('base64'))}}\n`;
}
