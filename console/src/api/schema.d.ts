/**
 * Generated from the hub's OpenAPI document by `npm run console:types`. Do not edit.
 */

export interface paths {
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI 3.1 document (no key needed) */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The key making this request and its role */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys, newest first (prefix only) */
        get: operations["listKeys"];
        put?: never;
        /** Create an API key (the key is returned only in this response) */
        post: operations["createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an API key */
        get: operations["getKey"];
        put?: never;
        post?: never;
        /** Revoke an API key (it stops working at once; the record stays for audit) */
        delete: operations["revokeKey"];
        options?: never;
        head?: never;
        /** Rename an API key (honours If-Match) */
        patch: operations["updateKey"];
        trace?: never;
    };
    "/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sources in id order */
        get: operations["listSources"];
        put?: never;
        /**
         * Create a source; webhooks to /webhooks/{id} are accepted within the ingest cache time
         * @description An unsigned source (`verification.scheme: none`, which also needs `allowUnsigned: true`) may be created, changed or enabled by the admin role only. `agents` lists the agents its `agent.task.requested` events may run (default none).
         */
        post: operations["createSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a source (secrets masked) */
        get: operations["getSource"];
        put?: never;
        post?: never;
        /** Delete a source (its archived events stay; a config-file source comes back at the next boot) */
        delete: operations["deleteSource"];
        options?: never;
        head?: never;
        /** Change a source (honours If-Match) */
        patch: operations["updateSource"];
        trace?: never;
    };
    "/sources/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a source (honours If-Match) */
        post: operations["enableSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sources/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a source: its webhooks are answered 404 source_unknown (honours If-Match) */
        post: operations["disableSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List archived events by source, type (exact or `prefix.*`) and time range */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an archived event with its raw body and headers as received
         * @description `refusal` says why nothing ran for an `agent.task.requested` event whose source may not trigger the agent it names (`code` task_not_allowed).
         */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agents in name order, each with its live status */
        get: operations["listAgents"];
        put?: never;
        /** Create an agent (the agents stage picks it up within HOOKHUB_AGENTS_REFRESH_MS) */
        post: operations["createAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an agent with its live status */
        get: operations["getAgent"];
        put?: never;
        post?: never;
        /** Delete an agent (its executions and documents stay; a config-file agent comes back at the next boot) */
        delete: operations["deleteAgent"];
        options?: never;
        head?: never;
        /** Change an agent (honours If-Match) */
        patch: operations["updateAgent"];
        trace?: never;
    };
    "/agents/{name}/input-schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The JSON Schema an agent's run parameters must match (null when it declares none), e.g. to build a form */
        get: operations["getAgentInputSchema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import Markdown agent definitions (all or nothing); an unchanged agent keeps its version */
        post: operations["importAgents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/{name}/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run an agent now: publishes agent.task.requested; 202 with the execution id, or 200 with the finished execution when it ends within ?wait=
         * @description The execution id is derived from the published event id and the agent, so it is known at once; `Location` points at the execution (404 until the agents stage has stored it, usually within a second). With `wait`, the answer is 200 with the execution when it finished within that many seconds (at most 60), else 202.
         */
        post: operations["runAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List executions, newest first, by agent, team, status, event and time range */
        get: operations["listExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an execution with the documents it produced */
        get: operations["getExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/executions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a queued or running execution
         * @description The execution becomes `cancelled` at once and no result is published for it. A runner already running is not interrupted (it may run on another process); when it ends, the agents stage sees the cancellation and keeps it (its result is dropped). Cancelling a finished execution is 409 `conflict`.
         */
        post: operations["cancelExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List documents, newest first, by kind, agent, tag, execution, time range and title text */
        get: operations["listDocuments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/documents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a document */
        get: operations["getDocument"];
        put?: never;
        post?: never;
        /** Delete one version of a document (other versions stay) */
        delete: operations["deleteDocument"];
        options?: never;
        head?: never;
        /** Change the title, tags or metadata of a document (honours If-Match on `revision`) */
        patch: operations["updateDocument"];
        trace?: never;
    };
    "/documents/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every version of the document (same agent and key), newest first */
        get: operations["listDocumentVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/routes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List routes in id order, by agent, source and enabled */
        get: operations["listRoutes"];
        put?: never;
        /** Create a route to an existing agent */
        post: operations["createRoute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/routes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a route */
        get: operations["getRoute"];
        put?: never;
        post?: never;
        /** Delete a route (a config-file route comes back at the next boot) */
        delete: operations["deleteRoute"];
        options?: never;
        head?: never;
        /** Change a route (honours If-Match) */
        patch: operations["updateRoute"];
        trace?: never;
    };
    "/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List subscriptions, newest first */
        get: operations["listSubscriptions"];
        put?: never;
        /** Create a subscription (its signing secret is returned only in this response) */
        post: operations["createSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a subscription (without its secrets) */
        get: operations["getSubscription"];
        put?: never;
        post?: never;
        /** Delete a subscription (honours If-Match); its deliveries stay for audit */
        delete: operations["deleteSubscription"];
        options?: never;
        head?: never;
        /** Change fields of a subscription (honours If-Match) */
        patch: operations["updateSubscription"];
        trace?: never;
    };
    "/subscriptions/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the signing secret: the new one is returned only in this response; the old ones keep signing for the grace period */
        post: operations["rotateSubscriptionSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/subscriptions/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a subscription */
        post: operations["enableSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/subscriptions/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a subscription (matching events are no longer delivered to it) */
        post: operations["disableSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/subscriptions/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the deliveries of a subscription, newest first */
        get: operations["listSubscriptionDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/subscriptions/{id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send again every failed delivery of the subscription created at or after `since` */
        post: operations["recoverSubscriptionDeliveries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deliveries, newest first (without bodies) */
        get: operations["listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a delivery with its body and every attempt */
        get: operations["getDelivery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deliveries/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again now, with a fresh retry schedule and the same webhook-id */
        post: operations["resendDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/replays": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List replay jobs, newest first */
        get: operations["listReplays"];
        put?: never;
        /** Queue a replay job (at most HOOKHUB_REPLAY_RATE events/s); analysts may export, redeliver and reprocess need an operator */
        post: operations["createReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/replays/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a replay job and its progress */
        get: operations["getReplay"];
        put?: never;
        post?: never;
        /** Cancel a replay job (a queued one at once; a running one stops within a second) */
        delete: operations["cancelReplay"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/replays/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stream the NDJSON of an export job, as far as it has checkpointed */
        get: operations["exportReplay"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Executions per agent: counts, success rate, durations, top errors
         * @description The range is [from, to), rounded out to whole minutes. Without `to` it ends now; without `from` it starts 24 hours before `to`, so no parameters at all means the last 24 hours. `from` must not be after `to`; `from` equal to `to` is an empty range. At most 2000 buckets of the chosen size (otherwise 422 `range_too_large`).
         */
        get: operations["agentAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Executions per team
         * @description The range is [from, to), rounded out to whole minutes. Without `to` it ends now; without `from` it starts 24 hours before `to`, so no parameters at all means the last 24 hours. `from` must not be after `to`; `from` equal to `to` is an empty range. At most 2000 buckets of the chosen size (otherwise 422 `range_too_large`).
         */
        get: operations["teamAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Webhooks accepted and rejected per source, type and rejection code
         * @description The range is [from, to), rounded out to whole minutes. Without `to` it ends now; without `from` it starts 24 hours before `to`, so no parameters at all means the last 24 hours. `from` must not be after `to`; `from` equal to `to` is an empty range. At most 2000 buckets of the chosen size (otherwise 422 `range_too_large`).
         */
        get: operations["ingestAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/analytics/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delivery attempts per subscription, latencies, status codes, and the subscriptions failing now
         * @description The range is [from, to), rounded out to whole minutes. Without `to` it ends now; without `from` it starts 24 hours before `to`, so no parameters at all means the last 24 hours. `from` must not be after `to`; `from` equal to `to` is an empty range. At most 2000 buckets of the chosen size (otherwise 422 `range_too_large`).
         */
        get: operations["deliveryAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consumers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This hub's consumer groups with their lag per topic and partition (read from Kafka now) */
        get: operations["listConsumerLag"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * OpenApiDocument
         * @description This API's OpenAPI 3.1 document.
         */
        "api.meta.openapi": {
            openapi: string;
            info: Record<string, unknown>;
            paths: Record<string, unknown>;
        };
        /**
         * Problem
         * @description RFC 9457 problem details with a stable `code`.
         */
        "api.common.problem": {
            /** @description URI naming the problem type. */
            type: string;
            title: string;
            status: number;
            detail?: string;
            /** @description Stable machine-readable code, e.g. `validation_failed`. */
            code: string;
            instance?: string;
            /** @description Field errors, with JSON-pointer paths prefixed by the request part (`/body/name`, `/query/limit`). */
            errors?: {
                path: string;
                message: string;
            }[];
        };
        /**
         * Me
         * @description The key making the request.
         */
        "api.meta.me": {
            keyId: string;
            name: string;
            role: components["schemas"]["api.common.role"];
        };
        /**
         * CreatedApiKey
         * @description A new key. `key` is shown only in this response; store it now.
         */
        "api.keys.created": {
            key: string;
            apiKey: components["schemas"]["api.keys.key"];
        };
        /** CreateApiKey */
        "api.keys.create-request": {
            role: components["schemas"]["api.common.role"];
            /** @description Label shown in listings; defaults to the key id. */
            name?: string;
        };
        /** Pagination parameters */
        "api.common.page": {
            $defs: {
                /**
                 * @description Page size (1–200, default 50).
                 * @default 50
                 */
                limit: number;
                /** @description `nextCursor` of the previous page. Lists in time order use `<milliseconds>.<base64url id>` (the time and id of the last item shown); any value of this form is accepted and lists the items after it. */
                cursor: string;
                /** @description Pass as `cursor` to get the next page; null on the last page. */
                nextCursor: string | null;
                /** @description `nextCursor` of the previous page. Lists in id or name order use the base64url of the last id shown; any value of this form is accepted and lists the items after it. */
                idCursor: string;
            };
        };
        /**
         * Role
         * @description admin: everything, including keys. operator: manage agents, sources, routes, subscriptions, executions, documents, deliveries. analyst: read everything but keys, plus replays and analytics.
         * @enum {unknown}
         */
        "api.common.role": "admin" | "operator" | "analyst";
        /** ApiKeyPage */
        "api.keys.list": {
            items: components["schemas"]["api.keys.key"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /**
         * ApiKey
         * @description An API key as stored: its prefix only, never the key or its hash.
         */
        "api.keys.key": {
            id: string;
            name: string;
            role: components["schemas"]["api.common.role"];
            /** @description First characters of the key, to tell keys apart. */
            prefix: string;
            /** Format: date-time */
            createdAt: string;
            /** @description Id of the key that created it, or `cli`. */
            createdBy: string;
            /**
             * Format: date-time
             * @description Refreshed at most once a minute.
             */
            lastUsedAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
            /** @description Incremented on each change; sent as the ETag. */
            version: number;
        };
        /** UpdateApiKey */
        "api.keys.update-request": {
            name: string;
        };
        /** SourcePage */
        "api.sources.list": {
            items: components["schemas"]["api.sources.source"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /**
         * Source
         * @description An external service that sends webhooks to POST /webhooks/{id}.
         */
        "config.source": {
            /** @description Slug; the URL path segment and topic suffix. */
            id: string;
            description?: string;
            /** @default true */
            enabled: boolean;
            verification: {
                /** @enum {unknown} */
                scheme: "standard-webhooks" | "github" | "stripe" | "hmac-sha256" | "none";
                /** @description Live secrets; any of them verifies. */
                secrets?: string[];
                /** @description hmac-sha256: header that carries the signature. */
                header?: string;
                /**
                 * @description hmac-sha256: signature encoding.
                 * @enum {unknown}
                 */
                encoding?: "hex" | "base64";
                /** @description hmac-sha256: prefix before the signature, e.g. 'sha256='. */
                prefix?: string;
                toleranceSeconds?: number;
                /** @description Required (true) with scheme none: anyone who can reach the URL can then publish events. Setting it through the API needs the admin role. */
                allowUnsigned?: boolean;
            };
            eventType?: {
                header?: string;
                pointer?: string;
                /** @description Prepended to the value read, e.g. 'github.'. */
                prefix?: string;
                /** @description A fixed event type for sources that send one kind only. */
                fixed?: string;
            };
            idempotencyKey?: components["schemas"]["config.source"]["$defs"]["locator"];
            partitionKey?: components["schemas"]["config.source"]["$defs"]["locator"];
            topic?: string;
            schemas?: {
                type: string;
                schema: string;
            }[];
            /**
             * @default accept
             * @enum {unknown}
             */
            unknownTypes: "reject" | "accept";
            bodyLimitBytes?: number;
            rateLimit?: {
                perSecond: number;
                burst?: number;
            };
            /** @description Agents an agent.task.requested event from this source may run (by name). Default none: such events are archived and refused. */
            agents?: string[];
            $defs: {
                locator: {
                    header?: string;
                    pointer?: string;
                };
            };
        };
        /**
         * Source
         * @description A webhook source as stored. Secrets are never shown: only how many there are and the last 4 characters of each.
         */
        "api.sources.source": {
            id: string;
            description?: string;
            enabled: boolean;
            verification: {
                /** @enum {unknown} */
                scheme: "standard-webhooks" | "github" | "stripe" | "hmac-sha256" | "none";
                secretCount: number;
                /** @description `…` + the last 4 characters of each secret. */
                secretHints: string[];
                header?: string;
                /** @enum {unknown} */
                encoding?: "hex" | "base64";
                prefix?: string;
                toleranceSeconds?: number;
                allowUnsigned?: boolean;
            };
            eventType?: components["schemas"]["config.source"]["eventType"];
            idempotencyKey?: components["schemas"]["config.source"]["$defs"]["locator"];
            partitionKey?: components["schemas"]["config.source"]["$defs"]["locator"];
            /** @description The Kafka topic its events go to. */
            topic: string;
            schemas?: components["schemas"]["config.source"]["schemas"];
            /** @enum {unknown} */
            unknownTypes?: "reject" | "accept";
            bodyLimitBytes?: number;
            rateLimit?: components["schemas"]["config.source"]["rateLimit"];
            agents?: components["schemas"]["config.source"]["agents"];
            /** @description Path webhooks are POSTed to. */
            url: string;
            /**
             * @description `config`: from hookhub.yaml (re-applied at each boot); `api`: made or last changed through the API.
             * @enum {unknown}
             */
            origin: "config" | "api";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            version: number;
        };
        /**
         * CreateSource
         * @description A source as in hookhub.yaml. The id `api` is reserved (the API's own task events); `topic` must be one of this hub's inbound topics (see SourceTopic). Secrets: a signing scheme other than `none` needs at least one (scheme `none` needs `allowUnsigned: true` instead, and the admin role), and `standard-webhooks` secrets are `whsec_<base64>`. Every `schemas[].schema` must name a schema this hub loaded from schemas/.
         */
        "api.sources.create-request": components["schemas"]["config.source"] & {
            topic?: components["schemas"]["api.sources.topic"];
            /** @description `api` is reserved. */
            id?: unknown;
        };
        /**
         * UpdateSource
         * @description The fields to change; each one sent replaces the stored one. `verification` without `secrets` keeps the stored secrets when the scheme stays the same. Secrets: a signing scheme other than `none` needs at least one (scheme `none` needs `allowUnsigned: true` instead, and the admin role), and `standard-webhooks` secrets are `whsec_<base64>`. Every `schemas[].schema` must name a schema this hub loaded from schemas/.
         */
        "api.sources.update-request": {
            description?: components["schemas"]["config.source"]["description"];
            enabled?: boolean;
            verification?: components["schemas"]["config.source"]["verification"];
            eventType?: components["schemas"]["config.source"]["eventType"];
            idempotencyKey?: components["schemas"]["config.source"]["$defs"]["locator"];
            partitionKey?: components["schemas"]["config.source"]["$defs"]["locator"];
            topic?: components["schemas"]["api.sources.topic"];
            schemas?: components["schemas"]["config.source"]["schemas"];
            /** @enum {unknown} */
            unknownTypes?: "reject" | "accept";
            bodyLimitBytes?: components["schemas"]["config.source"]["bodyLimitBytes"];
            rateLimit?: components["schemas"]["config.source"]["rateLimit"];
            agents?: components["schemas"]["config.source"]["agents"];
        };
        /** EventPage */
        "api.events.list": {
            items: components["schemas"]["api.events.summary"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /**
         * Event
         * @description An archived inbound event with the body and the Kafka headers exactly as received.
         */
        "api.events.event": {
            id: string;
            source: string;
            type: string;
            /**
             * Format: date-time
             * @description When ingest received it.
             */
            time: string;
            /** Format: date-time */
            archivedAt?: string;
            traceparent?: string;
            idempotencyKey?: string;
            partitionKey?: string;
            contentType: string;
            topic: string;
            partition: number;
            offset: number;
            bodyBytes: number;
            /** @description The Kafka message headers (CloudEvent attributes and extensions), in order. */
            headers: {
                name: string;
                value: string;
            }[];
            /** @description The exact bytes received: UTF-8 text, or base64 when `bodyEncoding` is base64. */
            body: string;
            /** @enum {unknown} */
            bodyEncoding: "utf8" | "base64";
            /** @description Present when ingest refused what the event asked for, so nothing ran: an agent.task.requested event whose source does not list the agent (code task_not_allowed). */
            refusal?: {
                code: string;
                detail: string;
            };
        };
        /** AgentPage */
        "api.agents.list": {
            items: components["schemas"]["api.agents.agent"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /**
         * Agent
         * @description An agent that events can be routed to.
         */
        "config.agent": {
            name: string;
            team?: string;
            description?: string;
            /** @description How the agent runs; settings depend on kind. */
            runner: components["schemas"]["config.agent"]["$defs"]["http"] | components["schemas"]["config.agent"]["$defs"]["command"] | components["schemas"]["config.agent"]["$defs"]["llm"] | components["schemas"]["config.agent"]["$defs"]["builtin"];
            /** @description Name of a JSON Schema under schemas/ (e.g. agents/user-story-input) the mapped input must match. */
            inputSchema?: string;
            instructions?: string;
            timeoutMs?: number;
            maxConcurrency?: number;
            retry?: {
                retries?: number;
                minTimeoutMs?: number;
                maxTimeoutMs?: number;
            };
            enabled?: boolean;
            tools?: string[];
            $defs: {
                http: {
                    /** @constant */
                    kind: "http";
                    url: string;
                    secret: string;
                    headers?: {
                        [key: string]: string;
                    };
                };
                command: {
                    /** @constant */
                    kind: "command";
                    command: string;
                    args?: string[];
                    cwd?: string;
                    env?: string[];
                    setEnv?: {
                        [key: string]: string;
                    };
                    killGraceMs?: number;
                };
                llm: {
                    /** @constant */
                    kind: "llm";
                    baseUrl: string;
                    model: string;
                    apiKeyEnv?: string;
                    temperature?: number;
                    maxTokens?: number;
                    documentKind?: string;
                };
                builtin: {
                    /** @constant */
                    kind: "builtin";
                    /** @enum {unknown} */
                    name: "echo" | "template";
                    document?: {
                        kind: string;
                        title: string;
                        body: string;
                        mimeType?: string;
                        tags?: string[];
                        key?: string;
                    };
                };
            };
        };
        /**
         * Agent
         * @description An agent with its live status. Runner secrets are masked (last 4 characters).
         */
        "api.agents.agent": {
            name: string;
            team?: string;
            description?: string;
            /** @description Runner settings as stored, with `secret`, header values and `setEnv` values masked. */
            runner: {
                /** @enum {unknown} */
                kind: "http" | "command" | "llm" | "builtin";
            };
            inputSchema?: string;
            instructions?: string;
            timeoutMs?: number;
            maxConcurrency?: number;
            retry?: components["schemas"]["config.agent"]["retry"];
            enabled: boolean;
            tools: string[];
            /**
             * @description Where it came from: hookhub.yaml, the API, or a Markdown import.
             * @enum {unknown}
             */
            source: "config" | "api" | "import";
            version: number;
            /** Format: date-time */
            updatedAt: string;
            status: {
                /** @description Executions running now. */
                running: number;
                /** Format: date-time */
                lastRunAt?: string;
                /** @enum {unknown} */
                lastOutcome?: "succeeded" | "failed" | "timed_out" | "cancelled";
                lastExecutionId?: string;
                /** @description Finished executions by outcome. */
                counts: {
                    [key: string]: number;
                };
            };
        };
        /**
         * AgentInputSchema
         * @description The schema named by the agent's `inputSchema` (the document under schemas/), which run parameters must match.
         */
        "api.agents.input-schema": {
            agent: string;
            /** @description The schema's name, e.g. agents/user-story-input. */
            inputSchema: string | null;
            /** @description The JSON Schema document itself. */
            schema: Record<string, unknown> | null;
        };
        /**
         * CreateAgent
         * @description An agent as in hookhub.yaml. Through the API, `command` runners are refused (they run programs on the hub's hosts: put them in hookhub.yaml) and an `llm` runner's `apiKeyEnv` must name a variable ending in `API_KEY`. `inputSchema` must name a schema this hub loaded from schemas/ (e.g. `agents/user-story-input`); any other name is refused with 400.
         */
        "api.agents.create-request": components["schemas"]["config.agent"];
        /**
         * UpdateAgent
         * @description The fields to change; each one sent replaces the stored one. `runner` is replaced as a whole (send its secret again). `inputSchema` must name a schema this hub loaded from schemas/ (e.g. `agents/user-story-input`); any other name is refused with 400.
         */
        "api.agents.update-request": {
            team?: components["schemas"]["config.agent"]["team"];
            description?: components["schemas"]["config.agent"]["description"];
            runner?: components["schemas"]["config.agent"]["runner"];
            inputSchema?: components["schemas"]["config.agent"]["inputSchema"];
            instructions?: components["schemas"]["config.agent"]["instructions"];
            timeoutMs?: components["schemas"]["config.agent"]["timeoutMs"];
            maxConcurrency?: components["schemas"]["config.agent"]["maxConcurrency"];
            retry?: components["schemas"]["config.agent"]["retry"];
            enabled?: components["schemas"]["config.agent"]["enabled"];
            tools?: components["schemas"]["config.agent"]["tools"];
        };
        /** ImportedAgents */
        "api.agents.import-result": {
            agents: {
                name: string;
                version: number;
                /** @description false when the stored agent was already the same. */
                changed: boolean;
                /** @description Front matter keys hookhub does not know. */
                ignored: string[];
            }[];
        };
        /**
         * ImportAgents
         * @description Markdown agent definitions: a YAML front matter block (the document starts with a `---` line, the mapping, then a closing `---` line) with name, team, description, runner, tools, …, and a body that becomes the instructions. Each definition must then be a valid agent (schemas/config/agent.json) under the same rules as POST /agents: no `command` runners, an `llm` runner's `apiKeyEnv` ends in `API_KEY`, and `inputSchema` names a schema this hub loaded. `${ENV}` references are NOT expanded through the API. All or nothing: one invalid definition imports none.
         */
        "api.agents.import-request": {
            documents: {
                /** @description The file's text, starting with the YAML front matter block. */
                markdown: string;
                /** @description Used for the name when the front matter has none. */
                filename?: string;
            }[];
        };
        /** ExecutionSummary */
        "api.executions.summary": {
            id: string;
            agent: string;
            team?: string;
            /** @enum {unknown} */
            status: "queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled";
            attempts: number;
            eventId: string;
            eventType: string;
            /** @description The event that caused it: CloudEvent attributes and Kafka coordinates. */
            event: Record<string, unknown>;
            task?: string;
            route?: string;
            input?: unknown;
            output?: unknown;
            error?: {
                code: string;
                message: string;
            };
            usage?: Record<string, unknown>;
            exitCode?: number;
            stderr?: string;
            replay?: boolean;
            replayOf?: string;
            /** @description The id of the result event a finished execution published on hookhub.results; its deliveries are listed with `GET /deliveries?event=`. */
            resultEventId?: string;
            /** Format: date-time */
            queuedAt: string;
            /** Format: date-time */
            startedAt?: string;
            /** Format: date-time */
            finishedAt?: string;
            durationMs?: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            documents: components["schemas"]["api.documents.ref"][];
        };
        /**
         * AgentRunAccepted
         * @description The task was published. `executionId` is known up front (derived from the event id and the agent); poll `location` (404 until the agents stage has picked the event up, usually within a second).
         */
        "api.agents.run-accepted": {
            executionId: string;
            eventId: string;
            agent: string;
            /** @enum {unknown} */
            status: "requested" | "queued" | "running";
            location: string;
        };
        /** RunAgent */
        "api.agents.run-request": {
            task: components["schemas"]["hookhub.agent.task.requested"]["task"];
            /** @description The agent's input (checked against its inputSchema by the agents stage). */
            parameters?: Record<string, unknown>;
            callback?: components["schemas"]["hookhub.agent.task.requested"]["callback"];
        };
        /** ExecutionPage */
        "api.executions.list": {
            items: components["schemas"]["api.executions.summary"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /**
         * Execution
         * @description An execution with the documents it produced.
         */
        "api.executions.execution": {
            id: string;
            agent: string;
            team?: string;
            /** @enum {unknown} */
            status: "queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled";
            attempts: number;
            eventId: string;
            eventType: string;
            /** @description The event that caused it: CloudEvent attributes and Kafka coordinates. */
            event: Record<string, unknown>;
            task?: string;
            route?: string;
            input?: unknown;
            output?: unknown;
            error?: {
                code: string;
                message: string;
            };
            usage?: Record<string, unknown>;
            exitCode?: number;
            stderr?: string;
            replay?: boolean;
            replayOf?: string;
            /** @description The id of the result event a finished execution published on hookhub.results; its deliveries are listed with `GET /deliveries?event=`. */
            resultEventId?: string;
            /** Format: date-time */
            queuedAt: string;
            /** Format: date-time */
            startedAt?: string;
            /** Format: date-time */
            finishedAt?: string;
            durationMs?: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            documents: components["schemas"]["api.documents.document"][];
        };
        /** DocumentPage */
        "api.documents.list": {
            items: components["schemas"]["api.documents.document"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /**
         * Document
         * @description Something an agent produced. `version` counts versions of the same (agent, key); `revision` counts metadata edits and is the ETag.
         */
        "api.documents.document": {
            id: string;
            kind: string;
            title: string;
            body?: string;
            url?: string;
            mimeType?: string;
            agent: string;
            executionId: string;
            eventId: string;
            tags: string[];
            metadata?: Record<string, unknown>;
            key?: string;
            version: number;
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt?: string;
        };
        /**
         * DocumentVersions
         * @description Every version of the document's (agent, key), newest first; just the document when it has no key.
         */
        "api.documents.versions": {
            items: components["schemas"]["api.documents.document"][];
        };
        /**
         * UpdateDocument
         * @description Metadata only (the content an agent wrote is kept as written). Each field sent replaces the stored one.
         */
        "api.documents.update-request": {
            title?: string;
            tags?: string[];
            metadata?: Record<string, unknown>;
        };
        /** RoutePage */
        "api.routes.list": {
            items: components["schemas"]["api.routes.route"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /**
         * Route
         * @description Sends matching events to an agent.
         */
        "config.route": {
            id: string;
            /** @description Source id; absent matches every source. */
            source?: string;
            /** @description Pattern; '*' matches one dot-separated segment or more at the end, e.g. github.issues.* */
            eventType: string;
            /** @description { <JSON pointer into the body>: expected value }; all must be equal. */
            filter?: {
                [key: string]: string | number | boolean;
            };
            agent: string;
            task?: string;
            /** @description Input mapping. Each string value: starting with '/' = JSON pointer into the event body; containing '{{' = handlebars template over {event, data}; otherwise a literal. Nested objects and arrays are mapped recursively. Absent: the input is the event body. */
            input?: Record<string, unknown>;
            enabled?: boolean;
        };
        /** Route */
        "api.routes.route": {
            id: string;
            source?: string;
            eventType: string;
            filter?: Record<string, unknown>;
            agent: string;
            task?: string;
            input?: Record<string, unknown>;
            enabled: boolean;
            /** @enum {unknown} */
            origin: "config" | "api" | "import";
            version: number;
            /** Format: date-time */
            updatedAt: string;
        };
        /** CreateRoute */
        "api.routes.create-request": components["schemas"]["config.route"];
        /**
         * UpdateRoute
         * @description The fields to change; each one sent replaces the stored one.
         */
        "api.routes.update-request": {
            source?: components["schemas"]["config.route"]["source"];
            eventType?: components["schemas"]["config.route"]["eventType"];
            filter?: components["schemas"]["config.route"]["filter"];
            agent?: components["schemas"]["config.route"]["agent"];
            task?: components["schemas"]["config.route"]["task"];
            input?: components["schemas"]["config.route"]["input"];
            enabled?: components["schemas"]["config.route"]["enabled"];
        };
        /**
         * SubscriptionWithSecret
         * @description The subscription and its signing secret. `secret` is shown only in this response; store it now.
         */
        "api.subscriptions.secret": {
            secret: string;
            subscription: components["schemas"]["api.subscriptions.subscription"];
        };
        /**
         * CreateSubscription
         * @description A new subscription. The secret is generated when absent and returned once, in the response.
         */
        "api.subscriptions.create-request": {
            /** @description Generated (`sub-…`) when absent. */
            id?: components["schemas"]["config.subscription"]["id"];
            secret?: components["schemas"]["config.subscription"]["secret"];
            url: components["schemas"]["config.subscription"]["url"];
            eventTypes: components["schemas"]["config.subscription"]["eventTypes"];
            filter?: components["schemas"]["config.subscription"]["filter"];
            headers?: components["schemas"]["config.subscription"]["headers"];
            rateLimitPerSecond?: components["schemas"]["config.subscription"]["rateLimitPerSecond"];
            ordered?: components["schemas"]["config.subscription"]["ordered"];
            enabled?: components["schemas"]["config.subscription"]["enabled"];
            description?: components["schemas"]["config.subscription"]["description"];
            retrySchedule?: components["schemas"]["config.subscription"]["retrySchedule"];
            timeoutMs?: components["schemas"]["config.subscription"]["timeoutMs"];
            httpsOnly?: components["schemas"]["config.subscription"]["httpsOnly"];
        };
        /** SubscriptionPage */
        "api.subscriptions.list": {
            items: components["schemas"]["api.subscriptions.subscription"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /**
         * Subscription
         * @description An endpoint that receives signed callbacks for matching events.
         */
        "config.subscription": {
            id: string;
            /** Format: uri */
            url: string;
            eventTypes: string[];
            filter?: {
                [key: string]: string | number | boolean;
            };
            /** @description whsec_ + base64 of 24-64 random bytes; generated when absent. */
            secret?: string;
            headers?: {
                [key: string]: string;
            };
            rateLimitPerSecond?: number;
            ordered?: boolean;
            enabled?: boolean;
            description?: string;
            /** @description Delays before each attempt, e.g. ["0", "5s", "5m"]. */
            retrySchedule?: string[];
            timeoutMs?: number;
            httpsOnly?: boolean;
        };
        /**
         * Subscription
         * @description A subscription without its secrets (those are shown once, on create and rotate).
         */
        "api.subscriptions.subscription": {
            id: string;
            url: components["schemas"]["config.subscription"]["url"];
            eventTypes: components["schemas"]["config.subscription"]["eventTypes"];
            filter?: components["schemas"]["config.subscription"]["filter"];
            headers?: components["schemas"]["config.subscription"]["headers"];
            rateLimitPerSecond?: components["schemas"]["config.subscription"]["rateLimitPerSecond"];
            ordered: components["schemas"]["config.subscription"]["ordered"];
            enabled: components["schemas"]["config.subscription"]["enabled"];
            description?: components["schemas"]["config.subscription"]["description"];
            retrySchedule?: components["schemas"]["config.subscription"]["retrySchedule"];
            timeoutMs?: components["schemas"]["config.subscription"]["timeoutMs"];
            httpsOnly?: components["schemas"]["config.subscription"]["httpsOnly"];
            /**
             * Format: date-time
             * @description First failed attempt of the current run of failures.
             */
            failingSince?: string;
            disabledReason?: string;
            /** Format: date-time */
            disabledAt?: string;
            /** @enum {unknown} */
            origin: "config" | "api";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description How many secrets sign deliveries now. */
            secretsLive: number;
            /** @description True while a rotated-out secret still signs alongside the new one. */
            rotating: boolean;
            /** @description Changes on every update (milliseconds of updatedAt); sent as the ETag. */
            version: number;
        };
        /**
         * UpdateSubscription
         * @description Fields to replace; the others keep their values. The secret changes only by rotation.
         */
        "api.subscriptions.update-request": {
            url?: components["schemas"]["config.subscription"]["url"];
            eventTypes?: components["schemas"]["config.subscription"]["eventTypes"];
            filter?: components["schemas"]["config.subscription"]["filter"];
            headers?: components["schemas"]["config.subscription"]["headers"];
            rateLimitPerSecond?: components["schemas"]["config.subscription"]["rateLimitPerSecond"];
            ordered?: components["schemas"]["config.subscription"]["ordered"];
            enabled?: components["schemas"]["config.subscription"]["enabled"];
            description?: components["schemas"]["config.subscription"]["description"];
            retrySchedule?: components["schemas"]["config.subscription"]["retrySchedule"];
            timeoutMs?: components["schemas"]["config.subscription"]["timeoutMs"];
            httpsOnly?: components["schemas"]["config.subscription"]["httpsOnly"];
        };
        /**
         * DeliveryStatus
         * @description pending: waiting for its next attempt; delivering: being attempted; succeeded; failed: out of attempts; forwarded: handed to Svix.
         * @enum {unknown}
         */
        "api.deliveries.status": "pending" | "delivering" | "succeeded" | "failed" | "forwarded";
        /** DeliveryPage */
        "api.deliveries.list": {
            items: components["schemas"]["api.deliveries.summary"][];
            nextCursor: components["schemas"]["api.common.page"]["$defs"]["nextCursor"];
        };
        /** RecoveredDeliveries */
        "api.subscriptions.recovered": {
            /** @description How many failed deliveries were queued again. */
            recovered: number;
        };
        /** RecoverDeliveries */
        "api.subscriptions.recover-request": {
            /**
             * Format: date-time
             * @description Failed deliveries created at or after this time are sent again.
             */
            since: string;
        };
        /**
         * Delivery
         * @description A delivery with the body it sends and every attempt.
         */
        "api.deliveries.delivery": {
            id: string;
            eventId: string;
            eventType: string;
            eventSource: string;
            subscriptionId: string;
            status: components["schemas"]["api.deliveries.status"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            nextAttemptAt?: string;
            /** Format: date-time */
            finishedAt?: string;
            attemptCount: number;
            lastStatus?: number;
            lastError?: string;
            trigger: string;
            svixMessageId?: string;
            /** @description The event body as received (utf8, or base64 when not valid UTF-8). */
            body: string;
            /** @enum {unknown} */
            bodyEncoding: "utf8" | "base64";
            contentType: string;
            attempts: {
                /** Format: date-time */
                at: string;
                /** @description HTTP status when a response arrived. */
                status?: number;
                latencyMs: number;
                errorKind?: string;
                error?: string;
                /** @description First 4 KiB of the response body. */
                responseBody?: string;
                /** Format: date-time */
                nextAttemptAt?: string;
                /** @description schedule, resend or recover */
                trigger: string;
            }[];
        };
        /**
         * Replay
         * @description A replay job and its progress.
         */
        "api.replays.replay": {
            id: string;
            source: string | null;
            topic: string;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            types: string[];
            /** @enum {unknown} */
            mode: "export" | "redeliver" | "reprocess";
            subscriptionId: string | null;
            ratePerSecond: number;
            status: components["schemas"]["api.replays.status"];
            cancelRequested: boolean;
            counts: {
                read: number;
                matched: number;
                emitted: number;
                skipped: number;
                executionsStarted: number;
            };
            progress: {
                store: string;
                partition: number;
                start: number;
                end: number | null;
                position: number;
            }[];
            /** @description Events per second of the latest checkpoint. */
            rate: number;
            usedSources: {
                kafka: number;
                archive: number;
            };
            error: string | null;
            /** @description Id of the API key that created the job. */
            createdBy: string | null;
            export: null | {
                bytes: number;
                href: string;
            };
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
        };
        /**
         * CreateReplay
         * @description A replay of one source (topic <prefix>.in.<source>) or one topic over [from, to), optionally filtered by event-type patterns. Give exactly one of `source` or `topic`; `subscriptionId` is required with mode `redeliver`; `from` must not be after `to` (`from` equal to `to` replays nothing).
         */
        "api.replays.create-request": {
            source?: string;
            topic?: string;
            from: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
            to: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
            /** @description event-type patterns such as github.push or github.issues.* */
            types?: string[];
            /** @enum {unknown} */
            mode: "export" | "redeliver" | "reprocess";
            subscriptionId?: string;
            /** @description capped at HOOKHUB_REPLAY_RATE */
            ratePerSecond?: number;
        } & ({
            source: unknown;
        } | {
            topic: unknown;
        });
        /**
         * ReplayStatus
         * @enum {unknown}
         */
        "api.replays.status": "queued" | "running" | "succeeded" | "failed" | "cancelled";
        /**
         * ReplayList
         * @description The newest jobs first.
         */
        "api.replays.list": {
            items: components["schemas"]["api.replays.replay"][];
        };
        /**
         * ReplayExport
         * @description Newline-delimited JSON: one replayed event per line, as far as the job has checkpointed (header X-Replay-Status gives the job's state).
         */
        "api.replays.export": string;
        /** Time parameters */
        "api.common.time": {
            $defs: {
                /** @description An instant: an ISO 8601 date (`2026-11-01`, midnight UTC), a date and time (`2026-11-01T08:30Z`; seconds and fractions optional; give `Z` or an offset, without one the server's time zone applies), or epoch milliseconds (`1764633600000`). */
                timestamp: string;
            };
        };
        /**
         * AgentAnalytics
         * @description Executions per agent over [from, to): totals, a series per bucket, and a row per agent (busiest first).
         */
        "api.analytics.agents-report": {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            bucket: components["schemas"]["api.analytics.stats"]["$defs"]["bucket"];
            totals: components["schemas"]["api.analytics.stats"]["$defs"]["execution"];
            series: components["schemas"]["api.analytics.stats"]["$defs"]["executionBucket"][];
            agents: components["schemas"]["api.analytics.stats"]["$defs"]["agent"][];
        };
        /**
         * TeamAnalytics
         * @description Executions per team over [from, to).
         */
        "api.analytics.teams-report": {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            bucket: components["schemas"]["api.analytics.stats"]["$defs"]["bucket"];
            totals: components["schemas"]["api.analytics.stats"]["$defs"]["execution"];
            series: components["schemas"]["api.analytics.stats"]["$defs"]["executionBucket"][];
            teams: components["schemas"]["api.analytics.stats"]["$defs"]["team"][];
        };
        /**
         * IngestAnalytics
         * @description Webhooks accepted and rejected over [from, to), per source, event type and rejection code.
         */
        "api.analytics.ingest-report": {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            bucket: components["schemas"]["api.analytics.stats"]["$defs"]["bucket"];
            totals: {
                accepted: number;
                rejected: number;
            };
            series: {
                /** Format: date-time */
                start: string;
                accepted: number;
                rejected: number;
            }[];
            sources: {
                source: string;
                accepted: number;
                rejected: number;
            }[];
            types: {
                source: string;
                type: string;
                accepted: number;
                rejected: number;
            }[];
            rejectionCodes: {
                source: string;
                code: string;
                rejected: number;
            }[];
        };
        /**
         * DeliveryAnalytics
         * @description Delivery attempts over [from, to) per subscription, and the subscriptions failing now.
         */
        "api.analytics.deliveries-report": {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            bucket: components["schemas"]["api.analytics.stats"]["$defs"]["bucket"];
            totals: components["schemas"]["api.analytics.stats"]["$defs"]["delivery"];
            series: {
                /** Format: date-time */
                start: string;
                attempts: number;
                succeeded: number;
                failed: number;
                successRate: number | null;
                p95LatencyMs: number | null;
            }[];
            subscriptions: {
                subscriptionId: string;
                attempts: number;
                succeeded: number;
                failed: number;
                successRate: number | null;
                p50LatencyMs: number | null;
                p95LatencyMs: number | null;
                /** @description Attempts by HTTP status code. */
                statusCodes: {
                    [key: string]: number;
                };
                errorKinds: {
                    kind: string;
                    count: number;
                }[];
            }[];
            failing: {
                subscriptionId: string;
                state: string;
                /** Format: date-time */
                since: string | null;
                consecutiveFailures: number;
                lastError: string | null;
                lastStatusCode?: number;
            }[];
        };
        /**
         * ConsumerLag
         * @description This hub's Kafka consumer groups and how many messages each is behind, per topic and partition.
         */
        "api.consumers.list": {
            /** Format: date-time */
            at: string;
            groups: {
                groupId: string;
                /** @description Kafka's group state, e.g. Stable, Empty, PreparingRebalance. */
                state: string;
                members: number;
                lag: number;
                topics: {
                    topic: string;
                    lag: number;
                    partitions: {
                        partition: number;
                        /** @description null until the group commits on this partition. */
                        committed: number | null;
                        end: number;
                        lag: number;
                    }[];
                }[];
            }[];
        };
        /**
         * SourceTopic
         * @description The Kafka topic of a source managed through the API: one of this hub's inbound topics, `<prefix>.in.<name>` where `<prefix>` is HOOKHUB_TOPIC_PREFIX (`hookhub` by default), other than `<prefix>.in.api` (the API's own task events). The document served by a hub carries its own prefix in this pattern.
         */
        "api.sources.topic": string;
        /**
         * EventSummary
         * @description An archived inbound event without its body and headers.
         */
        "api.events.summary": {
            id: string;
            source: string;
            type: string;
            /**
             * Format: date-time
             * @description When ingest received it.
             */
            time: string;
            /** Format: date-time */
            archivedAt?: string;
            traceparent?: string;
            idempotencyKey?: string;
            partitionKey?: string;
            contentType: string;
            topic: string;
            partition: number;
            offset: number;
            bodyBytes: number;
        };
        /** DocumentRef */
        "api.documents.ref": {
            id: string;
            kind: string;
            title: string;
            version: number;
        };
        /**
         * agent.task.requested
         * @description hookhub's own command: ask the agent named `agent` to do `task` with `parameters`; the result may be posted to `callback.url`.
         */
        "hookhub.agent.task.requested": {
            /** @constant */
            type: "agent.task.requested";
            agent: string;
            task: string;
            parameters?: Record<string, unknown>;
            callback?: {
                /** Format: uri */
                url: string;
            };
        };
        /**
         * DeliverySummary
         * @description A delivery without its body and attempts.
         */
        "api.deliveries.summary": {
            id: string;
            eventId: string;
            eventType: string;
            eventSource: string;
            subscriptionId: string;
            status: components["schemas"]["api.deliveries.status"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            nextAttemptAt?: string;
            /** Format: date-time */
            finishedAt?: string;
            attemptCount: number;
            lastStatus?: number;
            lastError?: string;
            trigger: string;
            svixMessageId?: string;
        };
        /**
         * AnalyticsStats
         * @description Shapes shared by the analytics reports.
         */
        "api.analytics.stats": {
            $defs: {
                execution: {
                    executions: number;
                    succeeded: number;
                    failed: number;
                    timed_out: number;
                    successRate: number | null;
                    meanDurationMs: number | null;
                    p50DurationMs: number | null;
                    p95DurationMs: number | null;
                    p99DurationMs: number | null;
                    topErrors: {
                        code: string;
                        count: number;
                    }[];
                };
                executionBucket: {
                    /** Format: date-time */
                    start: string;
                    executions: number;
                    succeeded: number;
                    failed: number;
                    timed_out: number;
                    successRate: number | null;
                    meanDurationMs: number | null;
                    p50DurationMs: number | null;
                    p95DurationMs: number | null;
                    p99DurationMs: number | null;
                    topErrors: {
                        code: string;
                        count: number;
                    }[];
                };
                agent: {
                    agent: string;
                    team: string | null;
                    executions: number;
                    succeeded: number;
                    failed: number;
                    timed_out: number;
                    successRate: number | null;
                    meanDurationMs: number | null;
                    p50DurationMs: number | null;
                    p95DurationMs: number | null;
                    p99DurationMs: number | null;
                    topErrors: {
                        code: string;
                        count: number;
                    }[];
                };
                team: {
                    team: string | null;
                    executions: number;
                    succeeded: number;
                    failed: number;
                    timed_out: number;
                    successRate: number | null;
                    meanDurationMs: number | null;
                    p50DurationMs: number | null;
                    p95DurationMs: number | null;
                    p99DurationMs: number | null;
                    topErrors: {
                        code: string;
                        count: number;
                    }[];
                };
                delivery: {
                    attempts: number;
                    succeeded: number;
                    failed: number;
                    successRate: number | null;
                    p50LatencyMs: number | null;
                    p95LatencyMs: number | null;
                    /** @description Attempts by HTTP status code. */
                    statusCodes: {
                        [key: string]: number;
                    };
                    errorKinds: {
                        kind: string;
                        count: number;
                    }[];
                };
                /** @enum {unknown} */
                bucket: "minute" | "hour" | "day";
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.meta.openapi"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.meta.me"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listKeys: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["cursor"];
                /** @description Only keys with this role. */
                role?: components["schemas"]["api.common.role"];
                /** @description true: only revoked keys; false: only live keys. */
                revoked?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.keys.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.keys.create-request"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.keys.created"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Key id (`key_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.keys.key"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Key id (`key_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.keys.key"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    updateKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                /** @description Key id (`key_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.keys.update-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.keys.key"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listSources: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["idCursor"];
                /** @description true: only enabled sources; false: only disabled ones. */
                enabled?: boolean;
                /** @description Only sources from the config file, or only those made through the API. */
                origin?: "config" | "api";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.sources.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    createSource: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.sources.create-request"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.sources.source"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `already_exists`: A resource with this identity already exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["config.source"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.sources.source"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    deleteSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["config.source"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    updateSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                id: components["schemas"]["config.source"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.sources.update-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.sources.source"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    enableSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                id: components["schemas"]["config.source"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.sources.source"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    disableSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                id: components["schemas"]["config.source"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.sources.source"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["cursor"];
                /** @description Only events of this source. */
                source?: components["schemas"]["config.source"]["id"];
                /** @description Exact event type, or a prefix ending in `.*` (`github.*`). */
                type?: string;
                /** @description Received at or after this instant. */
                from?: string;
                /** @description Received before this instant. */
                to?: string;
                /** @description Newest first (default) or oldest first. */
                order?: "asc" | "desc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.events.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Event id (the CloudEvent `id`, as in the 202 answer of a webhook). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.events.event"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listAgents: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["idCursor"];
                /** @description Only agents of this team. */
                team?: string;
                enabled?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.agents.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    createAgent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.agents.create-request"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.agents.agent"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON; `outbound_url_forbidden`: The URL points where the hub may not send requests; `agent_secret_forbidden`: A runner may not read this environment variable */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `already_exists`: A resource with this identity already exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: components["schemas"]["config.agent"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.agents.agent"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    deleteAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: components["schemas"]["config.agent"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    updateAgent: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                name: components["schemas"]["config.agent"]["name"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.agents.update-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.agents.agent"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON; `outbound_url_forbidden`: The URL points where the hub may not send requests; `agent_secret_forbidden`: A runner may not read this environment variable */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getAgentInputSchema: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: components["schemas"]["config.agent"]["name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.agents.input-schema"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    importAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.agents.import-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.agents.import-result"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON; `outbound_url_forbidden`: The URL points where the hub may not send requests; `agent_secret_forbidden`: A runner may not read this environment variable */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    runAgent: {
        parameters: {
            query?: {
                /** @description Wait up to this many seconds for the execution to finish: 200 with it when it did, else 202. */
                wait?: number;
            };
            header?: never;
            path: {
                name: components["schemas"]["config.agent"]["name"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.agents.run-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.executions.summary"];
                };
            };
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.agents.run-accepted"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `conflict`: Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `kafka_unavailable`: Event log is unavailable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listExecutions: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["cursor"];
                agent?: components["schemas"]["config.agent"]["name"];
                team?: string;
                status?: "queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled";
                eventId?: string;
                /** @description Created at or after. */
                from?: string;
                /** @description Created before. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.executions.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.executions.execution"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    cancelExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.executions.summary"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `conflict`: Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listDocuments: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["cursor"];
                kind?: string;
                agent?: components["schemas"]["config.agent"]["name"];
                tag?: string;
                executionId?: string;
                /** @description Case-insensitive text searched in titles (taken literally, not as a pattern). */
                q?: string;
                /** @description Created at or after. */
                from?: string;
                /** @description Created before. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.documents.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.documents.document"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    deleteDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    updateDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.documents.update-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.documents.document"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listDocumentVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.documents.versions"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listRoutes: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["idCursor"];
                agent?: components["schemas"]["config.agent"]["name"];
                source?: components["schemas"]["config.source"]["id"];
                enabled?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.routes.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    createRoute: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.routes.create-request"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.routes.route"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `already_exists`: A resource with this identity already exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getRoute: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["config.route"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.routes.route"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    deleteRoute: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["config.route"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    updateRoute: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                id: components["schemas"]["config.route"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.routes.update-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.routes.route"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listSubscriptions: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["cursor"];
                /** @description Only enabled (true) or disabled (false) subscriptions. */
                enabled?: boolean;
                /** @description Only subscriptions listing exactly this event-type pattern. */
                eventType?: string;
                /** @description Only subscriptions from hookhub.yaml (config) or created through the API. */
                origin?: "config" | "api";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.subscriptions.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    createSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.subscriptions.create-request"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.subscriptions.secret"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `already_exists`: A resource with this identity already exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Subscription id. */
                id: components["schemas"]["config.subscription"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.subscriptions.subscription"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    deleteSubscription: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                /** @description Subscription id. */
                id: components["schemas"]["config.subscription"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    updateSubscription: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETag from a previous read (`"<version>"`, optionally `W/`-prefixed) or `*`: the change applies only if the object has not changed since (otherwise 412). Without it the change is unconditional. */
                "If-Match"?: string;
            };
            path: {
                /** @description Subscription id. */
                id: components["schemas"]["config.subscription"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.subscriptions.update-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.subscriptions.subscription"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `precondition_failed`: The resource changed since you read it */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    rotateSubscriptionSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Subscription id. */
                id: components["schemas"]["config.subscription"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.subscriptions.secret"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    enableSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Subscription id. */
                id: components["schemas"]["config.subscription"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.subscriptions.subscription"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    disableSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Subscription id. */
                id: components["schemas"]["config.subscription"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    /** @description Version of the object, for If-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.subscriptions.subscription"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listSubscriptionDeliveries: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["cursor"];
                status?: components["schemas"]["api.deliveries.status"];
                /** @description Created at or after. */
                since?: string;
                /** @description Created before. */
                until?: string;
            };
            header?: never;
            path: {
                /** @description Subscription id. */
                id: components["schemas"]["config.subscription"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.deliveries.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    recoverSubscriptionDeliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Subscription id. */
                id: components["schemas"]["config.subscription"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.subscriptions.recover-request"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.subscriptions.recovered"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listDeliveries: {
        parameters: {
            query?: {
                limit?: components["schemas"]["api.common.page"]["$defs"]["limit"];
                cursor?: components["schemas"]["api.common.page"]["$defs"]["cursor"];
                /** @description Only deliveries of this subscription. */
                subscription?: string;
                /** @description Only deliveries of this event id. */
                event?: string;
                status?: components["schemas"]["api.deliveries.status"];
                /** @description Created at or after. */
                since?: string;
                /** @description Created before. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.deliveries.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Delivery id (also the `webhook-id` header). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.deliveries.delivery"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    resendDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Delivery id (also the `webhook-id` header). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.deliveries.delivery"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `conflict`: Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listReplays: {
        parameters: {
            query?: {
                /** @description Only jobs in this state. */
                status?: components["schemas"]["api.replays.status"];
                /** @description How many of the newest jobs (1–500, default 50). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.replays.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    createReplay: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["api.replays.create-request"];
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.replays.replay"];
                };
            };
            /** @description `validation_failed`: Request failed validation; `json_malformed`: Body is not well-formed JSON; `replay_topic_forbidden`: Replays read inbound topics only */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `payload_too_large`: Body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unsupported_media_type`: Body must be JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    getReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Replay job id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.replays.replay"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    cancelReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Replay job id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.replays.replay"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `replay_finished`: The replay job has already finished */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    exportReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Replay job id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": components["schemas"]["api.replays.export"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `not_found`: No such resource; `export_unavailable`: This replay job has no export file */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    agentAnalytics: {
        parameters: {
            query?: {
                from?: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
                to?: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
                /** @description series bucket size (default hour) */
                bucket?: "minute" | "hour" | "day";
                agent?: string;
                team?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.analytics.agents-report"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `range_too_large`: Time range has too many buckets for this bucket size */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    teamAnalytics: {
        parameters: {
            query?: {
                from?: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
                to?: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
                /** @description series bucket size (default hour) */
                bucket?: "minute" | "hour" | "day";
                team?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.analytics.teams-report"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `range_too_large`: Time range has too many buckets for this bucket size */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    ingestAnalytics: {
        parameters: {
            query?: {
                from?: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
                to?: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
                /** @description series bucket size (default hour) */
                bucket?: "minute" | "hour" | "day";
                source?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.analytics.ingest-report"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `range_too_large`: Time range has too many buckets for this bucket size */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    deliveryAnalytics: {
        parameters: {
            query?: {
                from?: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
                to?: components["schemas"]["api.common.time"]["$defs"]["timestamp"];
                /** @description series bucket size (default hour) */
                bucket?: "minute" | "hour" | "day";
                subscriptionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.analytics.deliveries-report"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `range_too_large`: Time range has too many buckets for this bucket size */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
    listConsumerLag: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["api.consumers.list"];
                };
            };
            /** @description `validation_failed`: Request failed validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `unauthorized`: Missing or invalid credentials */
            401: {
                headers: {
                    /** @description The scheme to use: `Bearer realm="hookhub"` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `forbidden`: Your role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `rate_limited`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `internal`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
            /** @description `kafka_unavailable`: Event log is unavailable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["api.common.problem"];
                };
            };
        };
    };
}
