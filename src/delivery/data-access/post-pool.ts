import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../platform/logger';
import { startWorker } from '../../platform/threads';
import type { PostRequest, PostResult } from './endpoint-client';

/** What the pool hands a thread: numbered requests, batched per turn of the event loop. */
export interface PostJobs {
  jobs: [number, PostRequest][];
}

/** What a thread hands back: per job its result, or the message of the error that made it unsendable. */
export interface PostReplies {
  results: ([number, PostResult] | [number, null, string])[];
}

export interface PostWorkerData {
  /** the outbound allow-list entries (HOOKHUB_OUTBOUND_ALLOW). */
  allow: string[];
  /** Keep-alive connections per origin in each thread. */
  connections: number;
  /** Requests this thread has open at once; the pool's `inFlight` shared out between its threads. */
  inFlight: number;
}

interface Waiter {
  resolve: (r: PostResult) => void;
  reject: (err: Error) => void;
  started: number;
}

interface Thread {
  worker: Worker;
  outbox: [number, PostRequest][];
  pending: Map<number, Waiter>;
}

export interface PostPoolOptions {
  /** the outbound allow-list entries (HOOKHUB_OUTBOUND_ALLOW). */
  allow: string[];
  /** Keep-alive connections per origin in each thread. */
  connections: number;
  /** Requests open at once over all threads (HOOKHUB_DELIVERY_CONCURRENCY); each thread queues the rest. */
  inFlight: number;
  threads: number;
  logger: Logger;
}

/**
 * Signs and sends delivery attempts on worker threads, each with its own keep-alive undici Agent and SSRF guard
 * (see post-worker.ts): the svix HMAC, request building, socket writes and response parsing leave the main
 * event loop, which keeps Kafka, MongoDB and the bookkeeping. Requests and replies cross in batches (one
 * message per thread per turn of the event loop); bodies cross as the stored strings, not as Buffers, whose
 * structured clone would copy their whole pooled ArrayBuffer. A thread that dies fails its open requests as
 * network errors (the retry schedule takes over) and is replaced.
 */
export class PostPool {
  private readonly threads: Thread[] = [];
  private seq = 0;
  private flushing?: NodeJS.Immediate;
  private closing = false;

  /** Threads start with the first attempt, so a hub that never sends (Svix backend, a failed start) has none. */
  constructor(private readonly options: PostPoolOptions) {}

  /** No more threads than requests allowed in flight: each thread needs at least one. */
  private get size(): number {
    return Math.max(1, Math.min(this.options.threads, this.options.inFlight));
  }

  /** Thread `i`'s share of `inFlight`, so that the shares add up to it exactly. */
  private share(i: number): number {
    const { inFlight } = this.options;
    return Math.floor(inFlight / this.size) + (i < inFlight % this.size ? 1 : 0);
  }

  private spawn(i: number): Thread {
    const data: PostWorkerData = { allow: this.options.allow, connections: this.options.connections, inFlight: this.share(i) };
    const worker = startWorker(path.join(__dirname, 'post-worker'), { workerData: data });
    // Never what keeps a process alive: the hub's own handles do that, and stop() terminates the threads.
    worker.unref();
    const thread: Thread = { worker, outbox: [], pending: new Map() };
    worker.on('message', (m: PostReplies) => this.settle(thread, m));
    worker.on('error', (err) => this.options.logger.error('delivery worker thread failed', { err }));
    worker.on('exit', (code) => {
      const lost = [...thread.pending.values()];
      thread.pending.clear();
      for (const w of lost) {
        w.resolve({ latencyMs: Math.round(performance.now() - w.started), errorKind: 'network', error: `the delivery worker thread exited (code ${code}) before the endpoint answered` });
      }
      if (this.closing) return;
      const i = this.threads.indexOf(thread);
      if (i >= 0) this.threads[i] = this.spawn(i);
    });
    return thread;
  }

  /** The thread with the fewest open requests (sent or waiting for a slot there). */
  private pick(): Thread {
    if (this.threads.length === 0) for (let i = 0; i < this.size; i++) this.threads.push(this.spawn(i));
    let best = this.threads[0] as Thread;
    for (const t of this.threads) if (t.pending.size < best.pending.size) best = t;
    return best;
  }

  post(req: PostRequest): Promise<PostResult> {
    if (this.closing) return Promise.reject(new Error('the delivery worker pool is closed'));
    return new Promise<PostResult>((resolve, reject) => {
      const thread = this.pick();
      const n = ++this.seq;
      thread.pending.set(n, { resolve, reject, started: performance.now() });
      thread.outbox.push([n, req]);
      this.flushing ??= setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushing = undefined;
    for (const t of this.threads) {
      if (t.outbox.length === 0) continue;
      const batch: PostJobs = { jobs: t.outbox };
      t.outbox = [];
      t.worker.postMessage(batch);
    }
  }

  private settle(thread: Thread, m: PostReplies): void {
    for (const [n, result, error] of m.results) {
      const w = thread.pending.get(n);
      if (!w) continue;
      thread.pending.delete(n);
      if (result) w.resolve(result);
      else w.reject(new Error(error));
    }
  }

  /** Stops the threads (call once nothing is in flight: the attempt runner has stopped). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
