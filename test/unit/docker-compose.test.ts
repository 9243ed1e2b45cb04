import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROLES, settings } from '../../src/config/settings';

// Scenario: docker-compose.yml cannot run here (no Docker engine), so check what can be checked: it parses,
// it runs every role as its own service with a healthcheck, and every HOOKHUB/KAFKA/MONGODB variable it sets
// is a real setting (a renamed setting must not silently break the compose file).
describe('docker-compose.yml', () => {
  const doc = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; environment?: Record<string, string>; healthcheck?: unknown; command?: string[] }>;
  };
  const knownEnv = new Set(Object.values(settings).map((s) => s.env));
  const secretsInSample = ['GITHUB_WEBHOOK_SECRET', 'STRIPE_WEBHOOK_SECRET', 'PARTNER_WEBHOOK_SECRET'];

  it('has Kafka in KRaft mode and MongoDB 7 with healthchecks', () => {
    expect(doc.services.kafka?.image).toMatch(/^apache\/kafka:3\.9/);
    expect(doc.services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(doc.services.mongo?.image).toBe('mongo:7');
    expect(doc.services.kafka?.healthcheck).toBeDefined();
    expect(doc.services.mongo?.healthcheck).toBeDefined();
  });

  it.each(ROLES)('runs the %s role as a service with a healthcheck and known env names', (role) => {
    const svc = doc.services[role];
    expect(svc?.command).toEqual(['node', 'bin/hookhub.js', 'start', '--roles', role]);
    expect(svc?.healthcheck).toBeDefined();
    for (const name of Object.keys(svc?.environment ?? {})) {
      expect(knownEnv.has(name) || secretsInSample.includes(name) ? name : `unknown ${name}`).toBe(name);
    }
  });
});
