import type { Batch } from 'kafkajs';
import type { CommitStrategy, ConsumerControl } from './group-consumer';

/** Handles one fetched batch of one partition; resolves once its effects are stored (a throw re-reads the batch). */
export type BatchHandler = (batch: Batch) => Promise<void>;

/**
 * The plain strategy: hand each batch to the use, then resolve and commit past it. A crash before the commit
 * re-reads the batch: the archiver's bulk upsert and the agents' execution ids make that harmless.
 */
export function commitAfterBatch(handle: BatchHandler): (control: ConsumerControl) => CommitStrategy {
  return (control) => ({
    async eachBatch({ batch, resolveOffset, isRunning, isStale }) {
      if (batch.messages.length === 0 || !isRunning() || isStale()) return;
      await handle(batch);
      const last = batch.lastOffset();
      resolveOffset(last);
      await control.commit(batch.topic, batch.partition, (BigInt(last) + 1n).toString());
    },
  });
}
