import { Webhook } from 'svix';
import type { HttpRunnerConfig } from '../../config/types';
import type { GuardedHttpClient, OutboundReply } from '../../platform/outbound/client';
import type { SchemaRegistry } from '../../platform/schemas';
import { RunError, RunTimeoutError } from '../domain/errors';
import { eventForAgent, outboundRunError, parseReply, type RunRequest, type RunResult, type Runner } from './runner';

/** A result an agent sent back by callback after answering 202. */
export interface AsyncResult {
  status: 'succeeded' | 'failed';
  output?: unknown;
  documents?: unknown[];
  error?: { code?: string; message: string };
}

/** Waits for the async result of an execution to be stored (by whichever process got the callback). */
export type AsyncResultWaiter = (executionId: string, deadline: number, signal: AbortSignal) => Promise<AsyncResult | undefined>;

/**
 * POSTs `{executionId, agent, task, input, event}` to the agent service, signed with Standard Webhooks headers
 * (`webhook-id` = the execution id, stable across retries, so the service can deduplicate). A 2xx JSON reply
 * is the result; `202` means the service calls back `POST /api/v1/executions/:id/result` and the run waits for
 * that result in MongoDB until the deadline. 429/5xx and network errors are retriable; other statuses are not.
 * The request goes through the guarded client (SSRF guard, no redirects, bounded reply).
 */
export class HttpRunner implements Runner {
  readonly pure = false;

  constructor(
    private readonly schemas: SchemaRegistry,
    private readonly awaitResult: AsyncResultWaiter,
    private readonly http: GuardedHttpClient,
  ) {}

  async run(req: RunRequest): Promise<RunResult> {
    const settings = req.agent.runner as HttpRunnerConfig;
    const payload = JSON.stringify({ executionId: req.executionId, agent: req.agent.name, task: req.task, input: req.input, event: eventForAgent(req.event) });
    const now = new Date();
    const signature = new Webhook(settings.secret).sign(req.executionId, now, payload);
    const ts = String(Math.floor(now.getTime() / 1000));
    const timeoutMs = Math.max(1, req.deadline - Date.now());
    let res: OutboundReply;
    try {
      res = await this.http.send({
        url: settings.url,
        body: payload,
        signal: req.signal,
        timeoutMs,
        headers: {
          ...settings.headers,
          'content-type': 'application/json',
          'user-agent': 'hookhub-agents',
          'webhook-id': req.executionId,
          'webhook-timestamp': ts,
          'webhook-signature': signature,
          'svix-id': req.executionId,
          'svix-timestamp': ts,
          'svix-signature': signature,
          'x-hookhub-attempt': String(req.attempt),
        },
      });
    } catch (err) {
      throw outboundRunError(err, req, 'agent service');
    }
    const text = res.body.toString('utf8');
    if (res.status === 202) return this.waitForCallback(req);
    if (res.status < 200 || res.status >= 300) {
      const retriable = res.status === 429 || res.status >= 500;
      throw new RunError('runner_http_status', `agent service answered ${res.status}: ${text.slice(0, 300)}`, retriable);
    }
    if (text.trim() === '') return {};
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      throw new RunError('runner_bad_output', 'agent service reply is not JSON');
    }
    return parseReply(reply, this.schemas);
  }

  private async waitForCallback(req: RunRequest): Promise<RunResult> {
    const result = await this.awaitResult(req.executionId, req.deadline, req.signal);
    if (!result) throw new RunTimeoutError(req.agent.timeoutMs ?? 0);
    if (result.status === 'failed') throw new RunError(result.error?.code ?? 'agent_failed', result.error?.message ?? 'the agent reported a failure');
    return parseReply({ output: result.output, documents: result.documents ?? [] }, this.schemas);
  }
}
