import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../platform/errors';

/**
 * Reads the raw body as it streams in, keeping at most `limit` bytes: the moment one more byte arrives it stops
 * collecting and rejects with 413, so an oversized body is never buffered. The caller answers with
 * `Connection: close`, which lets Node drop the rest of the upload.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        fail(new AppError('payload_too_large', `the body is over the limit of ${limit} bytes`, { limit }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => fail(new AppError('bad_request', `the body could not be read: ${err.message}`));
    const onAborted = (): void => fail(new AppError('bad_request', 'the client aborted the request'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
