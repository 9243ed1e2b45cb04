import { request, type Agent } from 'undici';
import type { OutboundGuard } from './guard';

/** Why an outbound request did not produce a reply the caller may use. */
export type OutboundFailure = 'blocked' | 'too_large' | 'timeout' | 'network';

export class OutboundError extends Error {
  constructor(
    readonly failure: OutboundFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundError';
  }
}

export interface OutboundRequest {
  url: string;
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeoutMs: number;
}

export interface OutboundReply {
  status: number;
  body: Buffer;
}

/**
 * The HTTP client of the agent runners: every connection goes through the OutboundGuard (scheme and IP-literal
 * checks, then one pinned DNS lookup whose addresses are all checked), redirects are never followed (a 3xx is
 * returned as it is), and a reply longer than `maxResponseBytes` is cut off with `too_large`.
 */
export class GuardedHttpClient {
  private readonly agent: Agent;

  constructor(
    readonly guard: OutboundGuard,
    private readonly maxResponseBytes: number,
  ) {
    this.agent = guard.agent({ keepAliveTimeout: 30000, keepAliveMaxTimeout: 60000 });
  }

  async send(req: OutboundRequest): Promise<OutboundReply> {
    let url: URL;
    try {
      url = new URL(req.url);
      this.guard.precheck(url);
    } catch (err) {
      throw new OutboundError('blocked', (err as Error).message, { cause: err });
    }
    let res;
    try {
      res = await request(url, {
        method: req.method ?? 'POST',
        dispatcher: this.agent,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
    } catch (err) {
      throw classify(err, req.signal);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > this.maxResponseBytes) {
          res.body.destroy();
          throw new OutboundError('too_large', `the reply is over ${this.maxResponseBytes} bytes (HOOKHUB_OUTBOUND_MAX_RESPONSE_BYTES); it was cut off`);
        }
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof OutboundError) throw err;
      throw classify(err, req.signal);
    }
    return { status: res.statusCode, body: Buffer.concat(chunks) };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function classify(err: unknown, signal: AbortSignal | undefined): OutboundError {
  if (signal?.aborted) return new OutboundError('timeout', 'aborted at the deadline', { cause: err });
  for (let e = err as { name?: string; code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (e.name === 'SsrfError') return new OutboundError('blocked', e.message ?? 'refused by the outbound guard', { cause: err });
    if (e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') return new OutboundError('timeout', e.message ?? 'timed out', { cause: err });
  }
  return new OutboundError('network', (err as Error)?.message ?? String(err), { cause: err });
}
