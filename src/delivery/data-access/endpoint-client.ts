import type { Agent, Dispatcher } from 'undici';
import { ConcurrencyGate } from '../../platform/gate';
import type { AllowList } from '../../platform/outbound/address-policy';
import { OutboundGuard, systemResolver, type Resolver } from '../../platform/outbound/guard';
import type { ErrorKind } from '../domain/retry-policy';
import { signDelivery } from '../domain/signing';
import { parseRetryAfter } from '../domain/retry-policy';

export { systemResolver, type Resolver };

export interface PostRequest {
  url: string;
  /** The body as stored (text and its encoding): decoded to bytes where the request is sent. */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  /** Headers other than the signature ones. */
  headers: Record<string, string>;
  /** Standard Webhooks signing, done where the request is sent: webhook-id, live secrets, time (epoch ms). */
  sign: { id: string; secrets: string[]; at: number };
  timeoutMs: number;
  httpsOnly: boolean;
}

export interface PostResult {
  status?: number;
  latencyMs: number;
  errorKind?: ErrorKind;
  error?: string;
  responseBody?: string;
  retryAfterMs?: number;
}

const RESPONSE_KEEP = 4096;
const RESPONSE_READ_LIMIT = 64 * 1024;

/** A checked endpoint: what undici's dispatch needs, derived once per URL. */
interface Target {
  origin: string;
  path: string;
}

/**
 * Posts webhooks through one keep-alive undici Agent made by the platform's OutboundGuard: the host is resolved
 * once, every address is checked, and the socket connects to exactly those checked addresses (no second
 * lookup, so DNS rebinding fails). IP-literal hosts never reach a lookup and are checked before the request.
 * Redirects are never followed (undici's dispatch has no redirect interceptor here).
 */
export class EndpointClient {
  private readonly agent: Agent;
  private readonly guard: OutboundGuard;
  private readonly checked = new Map<string, Target | Error>();
  private readonly gate: ConcurrencyGate;

  /**
   * `inFlight` caps the requests this client has open at once (every endpoint together); further posts wait
   * their turn here, with their timeout and latency not started yet. `connections` is the keep-alive pool per
   * origin.
   */
  constructor(
    allow: AllowList | readonly string[],
    resolver: Resolver = systemResolver,
    connections = 128,
    inFlight = connections,
  ) {
    this.gate = new ConcurrencyGate(inFlight);
    this.guard = new OutboundGuard(allow, resolver);
    this.agent = this.guard.agent({ connections, keepAliveTimeout: 30000, keepAliveMaxTimeout: 60000 });
  }

  /** The parsed and prechecked URL (or the refusal), remembered per endpoint: every delivery to it asks again. */
  private checkedUrl(raw: string, httpsOnly: boolean): Target {
    const key = `${httpsOnly ? 's' : 'a'}${raw}`;
    let hit = this.checked.get(key);
    if (!hit) {
      try {
        const url = new URL(raw);
        this.guard.precheck(url, httpsOnly);
        hit = { origin: url.origin, path: `${url.pathname}${url.search}` };
      } catch (err) {
        hit = asError(err);
      }
      if (this.checked.size >= 1000) this.checked.clear();
      this.checked.set(key, hit);
    }
    if (hit instanceof Error) throw hit;
    return hit;
  }

  /**
   * Signs and sends one attempt once one of the `inFlight` slots is free. Rejects only when it cannot be signed
   * (no live secret); every failure to reach the endpoint is a result with its `errorKind`.
   */
  post(req: PostRequest): Promise<PostResult> {
    return this.gate.run(() => this.signAndSend(req));
  }

  private async signAndSend(req: PostRequest): Promise<PostResult> {
    const body = Buffer.from(req.body, req.bodyEncoding);
    const headers = { ...req.headers, ...signDelivery(req.sign.id, body, req.sign.secrets, new Date(req.sign.at)) };
    const started = performance.now();
    const latency = (): number => Math.round(performance.now() - started);
    try {
      const target = this.checkedUrl(req.url, req.httpsOnly);
      try {
        return await this.send(target, body, headers, req.timeoutMs, latency);
      } catch (err) {
        // A keep-alive socket the server closed just before we wrote is retried once, 10 ms later; every other
        // failure waits for the durable schedule.
        if (classifyError(err) !== 'network') throw err;
        await new Promise((r) => setTimeout(r, 10));
        return await this.send(target, body, headers, req.timeoutMs, latency);
      }
    } catch (err) {
      return { latencyMs: latency(), errorKind: classifyError(err), error: describe(err) };
    }
  }

  /**
   * One request, answered in full within `timeoutMs` or aborted, through undici's dispatch with a handler of
   * our own: no response stream, no promise per step. The first 4 KiB of the response body are kept; past
   * 64 KiB the response is cut off (the connection is dropped).
   */
  private send(target: Target, body: Buffer, headers: Record<string, string>, timeoutMs: number, latency: () => number): Promise<PostResult> {
    return new Promise<PostResult>((resolve, reject) => {
      let controller: Dispatcher.DispatchController | undefined;
      let done = false;
      let status = 0;
      let retryAfter: string | string[] | undefined;
      const chunks: Buffer[] = [];
      let read = 0;
      const settle = (err?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) {
          reject(err);
          return;
        }
        const kept = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        const out: PostResult = { status, latencyMs: latency(), responseBody: kept.subarray(0, RESPONSE_KEEP).toString('utf8') };
        if (status < 200 || status >= 300) {
          out.errorKind = 'http_status';
          out.error = `endpoint answered ${status}`;
          if (status === 429 || status === 503) {
            const parsed = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
            if (parsed !== undefined) out.retryAfterMs = parsed;
          }
        }
        resolve(out);
      };
      const timer = setTimeout(() => {
        const reason = new Error(`no complete answer within ${timeoutMs} ms`);
        reason.name = 'TimeoutError';
        settle(reason);
        controller?.abort(reason);
      }, timeoutMs);
      try {
        this.agent.dispatch(
          { origin: target.origin, path: target.path, method: 'POST', headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
          {
            onRequestStart: (c) => {
              controller = c;
              if (done) c.abort(new Error('the attempt timed out before it was sent'));
            },
            onResponseStart: (_c, statusCode, responseHeaders) => {
              status = statusCode;
              retryAfter = responseHeaders['retry-after'];
            },
            onResponseData: (c, chunk) => {
              if (read < RESPONSE_KEEP) chunks.push(chunk);
              read += chunk.length;
              if (read > RESPONSE_READ_LIMIT) {
                settle();
                c.abort(new Error('response body past the read limit'));
              }
            },
            onResponseEnd: () => settle(),
            onResponseError: (_c, err) => settle(err),
          },
        );
      } catch (err) {
        settle(asError(err));
      }
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR', 23]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'ENODATA', 'ESERVFAIL']);

/** One place that names a failed attempt's cause (the attempt log's `errorKind`). */
export function classifyError(err: unknown): ErrorKind {
  for (let e = err as { name?: string; code?: string | number; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (e.name === 'SsrfError') return 'ssrf_blocked';
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || (e.code !== undefined && TIMEOUT_CODES.has(e.code))) return 'timeout';
    if (typeof e.code === 'string') {
      if (DNS_CODES.has(e.code)) return 'dns';
      if (e.code === 'ECONNREFUSED') return 'connection_refused';
      if (/^ERR_(TLS|SSL)|CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(e.code)) return 'tls';
    }
    if (typeof e.message === 'string' && /certificate|ssl routines|tls/i.test(e.message)) return 'tls';
  }
  return 'network';
}

function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const m = `${e.message ?? String(e)}${e.code ? ` (${e.code})` : ''}`;
    if (!parts.includes(m)) parts.push(m);
  }
  return parts.join(': ').slice(0, 500);
}

/** Abort reasons are DOMExceptions, which are not `instanceof Error` in every realm (jest): normalise them. */
function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  const e = err as { name?: string; message?: string; code?: unknown };
  const out = new Error(e?.message ?? String(err), { cause: err });
  out.name = e?.name ?? 'Error';
  return out;
}
