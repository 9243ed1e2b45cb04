import winston from 'winston';
import Transport from 'winston-transport';

type Json = Record<string, unknown>;

/** A winston transport that keeps every log line in memory, for tests that assert on logs. */
export class Capture extends Transport {
  readonly lines: Json[] = [];
  override log(info: Json, next: () => void): void {
    this.lines.push(info);
    next();
  }
}

/** A logger writing to `capture` from `level` up. */
export const capturingLogger = (capture: Capture, level = 'info'): winston.Logger => winston.createLogger({ level, transports: [capture] });
