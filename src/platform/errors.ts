/**
 * The error catalogue: every error a client can see has a stable `code`, an HTTP status and a title.
 * Responses are RFC 9457 problem+json; anything not in the catalogue becomes a bare 500 that leaks nothing.
 */
import type { FieldError } from './schemas';

export const PROBLEM_BASE = 'https://hookhub.dev/problems/';

export const catalogue = {
  bad_request: { status: 400, title: 'Bad request' },
  json_malformed: { status: 400, title: 'Body is not well-formed JSON' },
  validation_failed: { status: 400, title: 'Request failed validation' },
  outbound_url_forbidden: { status: 400, title: 'The URL points where the hub may not send requests' },
  agent_secret_forbidden: { status: 400, title: 'A runner may not read this environment variable' },
  replay_topic_forbidden: { status: 400, title: 'Replays read inbound topics only' },
  unauthorized: { status: 401, title: 'Missing or invalid credentials' },
  signature_missing: { status: 401, title: 'Webhook signature headers are missing' },
  signature_invalid: { status: 401, title: 'Webhook signature does not verify' },
  timestamp_stale: { status: 401, title: 'Webhook timestamp is outside the tolerance' },
  callback_mismatch: { status: 401, title: 'The callback is signed for another execution' },
  ip_rate_limited: { status: 429, title: 'Too many requests that failed verification from this address' },
  forbidden: { status: 403, title: 'Your role may not do this' },
  task_not_allowed: { status: 403, title: 'This source may not trigger that agent' },
  metrics_unauthorized: { status: 401, title: 'Metrics need the metrics bearer token' },
  not_found: { status: 404, title: 'No such resource' },
  source_unknown: { status: 404, title: 'No such webhook source' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  already_exists: { status: 409, title: 'A resource with this identity already exists' },
  payload_too_large: { status: 413, title: 'Body is over the size limit' },
  precondition_failed: { status: 412, title: 'The resource changed since you read it' },
  unsupported_media_type: { status: 415, title: 'Body must be JSON' },
  schema_violation: { status: 422, title: 'Body does not match the event schema' },
  event_type_unknown: { status: 422, title: 'No schema for this event type' },
  event_type_missing: { status: 422, title: 'Event type could not be read from the request' },
  range_too_large: { status: 422, title: 'Time range has too many buckets for this bucket size' },
  replay_finished: { status: 409, title: 'The replay job has already finished' },
  export_unavailable: { status: 404, title: 'This replay job has no export file' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  kafka_unavailable: { status: 503, title: 'Event log is unavailable; retry later' },
  storage_unavailable: { status: 503, title: 'Storage is unavailable; retry later' },
  not_ready: { status: 503, title: 'Not ready' },
} as const;

export type ErrorCode = keyof typeof catalogue;

export interface ProblemExtras {
  errors?: FieldError[];
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extras: ProblemExtras = {},
    options?: { cause?: unknown },
  ) {
    super(detail ?? catalogue[code].title, options);
    this.name = 'AppError';
    this.status = catalogue[code].status;
    this.title = catalogue[code].title;
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  [key: string]: unknown;
}

export function toProblem(err: unknown, instance?: string): Problem {
  if (err instanceof AppError) {
    const { retryAfterSeconds: _r, ...rest } = err.extras;
    return {
      type: PROBLEM_BASE + err.code,
      title: err.title,
      status: err.status,
      ...(err.detail !== undefined ? { detail: err.detail } : {}),
      code: err.code,
      ...(instance ? { instance } : {}),
      ...rest,
    };
  }
  return { type: PROBLEM_BASE + 'internal', title: catalogue.internal.title, status: 500, code: 'internal', ...(instance ? { instance } : {}) };
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
