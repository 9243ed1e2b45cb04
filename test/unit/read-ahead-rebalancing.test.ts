import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { ReadAheadPipeline, type Chunk } from '../../src/platform/consumer';
import { silentLogger } from '../../src/platform/logger';

// Scenario: a delivery member's partition lane is full (eight chunks whose attempts hang at a slow endpoint) and its
// batch waits for room, when a heartbeat says the group is rebalancing (a member joins, a new source's topic is
// picked up). Every member of the group pauses until this one rejoins, so its batch must return at once, leaving
// the messages it did not hand on unresolved (read again after the rejoin), instead of when its endpoint answers.
describe('read-ahead pipeline: a rebalance during a batch', () => {
  function batchOf(count: number, resolved: string[]): EachBatchPayload {
    const messages = Array.from({ length: count }, (_, i) => ({ offset: String(i), key: null, value: Buffer.from('{}'), timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage);
    const payload = {
      batch: { topic: 'hookhub.results', partition: 0, messages },
      resolveOffset: (offset: string) => void resolved.push(offset),
      isRunning: () => true,
      isStale: () => false,
      heartbeat: async () => undefined,
    };
    return payload as unknown as EachBatchPayload;
  }

  function pipeline(): { p: ReadAheadPipeline; accepted: Chunk[]; finish: () => void } {
    const accepted: Chunk[] = [];
    const hanging: (() => void)[] = [];
    const p = new ReadAheadPipeline(
      {
        accept: (chunk) => {
          accepted.push(chunk);
          return new Promise<void>((resolve) => hanging.push(resolve));
        },
        waitForCapacity: async () => undefined,
        logger: silentLogger(),
      },
      { commit: async () => undefined, seek: () => undefined },
    );
    return { p, accepted, finish: () => hanging.splice(0).forEach((r) => r()) };
  }

  /** Whether `promise` settles within `ms` (a liveness bound far above the microtasks it takes). */
  async function settles(promise: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([promise.then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('returns from a batch waiting for a full lane once the group is rebalancing, and issues again after the rejoin', async () => {
    const { p, accepted, finish } = pipeline();
    const resolved: string[] = [];
    const batch = p.eachBatch(batchOf(1000, resolved));
    // Eight chunks of 100 are handed on; the ninth waits for room that the hanging endpoint does not give.
    expect(await settles(batch, 300)).toBe(false);
    expect(accepted).toHaveLength(8);

    p.rebalancing();
    expect(await settles(batch, 2000)).toBe(true);
    expect(accepted).toHaveLength(8);
    expect(resolved.at(-1)).toBe('799'); // 800–999 stay unresolved: read again after the rejoin

    // Until the member has joined again nothing new is issued, then it is.
    await p.eachBatch(batchOf(1, []));
    expect(accepted).toHaveLength(8);
    p.joined();
    finish();
    const next = p.eachBatch(batchOf(100, []));
    expect(await settles(next, 2000)).toBe(true);
    expect(accepted).toHaveLength(9);
    finish();
  });

  it('keeps waiting for room when nothing says the group is rebalancing', async () => {
    const { p, accepted, finish } = pipeline();
    const batch = p.eachBatch(batchOf(900, []));
    expect(await settles(batch, 500)).toBe(false);
    expect(accepted).toHaveLength(8);
    finish();
    expect(await settles(batch, 2000)).toBe(true);
    expect(accepted).toHaveLength(9);
    finish();
  });
});
