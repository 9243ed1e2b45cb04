import type { SoakReport } from './harness';
import { describePickup } from './pickup';

/** The lines printed before RESULT: what happened and where anything went missing. */
export function describeReport(r: SoakReport): string[] {
  const v = r.verdict;
  const lines = [
    `faults: ${r.faults.map((f) => `${f.name} (${f.tookMs} ms${f.error ? `, FAILED: ${f.error}` : ''})`).join('; ')}`,
    `sender: answers ${JSON.stringify(r.statuses)}; 404s on a new source ${JSON.stringify(r.notFound)}; unaccepted ${v.unaccepted}; rejected ${v.rejected}`,
    `archive: ${v.archived}/${v.accepted} archived, ${v.notArchived} missing, ${v.archiveDuplicates} idempotency keys archived twice${v.notArchivedSample.length ? `; missing e.g. ${v.notArchivedSample.join(', ')}` : ''}`,
    `executions: ${v.executions}/${v.accepted} succeeded, ${v.missingExecutions} missing, ${v.duplicateExecutions} (event, agent) pairs with more than one`,
    ...v.subscribers.map(
      (s) =>
        `subscriber ${s.name}: owed ${s.owed}, delivered ${s.delivered}, missing ${s.missing}, duplicates ${s.duplicates}, bad signatures ${s.badSignatures}, unstable webhook-ids ${s.unstableIds}, attempts ${s.attempts}${s.missingSample.length ? `; missing e.g. ${s.missingSample.join(', ')}` : ''}`,
    ),
    `processes exited by themselves: ${r.unexpectedExits}; boots that failed and were retried: ${r.bootFailures}; drain took ${r.drainMs} ms; e2e over ${r.e2eSamples} warm-up webhooks`,
    ...(r.pickup ? [describePickup(r.pickup)] : []),
  ];
  return lines;
}
