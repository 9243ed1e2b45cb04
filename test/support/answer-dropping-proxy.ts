import net from 'node:net';

/** Kafka's request key of Produce. */
const PRODUCE = 0;

/**
 * A loopback TCP proxy in front of a real Kafka broker that can let a produce request through and then lose its
 * answer (the connection is reset instead), as when a broker applied a write but its response never arrived (a
 * request timeout on a starved machine, a dropped connection). Every other byte passes unchanged. The broker must
 * advertise this proxy's port, so that clients come back through it after the metadata request.
 */
export class AnswerDroppingProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private armed = 0;
  /** Produce answers dropped so far. */
  dropped = 0;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {
    this.server = net.createServer((client) => this.pipe(client));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  /** Loses the answers of the next `times` produce requests. */
  dropNextProduceAnswers(times = 1): void {
    this.armed += times;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
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
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(frame);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
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
