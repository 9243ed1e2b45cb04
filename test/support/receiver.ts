import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Reply {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A real local HTTP endpoint (like svix's TestReceiver): records every request and answers with a reply that
 * a test can flip at any time (`reply = { status: 500 }`), or a function of the request.
 */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  reply: Reply | ((req: ReceivedRequest) => Reply) = { status: 200 };
  /** Requests received and not answered yet, and the most there ever were at once. */
  open = 0;
  maxOpen = 0;
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.maxOpen = Math.max(this.maxOpen, ++this.open);
      res.once('close', () => this.open--);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: ReceivedRequest = { at: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        this.requests.push(r);
        const reply = typeof this.reply === 'function' ? this.reply(r) : this.reply;
        const send = (): void => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'content-type': 'text/plain', ...(reply.headers ?? {}) });
          res.end(reply.body ?? 'ok');
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    this.server.keepAliveTimeout = 60000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests whose webhook-id is the given delivery id (or all, without an id). */
  of(webhookId?: string): ReceivedRequest[] {
    return webhookId ? this.requests.filter((r) => r.headers['webhook-id'] === webhookId) : this.requests;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
