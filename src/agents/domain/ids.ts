import { createHash } from 'node:crypto';

/** A uuid-shaped id derived from its parts (version nibble 8: custom), so the same inputs give the same id. */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The id of the one execution of `agent` for event `eventId`: every process and redelivery agrees on it. */
export const executionIdFor = (eventId: string, agent: string): string => derivedId('execution', eventId, agent);

/** The CloudEvent id of an execution's result: stable, so a re-published result can be deduplicated. */
export const resultEventIdFor = (executionId: string, status: string): string => derivedId('result', executionId, status);
