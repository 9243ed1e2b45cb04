import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { NdjsonLines } from '../domain/structured';
import type { ReplayEvent, ReplayRedeliverer, ReplayReprocessor, ReplaySink } from '../domain/types';

const FLUSH_AT = 1 << 20;

/**
 * NDJSON of structured CloudEvents to a file (resumable: it knows how many bytes are durable) or a stream. Lines
 * are built as bytes in a buffer and written in chunks of about a megabyte, one write in flight while the next
 * chunk fills (the next write waits for it, so a slow disk or a full pipe holds the replay back).
 */
export class NdjsonSink implements ReplaySink {
  private lines = new NdjsonLines(FLUSH_AT + (FLUSH_AT >> 2));
  private inflight: Promise<void> = Promise.resolve();
  /** Bytes written so far (the file length a checkpoint records, once `flush` resolved). */
  bytes: number;

  private constructor(private readonly write: (chunk: Buffer) => Promise<void>, startBytes: number, private readonly closer: () => Promise<void>) {
    this.bytes = startBytes;
  }

  /**
   * Appends to `path` after cutting it to `keepBytes` (what the last checkpoint recorded), so a resume never
   * duplicates lines. Writes are not fsynced (an fsync per checkpoint stalls replays when the disk is busy): they
   * survive a process crash, and a file shorter than its checkpoint (an OS crash) fails the resume loudly.
   */
  static async toFile(path: string, keepBytes = 0): Promise<NdjsonSink> {
    const exists = fs.existsSync(path);
    if (keepBytes > 0 && (!exists || (await fs.promises.stat(path)).size < keepBytes)) {
      throw new Error(`export file ${path} is shorter than its checkpoint (${keepBytes} bytes): it cannot be resumed exactly`);
    }
    const fh = await fs.promises.open(path, exists ? 'r+' : 'w+');
    await fh.truncate(keepBytes);
    let pos = keepBytes;
    return new NdjsonSink(
      async (chunk) => {
        const at = pos;
        pos += chunk.length;
        let done = 0;
        while (done < chunk.length) done += (await fh.write(chunk, done, chunk.length - done, at + done)).bytesWritten;
      },
      keepBytes,
      () => fh.close(),
    );
  }

  static toStream(stream: Writable): NdjsonSink {
    return new NdjsonSink(
      (chunk) =>
        new Promise<void>((resolve, reject) => {
          const ok = stream.write(chunk, (err) => (err ? reject(err) : undefined));
          if (ok) resolve();
          else stream.once('drain', () => resolve());
        }),
      0,
      async () => undefined,
    );
  }

  async emit(events: ReplayEvent[]): Promise<number> {
    for (const e of events) this.lines.append(e);
    if (this.lines.length >= FLUSH_AT) await this.drain();
    return 0;
  }

  /**
   * Queues what has accumulated behind the writes already queued (writes never overlap, so `bytes` only ever
   * counts a prefix of the file) and resolves when the write before it is done: one write in flight while the
   * next chunk fills.
   */
  private drain(): Promise<void> {
    const previous = this.inflight;
    if (this.lines.length === 0) return previous;
    const chunk = this.lines.take();
    this.inflight = previous.then(async () => {
      await this.write(chunk);
      this.bytes += chunk.length;
    });
    // A failed write is reported by the next emit or flush; until then nothing must treat it as unhandled.
    this.inflight.catch(() => undefined);
    return previous;
  }

  async flush(): Promise<void> {
    await this.drain();
    await this.inflight;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.closer();
  }
}

export class RedeliverSink implements ReplaySink {
  constructor(private readonly port: ReplayRedeliverer, private readonly subscriptionId: string, private readonly replayId: string) {}

  async emit(events: ReplayEvent[]): Promise<number> {
    await Promise.all(events.map((e) => this.port.redeliver(this.subscriptionId, e, this.replayId)));
    return 0;
  }

  async flush(): Promise<void> {}
}

export class ReprocessSink implements ReplaySink {
  constructor(private readonly port: ReplayReprocessor, private readonly replayId: string) {}

  async emit(events: ReplayEvent[]): Promise<number> {
    const started = await Promise.all(events.map((e) => this.port.reprocess(e, this.replayId)));
    return started.reduce((s, n) => s + n, 0);
  }

  async flush(): Promise<void> {}
}
