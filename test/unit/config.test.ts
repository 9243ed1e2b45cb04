import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadEnv } from '../../src/config/env';
import { expandEnv, parseHubConfig } from '../../src/config/file';
import { settings } from '../../src/config/settings';
import { SchemaRegistry } from '../../src/platform/schemas';

const schemas = SchemaRegistry.load(path.join(__dirname, '..', '..', 'schemas'));

describe('settings from the environment', () => {
  it('uses the documented defaults when nothing is set', () => {
    const env = loadEnv({});
    expect(env.port).toBe(8080);
    expect(env.kafkaBrokers).toEqual(['127.0.0.1:19092']);
    expect(env.roles).toEqual(['ingest', 'api', 'archiver', 'agents', 'delivery']);
    expect(env.schemasDir).toBe(path.join(__dirname, '..', '..', 'schemas'));
  });

  it('parses typed values from their env names', () => {
    const env = loadEnv({ HOOKHUB_PORT: '9090', KAFKA_BROKERS: 'a:1, b:2', HOOKHUB_LOG_LEVEL: 'debug' });
    expect(env).toMatchObject({ port: 9090, kafkaBrokers: ['a:1', 'b:2'], logLevel: 'debug' });
  });

  it.each([
    [{ HOOKHUB_PORT: 'eighty' }, /HOOKHUB_PORT \(port\) must be an integer/],
    [{ HOOKHUB_PORT: '70000' }, /HOOKHUB_PORT \(port\) must be <= 65535/],
    [{ HOOKHUB_LOG_LEVEL: 'loud' }, /HOOKHUB_LOG_LEVEL \(logLevel\) must be one of/],
    [{ MONGODB_URI: 'not a uri' }, /MONGODB_URI \(mongodbUri\) must be a URL/],
  ])('rejects %j naming the bad key', (source, message) => {
    expect(() => loadEnv(source)).toThrow(ConfigError);
    expect(() => loadEnv(source)).toThrow(message);
  });

  it('documents every key with an env name and a doc line', () => {
    for (const s of Object.values(settings)) {
      expect(s.env).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(s.doc.length).toBeGreaterThan(10);
    }
  });
});

describe('the hub config file', () => {
  it('expands ${ENV} references and defaults in strings only', () => {
    expect(expandEnv({ a: ['x-${A}', '${B:-fallback}'], n: 3 }, { A: '1' })).toEqual({ a: ['x-1', 'fallback'], n: 3 });
  });

  it('names the key whose variable is missing', () => {
    expect(() => expandEnv({ sources: [{ secret: '${NOPE}' }] }, {})).toThrow('/sources/0/secret: environment variable NOPE is not set');
  });

  it('accepts a valid file and rejects an invalid one naming the path', () => {
    const ok = parseHubConfig('sources:\n  - id: gh\n    verification: { scheme: github, secrets: ["${S}"] }\n', schemas, { S: 'x' });
    expect(ok.sources[0]?.verification.secrets).toEqual(['x']);
    expect(ok.agents).toEqual([]);
    expect(() => parseHubConfig('sources:\n  - id: gh\n    verification: { scheme: nope }\n', schemas, {})).toThrow(/\/sources\/0\/verification\/scheme must be one of/);
    expect(() => parseHubConfig('surprise: 1\n', schemas, {})).toThrow(/\/surprise is not allowed/);
  });

  it('validates the shipped sample hookhub.yaml', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'hookhub.yaml'), 'utf8');
    const cfg = parseHubConfig(text, schemas, { GITHUB_WEBHOOK_SECRET: 'a', STRIPE_WEBHOOK_SECRET: 'b', PARTNER_WEBHOOK_SECRET: 'whsec_Yw==' });
    expect(cfg.sources.map((s) => s.id)).toEqual(expect.arrayContaining(['github', 'stripe', 'partner']));
  });
});

describe('schema registry', () => {
  it('fails naming the file when a schema is broken', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemas-'));
    fs.mkdirSync(path.join(dir, 'acme'));
    fs.writeFileSync(path.join(dir, 'acme', 'ok.json'), '{"type":"object"}');
    fs.writeFileSync(path.join(dir, 'acme', 'bad.json'), '{"type":"objekt"}');
    expect(() => SchemaRegistry.load(dir)).toThrow(/schema acme\/bad\.json/);
    fs.writeFileSync(path.join(dir, 'acme', 'bad.json'), '{"type":');
    expect(() => SchemaRegistry.load(dir)).toThrow(/schema acme\/bad\.json: not valid JSON/);
  });
});
