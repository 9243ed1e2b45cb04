import { Webhook } from 'svix';
import { request } from 'undici';
import type { HttpRunnerConfig } from '../../config/types';
import type { SchemaRegistry } from '../../platform/schemas';
import { RunError, RunTimeoutError } from '../domain/errors';
import { eventForAgent, parseReply, type RunRequest, type RunResult, type Runner } from './runner';

/** A result an agent sent back by callback after answering 202. */
export interface AsyncResult {
  status: 'succeeded' | 'failed';
  output?: unknown;
  documents?: unknown[];
  error?: { code?: string; message: string };
}

/** Waits for the async result of an execution to be stored (by whichever process got the callback). */
export type AsyncResultWaiter = (executionId: string, deadline: number, signal: AbortSignal) => Promise<AsyncResult | undefined>;

const MAX_REPLY_BYTES = 10 * 1024 * 1024;

/**
 * POSTs `{executionId, agent, task, input, event}` to the agent service, signed with Standard Webhooks headers
 * (`webhook-id` = the execution id, stable across retries, so the service can deduplicate). A 2xx JSON reply
 * is the result; `202` means the service calls back `POST /api/v1/executions/:id/result` and the run waits for
 * that result in MongoDB until the deadline. 429/5xx and network errors are retriable; other statuses are not.
 */
export class HttpRunner implements Runner {
  readonly pure = false;

  constructor(
    private readonly schemas: SchemaRegistry,
    private readonly awaitResult: AsyncResultWaiter,
  ) {}

  async run(req: RunRequest): Promise<RunResult> {
    const settings = req.agent.runner as HttpRunnerConfig;
    const payload = JSON.stringify({ executionId: req.executionId, agent: req.agent.name, task: req.task, input: req.input, event: eventForAgent(req.event) });
    const now = new Date();
    const signature = new Webhook(settings.secret).sign(req.executionId, now, payload);
    const ts = String(Math.floor(now.getTime() / 1000));
    const timeoutMs = Math.max(1, req.deadline - Date.now());
    let res;
    try {
      res = await request(settings.url, {
        method: 'POST',
        body: payload,
        signal: req.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
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
      if (req.signal.aborted) throw new RunTimeoutError(req.agent.timeoutMs ?? timeoutMs);
      throw new RunError('runner_unreachable', `agent service unreachable: ${(err as Error).message}`, true);
    }
    const text = await readBounded(res.body, req);
    if (res.statusCode === 202) return this.waitForCallback(req);
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const retriable = res.statusCode === 429 || res.statusCode >= 500;
      throw new RunError('runner_http_status', `agent service answered ${res.statusCode}: ${text.slice(0, 300)}`, retriable);
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

async function readBounded(body: AsyncIterable<Buffer>, req: RunRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > MAX_REPLY_BYTES) throw new RunError('runner_bad_output', `reply is over ${MAX_REPLY_BYTES} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof RunError) throw err;
    if (req.signal.aborted) throw new RunTimeoutError(req.agent.timeoutMs ?? 0);
    throw new RunError('runner_unreachable', `reading the reply failed: ${(err as Error).message}`, true);
  }
  return Buffer.concat(chunks).toString('utf8');
}
