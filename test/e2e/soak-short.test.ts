import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSoak, type SoakReport } from '../../bench/soak/harness';
import { describeReport } from '../../bench/soak/report';

// Scenario: the soak of `npm run soak`, short. A stack of its own (own Kafka and FerretDB, own ports), the hub as
// six OS processes (ingest+api, two agents, two delivery, archiver), signed webhooks at a steady rate routed to
// the echo agent, results to a healthy and a flaky subscriber (500s and timeouts), a subscription and a source
// created mid-run, and one fault of each kind under load: kill -9 of an agents process, of a delivery process,
// of the broker and of FerretDB, each started again. Checked from the outside afterwards: nothing accepted is
// lost, each event archived once, one succeeded execution per event, every owed result delivered with a valid
// signature and one webhook-id across its attempts.
describe('soak (short): nothing accepted is lost when processes, the broker and the store are killed', () => {
  let report: SoakReport;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookhub-soak-'));
    const progress = path.join(dir, 'soak.log');
    process.stdout.write(`short soak: progress in ${progress}, process logs in ${path.join(dir, 'logs')}\n`);
    report = await runSoak({
      events: 1500,
      rate: 50,
      warmupEvents: 100,
      warmupRate: 50,
      outageMs: 3000,
      // Generous bounds for a starved machine (beside a CPU hog a run took 18 minutes and the hub could not
      // accept for over two): a real sender keeps retrying for hours; on a quiet machine none of them is reached.
      drainTimeoutMs: 600000,
      quietMs: 180000,
      giveUpMs: 600000,
      dir,
      // Shorter leases and session timeouts than the defaults, so work a killed process held is taken over in
      // seconds (the defaults only make the full soak's drain longer; what is verified is the same).
      hubEnv: { HOOKHUB_DELIVERY_LEASE_MS: '20000', HOOKHUB_AGENTS_LEASE_MS: '10000', HOOKHUB_AGENTS_SESSION_TIMEOUT_MS: '10000' },
      // The harness's progress goes to a file beside the processes' logs: quiet in the suite's output, there for a
      // post-mortem if the run fails or hangs.
      log: (msg) => fs.appendFileSync(progress, `${new Date().toISOString()} ${msg}\n`),
    });
    process.stdout.write(`${[...describeReport(report), report.resultLine].join('\n')}\n`);
  }, 1500000);

  it('ran every fault, under load, without a process dying by itself', () => {
    expect(report.faults.map((f) => [f.name, f.error ?? 'ok'])).toEqual(report.faults.map((f) => [f.name, 'ok']));
    expect(report.faults.map((f) => f.name.split(',')[0])).toEqual(
      expect.arrayContaining(['kill -9 agents-1', 'kill -9 delivery-1', 'kill -9 the Kafka broker', 'kill -9 FerretDB']),
    );
    expect(report.unexpectedExits).toBe(0);
  });

  it('answered every webhook 2xx in the end (503 while Kafka was down, retried by the sender)', () => {
    expect(report.verdict.unaccepted).toBe(0);
    expect(report.verdict.rejected).toBe(0);
    expect(report.verdict.accepted).toBeGreaterThanOrEqual(1600);
  });

  it('archived every accepted event exactly once and ran exactly one succeeded execution per event', () => {
    const v = report.verdict;
    expect({ notArchived: v.notArchived, archiveDuplicates: v.archiveDuplicates, missingExecutions: v.missingExecutions, duplicateExecutions: v.duplicateExecutions }).toEqual({
      notArchived: 0,
      archiveDuplicates: 0,
      missingExecutions: 0,
      duplicateExecutions: 0,
    });
  });

  it('delivered every owed result to every subscriber, validly signed, with one webhook-id across retries', () => {
    const subs = report.verdict.subscribers.map((s) => ({ name: s.name, missing: s.missing, badSignatures: s.badSignatures, unstableIds: s.unstableIds }));
    expect(subs).toEqual(['healthy', 'flaky', 'late'].map((name) => ({ name, missing: 0, badSignatures: 0, unstableIds: 0 })));
    expect(report.verdict.subscribers.find((s) => s.name === 'late')?.owed).toBeGreaterThan(0);
    expect(report.verdict.lost).toBe(0);
  });
});
