import net from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, for fault injection (never a mock: every byte it does not
 * deliberately drop goes to and from the real server unchanged). Subclasses decide what each connection does in
 * `relay`; this keeps the listening, the upstream connection and the teardown.
 */
export abstract class LoopbackProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  /** `port` 0 picks a free one (read `port` after `start`). */
  constructor(
    public port: number,
    private readonly target: { host: string; port: number },
  ) {
    this.server = net.createServer((client) => this.open(client));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Wires one client connection to its upstream; `cut` resets both ends. */
  protected abstract relay(client: net.Socket, upstream: net.Socket, cut: () => void): void;

  private open(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', cut);
      socket.on('close', cut);
    }
    this.relay(client, upstream, cut);
  }
}
