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

/**
 * The proxy in a process of its own (soak/pg-proxy-process.ts): in the soak's
 * process, busy decoding thousands of screens, every database round trip
 * would wait for that event loop, and the instances would time out on the
 * soak's own lag rather than on anything of theirs.
 */
export class PgProxyProcess {
  private child: import('node:child_process').ChildProcess | undefined;
  private waiting: ((message: { port?: number; cut?: true }) => void)[] = [];

  async listen(target: { host: string; port: number }): Promise<number> {
    const { fork } = await import('node:child_process');
    const child = fork(new URL('./pg-proxy-process.ts', import.meta.url), [target.host, String(target.port)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (message) => this.waiting.shift()?.(message as { port?: number; cut?: true }));
    const { port } = await this.next();
    if (port === undefined) throw new Error('the PostgreSQL proxy did not say its port');
    return port;
  }

  async cut(ms: number): Promise<void> {
    const done = this.next();
    this.child?.send({ cut: ms });
    await done;
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const ended = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await ended;
  }

  private next(): Promise<{ port?: number; cut?: true }> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
