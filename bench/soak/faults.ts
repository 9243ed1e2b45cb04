/**
 * The fault schedule: each step runs once the main phase has gone `at` of its planned length, one after the
 * other (a step that takes long, such as a broker restart, delays the next). A step the load outlives still runs:
 * recovering in-flight work is part of what is tested.
 */
import { sleep } from '../../src/platform/timeout';

export interface FaultStep {
  /** Fraction of the main phase's planned duration. */
  at: number;
  name: string;
  run: () => Promise<void>;
}

export interface FaultRecord {
  name: string;
  startedAt: number;
  tookMs: number;
  error?: string;
}

export async function runSchedule(steps: FaultStep[], startedAt: number, plannedMs: number, log: (msg: string) => void): Promise<FaultRecord[]> {
  const done: FaultRecord[] = [];
  for (const step of [...steps].sort((a, b) => a.at - b.at)) {
    const due = startedAt + step.at * plannedMs;
    if (due > Date.now()) await sleep(due - Date.now());
    const t = Date.now();
    log(`fault: ${step.name} …`);
    try {
      await step.run();
      done.push({ name: step.name, startedAt: t, tookMs: Date.now() - t });
      log(`fault: ${step.name} done in ${Date.now() - t} ms`);
    } catch (err) {
      done.push({ name: step.name, startedAt: t, tookMs: Date.now() - t, error: (err as Error).message });
      log(`fault: ${step.name} FAILED: ${(err as Error).message}`);
    }
  }
  return done;
}
