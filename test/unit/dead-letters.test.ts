import { DEAD_LETTER_HEADERS, deadLetterMessage } from '../../src/platform/consumer';

describe('dead letters: one header scheme for every stage', () => {
  const original = { key: Buffer.from('k1'), value: Buffer.from('{not json'), offset: '42', headers: { ce_id: 'e1', 'x-hookhub-error-code': 'stale' } };

  it('keeps the original key, value and headers and adds origin, error and attempts', () => {
    const m = deadLetterMessage('agents', { original, topic: 'hookhub.in.github', partition: 2, code: 'json_malformed', error: 'value is not JSON', attempts: 1 });
    expect(m.key).toBe(original.key);
    expect(m.value).toBe(original.value);
    expect(m.headers).toEqual({
      ce_id: 'e1',
      [DEAD_LETTER_HEADERS.stage]: 'agents',
      [DEAD_LETTER_HEADERS.topic]: 'hookhub.in.github',
      [DEAD_LETTER_HEADERS.partition]: '2',
      [DEAD_LETTER_HEADERS.offset]: '42',
      [DEAD_LETTER_HEADERS.code]: 'json_malformed',
      [DEAD_LETTER_HEADERS.message]: 'value is not JSON',
      [DEAD_LETTER_HEADERS.attempts]: '1',
    });
  });

  it('names the agent and execution when an execution gave up, and cuts long error texts', () => {
    const m = deadLetterMessage('agents', { original, topic: 't', partition: 0, code: 'timeout', error: 'x'.repeat(5000), attempts: 3, agent: 'echo', executionId: 'ex1' });
    expect(m.headers?.[DEAD_LETTER_HEADERS.agent]).toBe('echo');
    expect(m.headers?.[DEAD_LETTER_HEADERS.executionId]).toBe('ex1');
    expect(String(m.headers?.[DEAD_LETTER_HEADERS.message])).toHaveLength(1000);
    expect(m.headers?.[DEAD_LETTER_HEADERS.attempts]).toBe('3');
  });
});
