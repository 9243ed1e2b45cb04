import express, { type Router } from 'express';
import { Webhook } from 'svix';
import type { HttpRunnerConfig } from '../../config/types';
import { AppError } from '../../platform/errors';
import type { SchemaRegistry } from '../../platform/schemas';
import type { AgentsRepository } from '../data-access/registry';
import type { ExecutionsRepository } from '../data-access/executions';
import type { AsyncResult } from '../runners/http';

export interface ResultCallbackDeps {
  executions: ExecutionsRepository;
  agents: AgentsRepository;
  schemas: SchemaRegistry;
}

/**
 * `POST /api/v1/executions/:id/result`: an http agent that answered 202 reports its result here, signed with
 * Standard Webhooks headers made with the agent's runner secret (so it needs no API key). The result is stored
 * on the execution in MongoDB; the process running the execution (any process) picks it up from there.
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
      const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string'));
      if (!headers['webhook-signature'] && !headers['svix-signature']) throw new AppError('signature_missing', 'webhook-id, webhook-timestamp and webhook-signature are required');
      try {
        new Webhook((agent.runner as HttpRunnerConfig).secret).verify(raw, headers);
      } catch (err) {
        const msg = (err as Error).message;
        throw new AppError(/timestamp/i.test(msg) ? 'timestamp_stale' : 'signature_invalid', msg);
      }
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
