import type { Hub } from '../../src/app/hub';
import { startTestHub, uniqueNames } from '../support/hub';
import { Capture, capturingLogger } from '../support/logs';
import { waitFor } from '../support/wait';

// Scenario: a delivery process is running alone when a second one joins its consumer group (a scale-out, a restart
// after a crash, a new topic picked up). The first process learns of the rebalance from the broker's answer to its
// heartbeat ("the group is rebalancing") and rejoins. Nothing is wrong, so an operator must not see it at error
// level: the first process logs the rebalance and its new assignment at info, and no error line about it.
describe('an expected rebalance is logged at info', () => {
  const names = uniqueNames('rebalancelog');
  const env = { topicPartitions: 4 };
  const capture = new Capture();
  const hubs: Hub[] = [];

  afterAll(async () => {
    await Promise.all(hubs.map((h) => h.stop()));
  });

  it('logs a member joining as info lines in the member that was there first', async () => {
    const group = `${names.clientId}-delivery`;
    const joins = (): Record<string, unknown>[] => capture.lines.filter((l) => l.group === group && l.message === 'joined the consumer group');
    hubs.push(await startTestHub('rebalancelog-a', { roles: ['delivery'], names, env, logger: capturingLogger(capture, 'info') }));
    await waitFor('the first process joined its group', () => joins().length >= 1, 60000, 100);

    hubs.push(await startTestHub('rebalancelog-b', { roles: ['delivery'], names, env }));
    await waitFor('the first process rejoined with the second one', () => joins().some((l) => Number(l.rebalances) >= 1), 90000, 100);

    const aboutRebalance = (l: Record<string, unknown>): boolean => /rebalancing|not aware of this member/i.test(`${String(l.message)} ${String(l.error)}`);
    expect(capture.lines.filter((l) => l.level === 'error' && aboutRebalance(l))).toEqual([]);
    // What the operator reads instead: the broker's answer and the rejoin, at info.
    expect(capture.lines.some((l) => l.level === 'info' && String(l.message).startsWith('kafka: Response ') && aboutRebalance(l))).toBe(true);
    expect(capture.lines.some((l) => l.level === 'info' && l.message === 'the group is rebalancing; rejoining')).toBe(true);
  }, 180000);
});
