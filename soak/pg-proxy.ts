/**
 * A TCP hop between the instances and PostgreSQL that the soak can cut: a
 * blackout makes the database unreachable as a dead network does (packets
 * go nowhere: open connections hang, new ones are never answered) rather
 * than refusing at once, so the instances' timeouts are what saves them.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class PgProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  private readonly held = new Set<Socket>();
  private blackout = false;
  connections = 0;

  constructor(
    private readonly target = { host: '127.0.0.1', port: 5432 },
  ) {}

  async listen(): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy address');
    return address.port;
  }

  /** Unreachable for `ms`: every open connection is frozen, then dropped; new ones hang until it is over. */
  async cut(ms: number): Promise<void> {
    this.blackout = true;
    for (const [client, upstream] of this.pairs) {
      client.pause();
      upstream.pause();
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    for (const socket of this.held) socket.destroy();
    this.held.clear();
    this.blackout = false;
  }

  async close(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    for (const socket of this.held) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    client.on('error', () => {});
    if (this.blackout) {
      this.held.add(client);
      client.once('close', () => this.held.delete(client));
      return;
    }
    this.connections++;
    const upstream = connect(this.target.port, this.target.host);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', drop);
    upstream.once('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
