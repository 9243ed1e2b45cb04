export { commitAfterBatch, type BatchHandler } from './commit-after-batch';
export { DEAD_LETTER_HEADERS, DeadLetterWriter, deadLetterMessage, type DeadLetter } from './dead-letters';
export { FETCH_SETTINGS, type FetchSettings } from './fetch-settings';
export { GroupConsumer, type CommitStrategy, type ConsumerControl, type GroupConsumerOptions } from './group-consumer';
export { ReadAheadPipeline, type Chunk, type ReadAheadDeps } from './read-ahead';
