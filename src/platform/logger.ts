import { AsyncLocalStorage } from 'node:async_hooks';
import winston from 'winston';

/** Correlation ids carried through async work: every log line written inside `withContext` carries them. */
export interface LogContext {
  requestId?: string;
  eventId?: string;
  traceId?: string;
  executionId?: string;
  deliveryId?: string;
  [key: string]: string | undefined;
}

const storage = new AsyncLocalStorage<LogContext>();

export function withContext<T>(ctx: LogContext, fn: () => T): T {
  const parent = storage.getStore();
  return storage.run({ ...parent, ...ctx }, fn);
}

export function currentContext(): LogContext {
  return storage.getStore() ?? {};
}

const addContext = winston.format((info) => {
  const ctx = storage.getStore();
  if (ctx) for (const [k, v] of Object.entries(ctx)) if (v !== undefined && info[k] === undefined) info[k] = v;
  return info;
});

export type Logger = winston.Logger;

export function createLogger(level: string, defaultMeta: Record<string, string> = {}): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { service: 'hookhub', ...defaultMeta },
    format: winston.format.combine(
      addContext(),
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [new winston.transports.Console({ stderrLevels: [] })],
  });
}

/** A logger that writes nothing, for CLI verbs and tests that do not want log noise. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
