import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, isAppError } from '../../../platform/errors';
import { requestIdOf, sendProblem, writeJson, type RawHandler } from '../../../platform/http';
import type { Logger } from '../../../platform/logger';
import type { Ingestor, RequestRef } from '../../domain/ingest';
import type { SourceConfig } from '../../../config/types';
import { typeLabel, type IngestMetrics } from '../../metrics';
import { readRawBody } from './body';

const WEBHOOK_PATH = /^\/webhooks\/([^/?#]+)\/?(?:\?.*)?$/;

/**
 * `POST /webhooks/:source`, served straight from node's request event: this is the path every webhook takes,
 * and express's router, middleware and response helpers cost more than everything the path does itself
 * (measured: `npm run bench:ingest`). It reads the raw body itself, hands it to the use case and maps the
 * outcome to 202/200 or a problem+json answer. Other methods on the path fall through to express (405/404).
 */
export function webhookHandler(ingestor: Ingestor, metrics: IngestMetrics, logger: Logger): RawHandler {
  return (req, res) => {
    if (req.method !== 'POST' || !req.url) return false;
    const m = WEBHOOK_PATH.exec(req.url);
    if (!m?.[1]) return false;
    const requestId = requestIdOf(req, res);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    let sourceId: string;
    try {
      sourceId = decodeURIComponent(m[1]);
    } catch {
      sendProblem(res, new AppError('source_unknown', 'the source in the path is not valid percent-encoding'), req.url);
      return true;
    }
    // No withContext here: log lines name their request explicitly (see RequestRef).
    void serve(ingestor, metrics, logger, { requestId, source: sourceId, ...(req.socket.remoteAddress ? { clientIp: req.socket.remoteAddress } : {}) }, req, res);
    return true;
  };
}

async function serve(ingestor: Ingestor, metrics: IngestMetrics, logger: Logger, request: RequestRef & { source: string }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const sourceId = request.source;
  let known: SourceConfig | undefined;
  try {
    const { source, bodyLimit } = await ingestor.open(sourceId, req.headers, request);
    known = source;
    const raw = await readRawBody(req, bodyLimit);
    const result = await ingestor.accept(source, raw, req.headers, request);
    writeJson(res, result.status, result.body);
    metrics.accepted(sourceId, typeLabel(source, result.body.type ?? ''), result.status === 200 ? 'duplicate' : 'accepted', started);
  } catch (err) {
    if (!isAppError(err)) logger.error('webhook failed unexpectedly', { err, ...request });
    const code = isAppError(err) ? err.code : 'internal';
    // Stop the rest of an oversized upload: Node drops the connection after this answer.
    if (code === 'payload_too_large') res.setHeader('Connection', 'close');
    metrics.rejected(known ? sourceId : '(unknown)', known && isAppError(err) && typeof err.extras.eventType === 'string' ? typeLabel(known, err.extras.eventType) : '', code, started);
    sendProblem(res, err, req.url);
  }
}
