import type { Hub } from '../../src/app/hub';
import { startTestHub, uniqueNames } from '../support/hub';
import { Capture, capturingLogger } from '../support/logs';
import { testSources } from '../support/webhooks';

// Scenario: a hub restarts against a broker where its topics already exist. Creating them again is a normal
// part of every start, so the restart logs nothing at error level (kafkajs reports "topic already exists" as
// an error by itself), while the topics stay usable: the restarted hub is ready.
describe('restarting on existing Kafka topics', () => {
  const names = uniqueNames('topicslog');
  const config = () => ({ sources: testSources(), agents: [], routes: [], subscriptions: [] });
  let hub: Hub | undefined;

  afterAll(async () => {
    await hub?.stop();
  });

  it('logs no errors when the topics it creates are already there', async () => {
    const first = await startTestHub('topicslog-1', { roles: ['ingest', 'delivery'], names, config: config() });
    await first.stop();
    const capture = new Capture();
    hub = await startTestHub('topicslog-2', { roles: ['ingest', 'delivery'], names, config: config(), logger: capturingLogger(capture, 'info') });
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    expect(capture.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
