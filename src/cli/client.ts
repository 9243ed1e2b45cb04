/**
 * A thin client of the Management API for CLI verbs: base URL from HOOKHUB_URL, key from HOOKHUB_API_KEY.
 * Verbs such as `hookhub agents list` call it instead of reaching into the database, so they see exactly
 * what the API allows their key to see.
 */
import { loadEnv } from '../config/env';

export interface ApiReply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A non-2xx answer; `problem` is the problem+json body when there was one. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Record<string, unknown> | undefined,
  ) {
    super(`${status} ${typeof problem?.code === 'string' ? problem.code : 'error'}${typeof problem?.detail === 'string' ? `: ${problem.detail}` : ''}`);
    this.name = 'ApiRequestError';
  }
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  static fromEnv(source: NodeJS.ProcessEnv = process.env): ApiClient {
    const env = loadEnv(source);
    if (!env.apiKey) throw new Error('set HOOKHUB_API_KEY to an API key (create one with `hookhub keys create --role admin`)');
    return new ApiClient(env.apiUrl, env.apiKey);
  }

  /** `path` is relative to /api/v1 (`/keys?limit=5`) unless it starts with /api/. */
  url(path: string): string {
    const p = path.startsWith('/') ? path : `/${path}`;
    return new URL(p.startsWith('/api/') ? p : `/api/v1${p}`, this.baseUrl).href;
  }

  /** Any answer, successful or not. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiReply> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url(path), { method: method.toUpperCase(), headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    const text = await res.text();
    let body: unknown = text;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text) as unknown;
    return { status: res.status, headers: res.headers, body };
  }

  /** The body of a successful answer; throws ApiRequestError otherwise. */
  async call<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const reply = await this.request(method, path, options);
    if (reply.status >= 400) throw new ApiRequestError(reply.status, typeof reply.body === 'object' && reply.body !== null ? (reply.body as Record<string, unknown>) : undefined);
    return reply.body as T;
  }

  /** Every item of a paginated list, following `nextCursor`. */
  async *items<T>(path: string, query: Record<string, string> = {}): AsyncGenerator<T> {
    let cursor: string | null = null;
    do {
      const qs = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) }).toString();
      const page: { items: T[]; nextCursor: string | null } = await this.call('GET', qs ? `${path}?${qs}` : path);
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}
