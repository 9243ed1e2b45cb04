import dns from 'node:dns';
import { EventEmitter } from 'node:events';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { ErrorKind } from '../domain/retry-policy';
import { signDelivery } from '../domain/signing';
import { parseRetryAfter } from '../domain/retry-policy';
import type { AllowList} from '../domain/ssrf';
import { SsrfError, assertAddresses, assertHostName, isForbiddenAddress, type ResolvedAddress } from '../domain/ssrf';

/** Resolves a host name to every address (the seam tests use to simulate DNS answers). */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) => {
  const all = await dns.promises.lookup(host, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

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

/** The first 4 KiB of a response body as text; reading stops (and the body is dropped) past 64 KiB. */
function readStart(body: Readable): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let read = 0;
    const text = (): string => Buffer.concat(chunks).subarray(0, RESPONSE_KEEP).toString('utf8');
    body.on('data', (chunk: Buffer) => {
      if (read < RESPONSE_KEEP) chunks.push(chunk);
      read += chunk.length;
      if (read > RESPONSE_READ_LIMIT) {
        body.destroy();
        resolve(text());
      }
    });
    body.on('end', () => resolve(text()));
    body.on('error', reject);
  });
}

/**
 * Posts webhooks through one keep-alive undici Agent. The SSRF guard lives in the Agent's `connect.lookup`:
 * the host is resolved once, every address is checked, and the socket connects to exactly those checked
 * addresses (no second lookup, so DNS rebinding fails). IP-literal hosts never reach a lookup and are checked
 * before the request. Redirects are never followed (undici's `request` has no redirect interceptor here).
 */
export class EndpointClient {
  private readonly agent: Agent;
  private readonly checked = new Map<string, URL | Error>();

  constructor(
    private readonly allow: AllowList,
    private readonly resolver: Resolver = systemResolver,
    connections = 128,
  ) {
    this.agent = new Agent({
      connections,
      keepAliveTimeout: 30000,
      keepAliveMaxTimeout: 60000,
      connect: { lookup: (hostname, options, callback) => this.lookup(hostname, options, callback) },
    });
  }

  private lookup(
    hostname: string,
    options: dns.LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void {
    Promise.resolve()
      .then(async () => {
        assertHostName(hostname, this.allow);
        return assertAddresses(hostname, await this.resolver(hostname), this.allow);
      })
      .then(
        (addresses) => {
          const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
          const list = wanted.length ? wanted : addresses;
          if (options.all) callback(null, list.map((a) => ({ address: a.address, family: a.family })));
          else callback(null, (list[0] as ResolvedAddress).address, (list[0] as ResolvedAddress).family);
        },
        (err: NodeJS.ErrnoException) => callback(err, ''),
      );
  }

  /** Checks what can be checked before connecting: scheme, metadata names and IP literals. */
  private precheck(url: URL, httpsOnly: boolean): void {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SsrfError(`scheme ${url.protocol} is not allowed`);
    if (httpsOnly && url.protocol !== 'https:') throw new SsrfError('only https endpoints are allowed');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    assertHostName(host, this.allow);
    if (isIP(host) !== 0 && isForbiddenAddress(host, this.allow)) throw new SsrfError(`address ${host} is private, loopback, link-local or reserved`);
  }

  /** The parsed and prechecked URL (or the refusal), remembered per endpoint: every delivery to it asks again. */
  private checkedUrl(raw: string, httpsOnly: boolean): URL {
    const key = `${httpsOnly ? 's' : 'a'}${raw}`;
    let hit = this.checked.get(key);
    if (!hit) {
      try {
        const url = new URL(raw);
        this.precheck(url, httpsOnly);
        hit = url;
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
   * Signs and sends one attempt. Rejects only when it cannot be signed (no live secret); every failure to
   * reach the endpoint is a result with its `errorKind`.
   */
  async post(req: PostRequest): Promise<PostResult> {
    const body = Buffer.from(req.body, req.bodyEncoding);
    const headers = { ...req.headers, ...signDelivery(req.sign.id, body, req.sign.secrets, new Date(req.sign.at)) };
    return this.postSigned(req.url, body, headers, req.timeoutMs, req.httpsOnly);
  }

  private async postSigned(rawUrl: string, body: Buffer, headers: Record<string, string>, timeoutMs: number, httpsOnly: boolean): Promise<PostResult> {
    const req = { body, headers, timeoutMs };
    const started = performance.now();
    const latency = (): number => Math.round(performance.now() - started);
    try {
      const url = this.checkedUrl(rawUrl, httpsOnly);
      try {
        return await this.send(url, req, latency);
      } catch (err) {
        // A keep-alive socket the server closed just before we wrote is retried once, 10 ms later; every other
        // failure waits for the durable schedule.
        if (classifyError(err) !== 'network') throw err;
        await new Promise((r) => setTimeout(r, 10));
        return await this.send(url, req, latency);
      }
    } catch (err) {
      return { latencyMs: latency(), errorKind: classifyError(err), error: describe(err) };
    }
  }

  /**
   * One request, answered in full within `timeoutMs` or aborted. The abort signal is a plain EventEmitter
   * (undici accepts one) fired by an ordinary timer: `AbortSignal.timeout` costs noticeably more per request.
   */
  private async send(url: URL, req: { body: Buffer; headers: Record<string, string>; timeoutMs: number }, latency: () => number): Promise<PostResult> {
    const signal = new EventEmitter() as EventEmitter & { reason?: Error };
    const timer = setTimeout(() => {
      const reason = new Error(`no complete answer within ${req.timeoutMs} ms`);
      reason.name = 'TimeoutError';
      signal.reason = reason;
      signal.emit('abort');
    }, req.timeoutMs);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: req.headers,
        body: req.body,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        signal,
      });
      const text = await readStart(res.body);
      const status = res.statusCode;
      const out: PostResult = { status, latencyMs: latency(), responseBody: text };
      if (status < 200 || status >= 300) {
        out.errorKind = 'http_status';
        out.error = `endpoint answered ${status}`;
        if (status === 429 || status === 503) {
          const ra = res.headers['retry-after'];
          const parsed = parseRetryAfter(Array.isArray(ra) ? ra[0] : ra);
          if (parsed !== undefined) out.retryAfterMs = parsed;
        }
      }
      return out;
    } finally {
      clearTimeout(timer);
    }
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
