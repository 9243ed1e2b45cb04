import { Router, type Request, type Response } from 'express';
import { isAppError } from '../../../platform/errors';
import { sendProblem } from '../../../platform/http';
import { withContext, type Logger } from '../../../platform/logger';
import type { Ingestor } from '../../domain/ingest';
import type { IngestMetrics } from '../../metrics';
import { readRawBody } from './body';

/**
 * `POST /webhooks/:source`: a thin adapter. It reads the raw body itself (no body parser runs on this
 * path), hands it to the use case and maps the outcome to 202/200 or a problem+json answer.
 */
export function webhookRouter(ingestor: Ingestor, metrics: IngestMetrics, logger: Logger): Router {
  const router = Router();
  router.post('/webhooks/:source', (req: Request<{ source: string }>, res: Response) =>
    withContext({ source: req.params.source }, async () => {
      const started = performance.now();
      const sourceId = req.params.source;
      let known = false;
      try {
        const { source, bodyLimit } = await ingestor.open(sourceId, req.headers);
        known = true;
        const raw = await readRawBody(req, bodyLimit);
        const result = await ingestor.accept(source, raw, req.headers);
        res.status(result.status).json(result.body);
        metrics.accepted(sourceId, result.body.type ?? '', result.status === 200 ? 'duplicate' : 'accepted', started);
      } catch (err) {
        if (!isAppError(err)) logger.error('webhook failed unexpectedly', { err });
        const code = isAppError(err) ? err.code : 'internal';
        // Stop the rest of an oversized upload: Node drops the connection after this answer.
        if (code === 'payload_too_large') res.setHeader('Connection', 'close');
        metrics.rejected(known ? sourceId : '(unknown)', isAppError(err) && typeof err.extras.eventType === 'string' ? err.extras.eventType : '', code, started);
        sendProblem(res, err, req.originalUrl);
      }
    }),
  );
  return router;
}
