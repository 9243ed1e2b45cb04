/**
 * When each catalogued error is answered, for docs/reference/errors.md (`hookhub docs errors --write`).
 * Kept beside the catalogue rather than in it so a title stays a short problem+json `title`; the
 * errors-reference test fails when a code has no note here.
 */
import type { ErrorCode } from './errors';

export const errorNotes: Partial<Record<ErrorCode, string>> = {
  bad_request: 'A webhook body could not be read (the client aborted, or the stream failed).',
  json_malformed: 'A body that should be JSON does not parse: a correctly signed webhook, a Management API body, an agent result callback. A Kafka message that is not JSON goes to the dead-letter topic with this code.',
  validation_failed: 'Path, query or body of a Management API request does not match its JSON Schema, an opaque `cursor` is not one the API issued, or a body key is unsafe (`$…`, containing `.`, `__proto__`). The body lists every failing field in `errors: [{path, message}]`, paths prefixed by the part (`/body/…`, `/query/…`, `/params/…`).',
  outbound_url_forbidden: 'Creating, changing or importing an agent whose runner URL (`url`, `baseUrl`) the outbound guard refuses: a scheme other than http(s), a cloud metadata name, or a host that is (or resolves to) a private, loopback, link-local or reserved address not in `HOOKHUB_OUTBOUND_ALLOW`. `errors` names the field.',
  agent_secret_forbidden: 'An agent names an environment variable its runner may not read: an llm `apiKeyEnv` not listed under `agentSecrets` in hookhub.yaml, or one that is never allowed (`HOOKHUB_*`, `MONGODB_URI`, `KAFKA_BROKERS`, `SVIX_TOKEN`, a webhook secret variable), even when listed.',
  replay_topic_forbidden: 'A replay job names a `topic` that is not an inbound topic (`<prefix>.in.*`): the hub\'s own topics (results, dead letters, replay deliveries) cannot be replayed.',
  unauthorized: 'A Management API call without a valid API key (missing, unknown, malformed or revoked). The answer carries `WWW-Authenticate: Bearer`.',
  signature_missing: 'A webhook (or an agent\'s result callback) lacks the signature headers its verification scheme needs.',
  signature_invalid: 'A webhook signature does not verify against any live secret of the source (or a result callback\'s against its agent\'s runner secret).',
  timestamp_stale: 'A `stripe` or `standard-webhooks` webhook timestamp is outside the source\'s tolerance (default 300 s).',
  forbidden: 'The API key\'s role may not call this operation (see `x-hookhub-roles` in the OpenAPI document).',
  not_found: 'No such resource (agent, source, route, subscription, delivery, execution, document, event, key or replay).',
  source_unknown: '`POST /webhooks/:source` names a source that does not exist or is disabled.',
  method_not_allowed: 'The path exists but not with this method; the answer lists the methods it has in `Allow`.',
  conflict: 'The request conflicts with the current state: a webhook whose idempotency key another request holds and has not finished (`Retry-After: 1`), cancelling or completing an execution that already finished, resending a delivery that is being attempted or was handed to Svix.',
  already_exists: 'Creating a source, route or subscription with an id that is taken.',
  payload_too_large: 'The body passed the size limit (`HOOKHUB_BODY_LIMIT_BYTES` or the source\'s own for webhooks, `HOOKHUB_API_BODY_LIMIT_BYTES` for the API).',
  precondition_failed: '`If-Match` named a version (ETag) that is no longer current: the object changed since it was read.',
  unsupported_media_type: 'The body is not `application/json` (or `+json`), or is compressed.',
  schema_violation: 'A webhook body does not match the JSON Schema of its event type; `errors: [{path, message}]` lists every failing field.',
  event_type_unknown: 'A webhook event type that no schema pattern of the source matches, on a source with `unknownTypes: reject`.',
  event_type_missing: 'The event type could not be read from the webhook (header or JSON pointer absent).',
  range_too_large: 'An analytics query spans more than 2000 buckets of the chosen size.',
  replay_finished: 'Cancelling a replay job that has already finished.',
  export_unavailable: 'Asking for the export file of a replay job that is not an export, or whose file is not on this server.',
  rate_limited: 'Over the token bucket of the API key or the webhook source; `Retry-After` says when to try again.',
  internal: 'An unexpected error. The body says nothing more; the log line with the same `X-Request-Id` does.',
  kafka_unavailable: 'Kafka did not acknowledge the event (acks=all) within `HOOKHUB_KAFKA_ACK_TIMEOUT_MS`; nothing was accepted; `Retry-After`.',
  storage_unavailable: 'MongoDB could not be reached (sources, idempotency keys); nothing was accepted; `Retry-After`.',
  callback_mismatch: 'An agent\'s result callback is signed with a `webhook-id` other than the execution id in its path: a callback captured for one execution cannot complete another.',
  ip_rate_limited: 'Too many webhooks that failed verification (401) came from this client address; `Retry-After` says when to try again. Verified senders are charged only their source\'s own limit.',
  task_not_allowed: 'An `agent.task.requested` event names an agent its source may not trigger (the source\'s `agents` list; only the `api` source may run any agent). The event is archived, nothing runs, and `GET /api/v1/events/{id}` shows the refusal.',
  metrics_unauthorized: '`GET /metrics` without the bearer token set in `HOOKHUB_METRICS_TOKEN`.',
  not_ready: '`GET /readyz` when Kafka or MongoDB does not answer; `failing` names which.',
};
