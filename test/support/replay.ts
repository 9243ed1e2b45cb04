import type { ReplayEvent } from '../../src/analysts/replay/domain/types';

/** A replay event read from Kafka partition 0 of topic `t` at `offset`, with `over` on top of plain defaults. */
export const replayEvent = (id: string, offset: number, over: Partial<ReplayEvent> = {}): ReplayEvent => ({
  id,
  source: '/sources/gh',
  type: 'github.push',
  time: '2026-11-01T00:00:00.000Z',
  datacontenttype: 'application/json',
  extensions: {},
  key: null,
  data: Buffer.from('{"a":1}'),
  origin: { store: 'kafka', topic: 't', partition: 0, offset, timestampMs: 0 },
  ...over,
});
