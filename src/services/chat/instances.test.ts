/**
 * Two `teletel serve` instances on one PostgreSQL database, as behind a
 * load balancer: the real command, in-process, each on its own ports, with
 * the built-in services. A user on instance A (over WebSocket) and a user on
 * instance B (over TCP) chat in one CHAT room, see each other in the list
 * of who is connected, and a private message sent on A is read in the BAL on
 * B. Clients are real sockets decoded by our Terminal (server/test-support).
 * Skipped, with a message, when no PostgreSQL server answers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/cli.js';
import { parseCommandArgs } from '../../cli/command.js';
import { createServeCommand } from '../../cli/commands/serve.js';
import { TcpMinitel, WsMinitel, type TestMinitel } from '../../server/test-support/minitel.js';
import { probePostgres, skippedMessage, TEST_DATABASE_URL, TestSchemas } from '../../store/test-support/postgres.js';

const unreachable = await probePostgres();
if (unreachable !== null) console.warn(skippedMessage(unreachable));

interface Instance {
  port: number;
  tcpPort: number;
  stop: () => Promise<void>;
  logs: string[];
}

/** `teletel serve --database URL` in this process, on free ports, until stop(). */
async function serve(databaseUrl: string, dataDir: string): Promise<Instance> {
  let requestStop: (signal: string) => void = () => {};
  const logs: string[] = [];
  let ready: (address: { port: number; tcpPort: number | null }) => void = () => {};
  let failed: (error: unknown) => void = () => {};
  const listening = new Promise<{ port: number; tcpPort: number | null }>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const command = createServeCommand({
    stopSignal: () => new Promise<string>((resolve) => (requestStop = resolve)),
    onListening: (_gateway, address) => ready(address),
  });
  const args = parseCommandArgs(command, [
    '--port=0',
    '--tcp-port=0',
    '--tcp-speed=0',
    '--host=127.0.0.1',
    `--data=${dataDir}`,
    `--database=${databaseUrl}`,
    '--log-level=info',
  ]);
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      logs.push(chunk.toString());
      done();
    },
  });
  const served = command.run(args, { stdin: process.stdin, stdout: sink, stderr: sink, cwd: process.cwd(), env: {} });
  served.catch((error: unknown) => failed(error));
  const address = await listening;
  return {
    port: address.port,
    tcpPort: address.tcpPort ?? 0,
    logs,
    async stop() {
      requestStop('test over');
      await served;
    },
  };
}

async function openChat(m: TestMinitel, pseudo: string): Promise<void> {
  await m.waitFor(/Code :/);
  m.type('CHAT');
  m.key('Envoi');
  await m.waitFor(/Bienvenue sur la messagerie/);
  m.type(pseudo);
  m.key('Envoi');
  await m.waitFor(new RegExp(`Bonjour ${pseudo}`));
}

async function enterFirstRoom(m: TestMinitel): Promise<void> {
  m.type('1');
  m.key('Envoi');
  await m.waitFor(/LES SALONS/);
  m.type('1');
  m.key('Envoi');
  await m.waitFor(/SALON Accueil/);
}

function say(m: TestMinitel, text: string): void {
  m.type(text);
  m.key('Envoi');
}

describe.skipIf(unreachable !== null)('two teletel serve instances on one PostgreSQL database', () => {
  const schemas = new TestSchemas();
  let dataDir = '';
  let a: Instance;
  let b: Instance;
  const clients: TestMinitel[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'teletel-instances-'));
    const url = `${TEST_DATABASE_URL}?schema=${schemas.name()}`;
    // Started together, as after a deployment: the migrations' advisory lock lets one of them migrate.
    [a, b] = await Promise.all([serve(url, join(dataDir, 'a')), serve(url, join(dataDir, 'b'))]);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await schemas.dropAll();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('run on the PostgreSQL store and bus', () => {
    for (const instance of [a, b]) {
      expect(instance.logs.join('')).toMatch(/"store":"postgres"/);
      expect(instance.logs.join('')).toMatch(/"msg":"bus listening"/);
    }
  });

  it('a user on A and a user on B chat in one room, see each other connected, and a private message sent on A is read in the BAL on B', async () => {
    const ana = await WsMinitel.connect(`ws://127.0.0.1:${a.port}/ws`);
    const bob = await TcpMinitel.connect(b.tcpPort);
    clients.push(ana, bob);
    await openChat(ana, 'ana');
    await openChat(bob, 'bob');

    await enterFirstRoom(ana);
    await enterFirstRoom(bob);
    await ana.waitFor(() => /SALON Accueil +2 pr.sents/.test(ana.row(1)));
    await bob.waitFor(() => /SALON Accueil +2 pr.sents/.test(bob.row(1)));

    say(ana, 'bonjour de A');
    await bob.waitFor(/ana> bonjour de A/);
    say(bob, 'salut depuis B');
    await ana.waitFor(/bob> salut depuis B/);

    // /qui: presence lists both, whichever instance they are on.
    say(bob, '/qui');
    await bob.waitFor(/\* Ici : ana, bob/);

    // A private message on A: stored in PostgreSQL, alert on B's row 0 through the bus.
    say(ana, '/p bob rendez-vous a 8 h');
    await ana.waitFor(/\* Message envoy. . bob/);
    await bob.waitFor(() => bob.row(0).includes('Message de ana dans votre BAL'));

    bob.key('Sommaire');
    await bob.waitFor(/1 nouveau message dans votre BAL/);
    bob.type('3');
    bob.key('Envoi');
    await bob.waitFor(/BAL de bob/);
    bob.type('1');
    bob.key('Envoi');
    await bob.waitFor(/De : ana/);
    expect(bob.text).toContain('rendez-vous a 8 h');

    // Who is connected, seen from A: both users, with where they are.
    ana.key('Sommaire');
    await ana.waitFor(/Bonjour ana/);
    ana.type('2');
    ana.key('Envoi');
    await ana.waitFor(/CONNECTES : 2/);
    expect(ana.text).toMatch(/ana +\(menu\)/);
    expect(ana.text).toMatch(/bob +\(menu\)/);
  });
});

describe('teletel serve --database', () => {
  async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'teletel-database-'));
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    try {
      const code = await runCli(['serve', '--port=0', '--tcp-port=off', '--log-level=silent', `--data=${dir}`, ...args], {
        stdin: new PassThrough(),
        stdout: new PassThrough(),
        stderr,
        cwd: dir,
        env,
      });
      return { code, stderr: text };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('refuses a URL that is not PostgreSQL’s, saying what to give, without the password', async () => {
    const result = await cli(['--database', 'mysql://root:s3cret@db/teletel']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--database must be a PostgreSQL URL such as postgres:\/\/user:password@host:5432\/teletel/);
    expect(result.stderr).not.toContain('s3cret');
    const fromEnv = await cli([], { TELETEL_DATABASE_URL: 'sqlite.db' });
    expect(fromEnv.stderr).toMatch(/TELETEL_DATABASE_URL must be a PostgreSQL URL/);
  });

  it('stops at once with a clear message when the database does not answer', async () => {
    const started = Date.now();
    const result = await cli(['--database', 'postgres://teletel:s3cret@127.0.0.1:1/teletel']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot open the store: cannot open the PostgreSQL database postgres:\/\/teletel:\*\*\*@127\.0\.0\.1:1\/teletel/);
    expect(result.stderr).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
