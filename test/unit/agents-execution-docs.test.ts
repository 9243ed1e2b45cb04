import { toExecutionDoc, toStoredExecution } from '../../src/agents/data-access/execution-docs';
import { resultValue } from '../../src/agents/data-access/results';
import type { StoredExecution } from '../../src/agents/domain/model';

const at = new Date('2026-12-02T10:00:00Z');
const execution: StoredExecution = {
  id: 'x1',
  agent: 'shipper',
  status: 'succeeded',
  attempts: 2,
  eventId: 'e1',
  eventType: 'order.created',
  event: { id: 'e1', source: '/sources/shop', type: 'order.created', time: at.toISOString(), topic: 'hookhub.in.shop', partition: 0, offset: '7', key: 'k' },
  input: { 'a.b': 1, $c: [true] },
  output: { 'shipped.at': 'now' },
  documents: [],
  resultPublished: false,
  owner: 'p-1',
  queuedAt: at,
  startedAt: at,
  finishedAt: at,
  durationMs: 0,
  createdAt: at,
  updatedAt: at,
};

// Scenario: the execution entity the agents stage speaks in becomes a document (free-form input and output as
// JSON strings, since keys with `.` or `$` are refused by the store; nothing undefined written) and reads back
// the same; the published result carries the output as the object it was.
describe('execution documents', () => {
  it('stores input and output as JSON strings, writes no undefined field, and reads back the same entity', () => {
    const doc = toExecutionDoc(execution);
    expect(doc).toMatchObject({ _id: 'x1', inputJson: '{"a.b":1,"$c":[true]}', outputJson: '{"shipped.at":"now"}', owner: 'p-1' });
    expect(Object.entries(doc).filter(([, v]) => v === undefined)).toEqual([]);
    expect(doc).not.toHaveProperty('input');
    expect(toStoredExecution(doc)).toEqual(execution);
  });

  it('publishes the output as an object, under the execution id', () => {
    expect(resultValue(execution)).toMatchObject({ execution: { id: 'x1', status: 'succeeded', output: { 'shipped.at': 'now' }, attempts: 2 } });
  });
});
