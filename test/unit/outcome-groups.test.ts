import { OutcomeGroups, unpackOutcome, type OutcomeRecord } from '../../src/ingest/data-access/outcome-groups';

const placement = (offset: string) => ({ topic: 't', partition: 0, offset });

function groups(windowMs = 60_000, maxMembers = 100): { g: OutcomeGroups; written: OutcomeRecord[] } {
  const written: OutcomeRecord[] = [];
  const g = new OutcomeGroups({ windowMs, maxMembers, write: async (r) => void written.push(r), onWriteError: () => undefined });
  return { g, written };
}

describe('OutcomeGroups', () => {
  it('writes one record for a closed group only once every member has settled', async () => {
    // Three holders join one group; two settle; closing does not write until the third settles too.
    const { g, written } = groups(60_000, 3);
    const id = g.join('a');
    expect(g.join('b')).toBe(id);
    expect(g.join('c')).toBe(id); // the third member closes the group (maxMembers)
    g.settle({ token: 'a', eventId: 'e-a', type: 'x', placement: placement('1') });
    g.settle({ token: 'b', released: true });
    await Promise.resolve();
    expect(written).toHaveLength(0);
    g.settle({ token: 'c', eventId: 'e-c', placement: placement('2') });
    await g.drain();
    expect(written.map((r) => r._id)).toEqual([`outcome:${id}`]);
    expect(written[0]?.at).toEqual(expect.any(Date));
    expect(unpackOutcome(written[0] as OutcomeRecord)).toEqual({
      accepted: [
        { token: 'a', eventId: 'e-a', type: 'x', topic: 't', partition: 0, offset: '1' },
        { token: 'c', eventId: 'e-c', topic: 't', partition: 0, offset: '2' },
      ],
      released: ['b'],
    });
  });

  it('does not wait for a holder that was never inserted, and starts a new group once one is full', async () => {
    // A holder whose insert lost the race is forgotten; the next join opens a fresh group.
    const { g, written } = groups(60_000, 2);
    const first = g.join('a');
    g.join('lost');
    g.forget('lost');
    expect(g.join('b')).not.toBe(first);
    g.settle({ token: 'a', eventId: 'e-a', placement: placement('7') });
    await g.drain();
    expect(written.map((r) => r._id)).toEqual([`outcome:${first}`]);
    expect(g.settle({ token: 'unknown', released: true })).toBe(false);
  });

  it('reads records written before outcomes were packed into one string', () => {
    // A group record from the previous format (one subdocument per member) still answers who was accepted.
    const legacy = { _id: 'outcome:g', at: new Date(), accepted: [{ token: 'a', eventId: 'e-a', topic: 't', partition: 2, offset: '9' }], released: ['b'] };
    expect(unpackOutcome(legacy)).toEqual({ accepted: legacy.accepted, released: ['b'] });
  });

  it('leaves unsettled members pending at drain instead of hanging', async () => {
    // A member still producing when the process stops gets no record: its claim goes stale and is taken over.
    const { g, written } = groups();
    g.join('a');
    await g.drain();
    expect(written).toHaveLength(0);
  });
});
