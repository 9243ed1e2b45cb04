import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { toStructuredLine } from '../domain/structured';
import type { ReplayEvent, ReplayRedeliverer, ReplayReprocessor, ReplaySink } from '../domain/types';

const FLUSH_AT = 1 << 20;

/** NDJSON of structured CloudEvents to a file (resumable: it knows how many bytes are durable) or a stream. */
export class NdjsonSink implements ReplaySink {
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Bytes written so far (the file length a checkpoint records). */
  bytes: number;

  private constructor(private readonly write: (text: string) => Promise<void>, private readonly sync: () => Promise<void>, startBytes: number, private readonly closer: () => Promise<void>) {
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
      async (text) => {
        const buf = Buffer.from(text, 'utf8');
        await fh.write(buf, 0, buf.length, pos);
        pos += buf.length;
      },
      async () => undefined,
      keepBytes,
      () => fh.close(),
    );
  }

  static toStream(stream: Writable): NdjsonSink {
    return new NdjsonSink(
      (text) =>
        new Promise<void>((resolve, reject) => {
          const ok = stream.write(text, (err) => (err ? reject(err) : undefined));
          if (ok) resolve();
          else stream.once('drain', () => resolve());
        }),
      async () => undefined,
      0,
      async () => undefined,
    );
  }

  async emit(events: ReplayEvent[]): Promise<number> {
    for (const e of events) {
      const line = toStructuredLine(e);
      this.pending.push(line);
      this.pendingBytes += line.length;
    }
    if (this.pendingBytes >= FLUSH_AT) await this.drain();
    return 0;
  }

  private async drain(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    await this.write(text);
    this.bytes += Buffer.byteLength(text, 'utf8');
  }

  async flush(): Promise<void> {
    await this.drain();
    await this.sync();
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
