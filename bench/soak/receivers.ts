/**
 * The soak's subscribers: real HTTP servers that verify every request with svix's own `Webhook.verify`, as a
 * subscriber would, and keep their own log (an NDJSON file, one line per attempt) that the checks read. A flaky
 * receiver answers 500 to a share of attempts and never answers another share (the hub's attempt times out).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'svix';

export interface Attempt {
  /** ms since the epoch, when the request's body was complete. */
  at: number;
  webhookId: string;
  executionId?: string;
  eventId?: string;
  agent?: string;
  valid: boolean;
  /** What the receiver answered; 0: it never answered (a timeout on the hub's side). */
  answered: number;
}

export interface Behaviour {
  /** Share of attempts answered 500. */
  failShare: number;
  /** Share of attempts held without an answer until the connection is dropped. */
  hangShare: number;
  /** How long a hung attempt is held (longer than the subscription's timeout). */
  hangMs: number;
}

export const HEALTHY: Behaviour = { failShare: 0, hangShare: 0, hangMs: 0 };

export class SoakReceiver {
  readonly attempts: Attempt[] = [];
  /** First 2xx-answered, validly signed arrival per event id (for the end-to-end latency). */
  readonly firstOkAt = new Map<string, number>();
  private server?: http.Server;
  private readonly log: fs.WriteStream;
  private readonly webhook: Webhook;
  url = '';

  constructor(
    readonly name: string,
    secret: string,
    logFile: string,
    private readonly behaviour: Behaviour = HEALTHY,
    private readonly random: () => number = Math.random,
  ) {
    this.webhook = new Webhook(secret);
    this.log = fs.createWriteStream(logFile, { flags: 'a' });
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    this.server.keepAliveTimeout = 65000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${this.name}`;
    return this;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const at = Date.now();
    const header = (n: string): string => String(req.headers[n] ?? '');
    let parsed: { execution?: { id?: string; eventId?: string; agent?: string } } | undefined;
    let valid = true;
    try {
      parsed = this.webhook.verify(body, { 'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature') }) as typeof parsed;
    } catch {
      valid = false;
    }
    const roll = this.random();
    let answered = 200;
    if (!valid) answered = 400;
    else if (roll < this.behaviour.hangShare) answered = 0;
    else if (roll < this.behaviour.hangShare + this.behaviour.failShare) answered = 500;
    const e = parsed?.execution;
    const attempt: Attempt = { at, webhookId: header('webhook-id'), ...(e?.id ? { executionId: e.id } : {}), ...(e?.eventId ? { eventId: e.eventId } : {}), ...(e?.agent ? { agent: e.agent } : {}), valid, answered };
    this.attempts.push(attempt);
    this.log.write(`${JSON.stringify(attempt)}\n`);
    if (answered === 200 && e?.eventId && !this.firstOkAt.has(e.eventId)) this.firstOkAt.set(e.eventId, at);
    if (answered === 0) {
      setTimeout(() => req.socket.destroy(), this.behaviour.hangMs).unref();
      return;
    }
    res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'no');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}

/** Reads a receiver's own log back (the checks use the file, not the in-memory copy). */
export function readAttempts(logFile: string): Attempt[] {
  if (!fs.existsSync(logFile)) return [];
  return fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Attempt);
}
