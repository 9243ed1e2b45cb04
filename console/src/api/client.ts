import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

/** Every body the API answers with, named as in the OpenAPI document (e.g. `api.events.event`). */
export type Schemas = components['schemas'];
export type Problem = Schemas['api.common.problem'];
export type Api = Client<paths>;

export const API_BASE = '/api/v1';

/** A non-2xx answer, carrying the API's RFC 9457 problem when there is one. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem ? `${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}` : `HTTP ${status}`);
  }
}

/** A client for /api/v1 whose paths, parameters and bodies are typed by the generated schema. */
export function apiClient(key: string): Api {
  return createClient<paths>({ baseUrl: API_BASE, headers: { Authorization: `Bearer ${key}` } });
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer; a problem (or a network failure) is thrown as an ApiProblem. */
export async function must<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiProblem(response.status, isProblem(error) ? error : undefined);
  return data as T;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/** Bytes the API streams (an export), fetched with the key in the header (never in a URL). */
export async function fetchBlob(key: string, path: string): Promise<Blob> {
  const res = await fetch(`${API_BASE}${path}`, { headers: { Authorization: `Bearer ${key}` } });
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    throw new ApiProblem(res.status, isProblem(body) ? body : undefined);
  }
  return res.blob();
}

/** The operationIds each role may call, read from the document's `x-hookhub-roles` (no copy of the rules here). */
export async function allowedOperations(role: string): Promise<Set<string>> {
  const res = await fetch(`${API_BASE}/openapi.json`);
  if (!res.ok) throw new ApiProblem(res.status, undefined);
  const doc = (await res.json()) as { paths: Record<string, Record<string, { operationId?: string; 'x-hookhub-roles'?: string[] }>> };
  const allowed = new Set<string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      const roles = op['x-hookhub-roles'];
      if (op.operationId && (roles === undefined || roles.includes(role))) allowed.add(op.operationId);
    }
  }
  return allowed;
}
