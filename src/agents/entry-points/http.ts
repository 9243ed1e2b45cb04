import express, { type Router } from 'express';
import type { HttpRunnerConfig } from '../../config/types';
import { AppError } from '../../platform/errors';
import type { SchemaRegistry } from '../../platform/schemas';
import { verifyBytes } from '../../platform/standard-webhooks';
import type { AgentsRepository } from '../data-access/registry';
import type { ExecutionsRepository } from '../data-access/executions';
import type { AsyncResult } from '../runners/http';

export interface ResultCallbackDeps {
  executions: ExecutionsRepository;
  agents: AgentsRepository;
  schemas: SchemaRegistry;
}

const TOLERANCE_SECONDS = 300;

/**
 * The callback must be signed for this execution: `webhook-id` is the execution id, so a captured callback of
 * one execution cannot complete another with the same agent secret. Verified over the exact bytes received.
 */
function verifyCallback(secret: string, executionId: string, raw: Buffer, headers: Record<string, string | string[] | undefined>): void {
  const one = (a: string, b: string): string | undefined => {
    const v = headers[a] ?? headers[b];
    return Array.isArray(v) ? v[0] : v;
  };
  const msgId = one('webhook-id', 'svix-id');
  const timestamp = one('webhook-timestamp', 'svix-timestamp');
  const signature = one('webhook-signature', 'svix-signature');
  if (!msgId || !timestamp || !signature) throw new AppError('signature_missing', 'webhook-id, webhook-timestamp and webhook-signature are required');
  if (msgId !== executionId) throw new AppError('callback_mismatch', `webhook-id must be the execution id ${executionId}`);
  if (!/^\d{1,12}$/.test(timestamp)) throw new AppError('signature_invalid', 'webhook-timestamp is not a number of seconds');
  const age = Math.floor(Date.now() / 1000) - Number(timestamp);
  if (Math.abs(age) > TOLERANCE_SECONDS) throw new AppError('timestamp_stale', `webhook-timestamp is ${Math.abs(age)} s ${age < 0 ? 'in the future' : 'old'}; the tolerance is ${TOLERANCE_SECONDS} s`);
  if (!verifyBytes([secret], msgId, timestamp, signature, raw)) throw new AppError('signature_invalid', 'the signature does not verify with the agent\'s runner secret');
}

/**
 * `POST /api/v1/executions/:id/result`: an http agent that answered 202 reports its result here, signed with
 * Standard Webhooks headers made with the agent's runner secret (so it needs no API key), `webhook-id` = the
 * execution id. The result is stored on the execution in MongoDB; the process running the execution (any
 * process) picks it up from there.
 */
export function resultCallbackRouter(deps: ResultCallbackDeps): Router {
  const router = express.Router();
  router.post('/api/v1/executions/:id/result', express.raw({ type: () => true, limit: '10mb' }), async (req, res, next) => {
    try {
      const id = String(req.params.id);
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const execution = await deps.executions.get(id);
      if (!execution) throw new AppError('not_found', `no execution ${id}`);
      const agent = await deps.agents.get(execution.agent);
      if (!agent || agent.runner.kind !== 'http') throw new AppError('not_found', `execution ${id} does not take callbacks`);
      verifyCallback((agent.runner as HttpRunnerConfig).secret, id, raw, req.headers);
      let body: unknown;
      try {
        body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw new AppError('json_malformed', (err as Error).message);
      }
      const errors = deps.schemas.validate('agents/result-callback', body);
      if (errors.length > 0) throw new AppError('validation_failed', 'the result does not match schemas/agents/result-callback.json', { errors });
      const b = body as Partial<AsyncResult>;
      const result: AsyncResult = { ...b, status: b.status ?? 'succeeded' };
      const outcome = await deps.executions.storeAsyncResult(id, result);
      if (outcome === 'missing') throw new AppError('not_found', `no execution ${id}`);
      if (outcome === 'finished') throw new AppError('conflict', `execution ${id} has already finished`);
      res.status(202).json({ executionId: id, accepted: true, duplicate: outcome === 'duplicate' });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
