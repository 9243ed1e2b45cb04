import type net from 'node:net';
import { LoopbackProxy } from './loopback-proxy';

/**
 * A loopback TCP proxy in front of the real store that can cut a connection the moment a chosen command passes:
 * the store never sees that command, and the client sees its connection reset mid-operation, as when the store
 * process is killed. Fault injection, not a mock: every other byte goes to and from the real server unchanged.
 */
export class CuttingProxy extends LoopbackProxy {
  private readonly armed = new Map<string, number>();
  /** Commands cut so far, by collection. */
  readonly cut = new Map<string, number>();

  constructor(target: { host: string; port: number }) {
    super(0, target);
  }

  /** Cuts the connections carrying the next `times` `insert` commands into `collection`. */
  cutNextInserts(collection: string, times = 1): void {
    this.armed.set(collection, (this.armed.get(collection) ?? 0) + times);
  }

  protected relay(client: net.Socket, upstream: net.Socket, reset: () => void): void {
    let tail = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      // A command document starts with its name: BSON string element `insert` whose value is the collection.
      const window = Buffer.concat([tail, chunk]);
      tail = window.subarray(Math.max(0, window.length - 64));
      for (const [collection, left] of this.armed) {
        if (left <= 0 || !isInsertInto(window, collection)) continue;
        this.armed.set(collection, left - 1);
        this.cut.set(collection, (this.cut.get(collection) ?? 0) + 1);
        reset();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  }
}

function isInsertInto(bytes: Buffer, collection: string): boolean {
  const name = Buffer.from('\u0002insert\u0000', 'latin1');
  const value = Buffer.from(`${collection}\u0000`, 'latin1');
  for (let at = bytes.indexOf(name); at >= 0; at = bytes.indexOf(name, at + 1)) {
    // element type, name, int32 length, then the string
    if (bytes.subarray(at + name.length + 4, at + name.length + 4 + value.length).equals(value)) return true;
  }
  return false;
}
