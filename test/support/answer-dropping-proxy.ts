import type net from 'node:net';
import { LoopbackProxy } from './loopback-proxy';

/** Kafka's request key of Produce. */
const PRODUCE = 0;

/**
 * A loopback TCP proxy in front of a real Kafka broker that can let a produce request through and then lose its
 * answer (the connection is reset instead), as when a broker applied a write but its response never arrived (a
 * request timeout on a starved machine, a dropped connection). Every other byte passes unchanged. The broker must
 * advertise this proxy's port, so that clients come back through it after the metadata request.
 */
export class AnswerDroppingProxy extends LoopbackProxy {
  private armed = 0;
  /** Produce answers dropped so far. */
  dropped = 0;

  /** Loses the answers of the next `times` produce requests. */
  dropNextProduceAnswers(times = 1): void {
    this.armed += times;
  }

  protected relay(client: net.Socket, upstream: net.Socket, cut: () => void): void {
    const doomed = new Set<number>();
    frames(client, (frame) => {
      // Request header: size, api key (int16), api version (int16), correlation id (int32).
      if (frame.readInt16BE(4) === PRODUCE && this.armed > 0) {
        this.armed--;
        doomed.add(frame.readInt32BE(8));
      }
      upstream.write(frame);
    });
    frames(upstream, (frame) => {
      // Response header: size, correlation id (int32).
      if (doomed.has(frame.readInt32BE(4))) {
        this.dropped++;
        cut();
        return;
      }
      client.write(frame);
    });
  }
}

/** Calls `onFrame` with each length-prefixed Kafka frame read from the socket (prefix included). */
function frames(socket: net.Socket, onFrame: (frame: Buffer) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const size = pending.readInt32BE(0);
      if (pending.length < 4 + size) break;
      onFrame(pending.subarray(0, 4 + size));
      pending = pending.subarray(4 + size);
    }
  });
}
