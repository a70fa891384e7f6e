/**
 * User services in `teletel serve`: folders scaffolded by `teletel
 * new-service`, served beside the built-ins by the real command (in-process),
 * used by real WebSocket and TCP clients; `--dev` reloading them as they
 * change on disk. Waits are on log lines and screens, never on the clock;
 * the time limits only turn a hang into a failure.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli.js';
import { parseCommandArgs } from '../cli/command.js';
import { createServeCommand } from '../cli/commands/serve.js';
import { fakeIo } from '../test-support/fake-io.js';
import type { Service } from '../sdk/service.js';
import { TcpMinitel, WsMinitel, type TestMinitel } from './test-support/minitel.js';
import { ECHO } from './test-support/services.js';

/**
 * A project folder as a user has one: a package.json ("type": "module"), and
 * `teletel` installed in node_modules, here a stand-in whose `teletel/sdk`
 * is this checkout's SDK, so the scaffolded `import … from 'teletel/sdk'`
 * resolves as it does for a user, without a build.
 */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teletel-user-services-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mon-minitel', private: true, type: 'module' }));
  const teletel = join(dir, 'node_modules', 'teletel');
  mkdirSync(teletel, { recursive: true });
  writeFileSync(join(teletel, 'package.json'), JSON.stringify({ name: 'teletel', type: 'module', exports: { './sdk': './sdk.js' } }));
  const sdk = new URL('../sdk/index.ts', import.meta.url).href;
  writeFileSync(join(teletel, 'sdk.js'), `export * from '${sdk}';\n`);
  made.push(dir);
  return dir;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function newService(cwd: string, ...args: string[]): Promise<void> {
  const io = fakeIo({ cwd });
  expect(await runCli(['new-service', ...args], io), io.stderrText()).toBe(0);
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

interface Served {
  port: number;
  tcpPort: number;
  logs: LogLine[];
  /** Resolves with the first log line from now on that `test` accepts. */
  nextLog(test: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  stop(): Promise<void>;
}

const running: Served[] = [];
const clients: TestMinitel[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const served of running.splice(0)) await served.stop();
});

/** `teletel serve` in this process on free ports, with `builtIns` as its built-in services. */
async function serve(cwd: string, flags: string[], builtIns: readonly Service[] = [ECHO]): Promise<Served> {
  let requestStop: (signal: string) => void = () => {};
  const logs: LogLine[] = [];
  let waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let ready: (address: { port: number; tcpPort: number | null }) => void = () => {};
  let failed: (error: unknown) => void = () => {};
  const listening = new Promise<{ port: number; tcpPort: number | null }>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const command = createServeCommand({
    services: async () => builtIns,
    stopSignal: () => new Promise<string>((resolve) => (requestStop = resolve)),
    onListening: (_gateway, address) => ready(address),
  });
  const args = parseCommandArgs(command, ['--port=0', '--tcp-port=0', '--tcp-speed=0', '--host=127.0.0.1', `--data=${join(cwd, 'data')}`, ...flags]);
  let pending = '';
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      pending += chunk.toString();
      let end;
      while ((end = pending.indexOf('\n')) >= 0) {
        const line = JSON.parse(pending.slice(0, end)) as LogLine;
        pending = pending.slice(end + 1);
        logs.push(line);
        const ready = waiters.filter((w) => w.test(line));
        waiters = waiters.filter((w) => !ready.includes(w));
        for (const w of ready) w.resolve(line);
      }
      done();
    },
  });
  const run = command.run(args, { stdin: process.stdin, stdout: sink, stderr: sink, cwd, env: {} });
  run.catch((error: unknown) => failed(error));
  const address = await listening;
  let stopped: Promise<void> | undefined;
  const served: Served = {
    port: address.port,
    tcpPort: address.tcpPort ?? 0,
    logs,
    nextLog(test, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such log line; the log:\n${logs.map((l) => l.msg).join('\n')}`)), timeoutMs);
        waiters.push({
          test,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    stop() {
      stopped ??= (async () => {
        requestStop('test over');
        await run;
      })();
      return stopped;
    },
  };
  running.push(served);
  return served;
}

async function ws(served: Served): Promise<WsMinitel> {
  const m = await WsMinitel.connect(`ws://127.0.0.1:${served.port}/ws`);
  clients.push(m);
  await m.waitFor(/Code :/);
  return m;
}

async function tcp(served: Served): Promise<TcpMinitel> {
  const m = await TcpMinitel.connect(served.tcpPort);
  clients.push(m);
  await m.waitFor(/Code :/);
  return m;
}

/** Types a code at the home page and sends it. */
function open(m: TestMinitel, code: string): void {
  m.type(code);
  m.key('Envoi');
}

const logged = (text: string | RegExp) => (line: LogLine) => (typeof text === 'string' ? line.msg.includes(text) : text.test(line.msg));

describe('teletel serve --services', () => {
  it('serves a TypeScript service and a service.json service made by teletel new-service, without a build', async () => {
    const dir = project();
    await newService(dir, 'meteo');
    await newService(dir, 'petites-annonces', '--pages', '--code', 'ANNONCES');
    const served = await serve(dir, [`--services=${join(dir, 'services')}`]);
    expect(served.logs.find(logged('2 user services'))).toMatchObject({ services: ['ANNONCES', 'METEO'] });

    const a = await ws(served);
    open(a, 'METEO');
    await a.waitFor(/Votre nom \?/);
    a.type('Ana');
    a.key('Envoi');
    await a.waitFor(() => a.row(0).startsWith('Bonjour Ana !'));

    const b = await tcp(served);
    open(b, '3615 annonces');
    await b.waitFor(/Bienvenue !/);
    b.type('1');
    b.key('Envoi');
    await b.waitFor(/La page suivante\./);
    // The built-ins are still there.
    const c = await ws(served);
    open(c, 'ECHO');
    await c.waitFor(/Service ECHO/);
  });

  it('uses ./services by default, and refuses a --services folder that does not exist', async () => {
    const dir = project();
    await newService(dir, 'meteo', '--pages');
    const served = await serve(dir, []);
    const m = await ws(served);
    open(m, 'METEO');
    await m.waitFor(/Bienvenue !/);
    await served.stop();

    const command = createServeCommand({ services: async () => [] });
    const args = parseCommandArgs(command, ['--port=0', '--tcp-port=off', `--data=${join(dir, 'data')}`, '--services=nulle-part']);
    await expect(command.run(args, fakeIo({ cwd: dir }))).rejects.toThrow(/--services: .*nulle-part is not a folder/);
  });

  it('starts the good folders when others are broken, logging each problem with its file, line and column', async () => {
    const dir = project();
    await newService(dir, 'meteo', '--pages');
    const services = join(dir, 'services');
    mkdirSync(join(services, 'casse'));
    writeFileSync(join(services, 'casse', 'service.json'), '{\n  "code": "CASSE",\n  "name": \n}\n');
    // Same code as the built-in ECHO: the built-in keeps it.
    await newService(dir, 'echo', '--pages');
    // Same code as meteo, in a folder after it by name: meteo keeps it.
    await newService(dir, 'meteo-bis', '--pages', '--code', 'METEO');
    writeFileSync(join(services, 'notes.txt'), 'pas un service');

    const served = await serve(dir, [`--services=${services}`]);
    const errors = served.logs.filter((line) => line.level >= 50);
    expect(errors.map((line) => line.msg)).toEqual([
      `service not loaded:\n${join(services, 'casse', 'service.json')}:4:1: JSON syntax: unexpected '}' where a value was expected`,
      `service ECHO in ${join(services, 'echo')} refused: ECHO is a built-in service, which keeps its code; give this one another "code"`,
      `service METEO in ${join(services, 'meteo-bis')} refused: ${join(services, 'meteo')} already serves METEO; give one of them another "code"`,
    ]);
    expect(errors[0]).toMatchObject({ folder: join(services, 'casse') });

    const m = await ws(served);
    open(m, 'METEO');
    await m.waitFor(/Bienvenue !/);
    const e = await ws(served);
    open(e, 'ECHO');
    await e.waitFor(/Service ECHO/);
    const x = await ws(served);
    open(x, 'CASSE');
    await x.waitFor(() => x.row(0).startsWith('Service inconnu'));
  });
});

describe('teletel serve --dev', () => {
  it('reloads a changed service for new visits, keeps the old one for visits under way and after a broken save, and follows folders added and removed', async () => {
    const dir = project();
    await newService(dir, 'meteo');
    const services = join(dir, 'services');
    const index = join(services, 'meteo', 'index.ts');
    const served = await serve(dir, [`--services=${services}`, '--dev']);
    // Watching starts before the command says it is listening.
    expect(served.logs.find(logged('watching'))).toBeDefined();

    // A user inside the first version.
    const early = await ws(served);
    open(early, 'METEO');
    await early.waitFor(/Votre nom \?/);

    let reloaded = served.nextLog(logged('service METEO reloaded'));
    writeFileSync(index, readFileSync(index, 'utf8').replace('Votre nom ?', 'Votre prénom ?'));
    await reloaded;
    const late = await tcp(served);
    open(late, 'METEO');
    await late.waitFor(/Votre prénom \?/);
    // The first user finishes the visit on the version it started with.
    early.type('Ana');
    early.key('Envoi');
    await early.waitFor(() => early.row(0).startsWith('Bonjour Ana !'));
    expect(early.text).toContain('Votre nom ?');

    // Files the service imports are new instances too.
    writeFileSync(join(services, 'meteo', 'textes.ts'), "export const QUESTION: string = 'Quel temps ?';\n");
    reloaded = served.nextLog(logged('service METEO reloaded'));
    writeFileSync(index, `import { QUESTION } from './textes.js';\n${readFileSync(index, 'utf8').replace("'Votre prénom ?'", 'QUESTION')}`);
    await reloaded;
    reloaded = served.nextLog(logged('service METEO reloaded'));
    writeFileSync(join(services, 'meteo', 'textes.ts'), "export const QUESTION: string = 'Quel temps fait-il ?';\n");
    await reloaded;
    const third = await ws(served);
    open(third, 'METEO');
    await third.waitFor(/Quel temps fait-il \?/);

    // A syntax error: logged with the place, and the last good version still serves.
    const refused = served.nextLog((line) => line.level >= 50);
    writeFileSync(index, `${readFileSync(index, 'utf8')}\nconst = ;\n`);
    const error = await refused;
    expect(error.msg).toMatch(/^service METEO not reloaded, the previous version still runs:\n/);
    expect(error.msg).toContain(`${index}:`);
    expect(error.msg).toMatch(/index\.ts:\d+:\d+: ERROR: /);
    const fourth = await ws(served);
    open(fourth, 'METEO');
    await fourth.waitFor(/Quel temps fait-il \?/);

    // A new folder.
    const added = served.nextLog(logged('service HOROSCOPE loaded'));
    await newService(dir, 'horoscope');
    await added;
    const fifth = await tcp(served);
    open(fifth, 'HOROSCOPE');
    await fifth.waitFor(/Votre nom \?/);
    fifth.type('Zoe');
    fifth.key('Envoi');
    await fifth.waitFor(() => fifth.row(0).startsWith('Bonjour Zoe !'));

    // A folder removed.
    const removed = served.nextLog(logged('service HOROSCOPE withdrawn'));
    rmSync(join(services, 'horoscope'), { recursive: true });
    await removed;
    const sixth = await ws(served);
    open(sixth, 'HOROSCOPE');
    await sixth.waitFor(() => sixth.row(0).startsWith('Service inconnu'));
  });

  it('serves a refused folder once the code it wanted is free', async () => {
    const dir = project();
    await newService(dir, 'meteo', '--pages');
    await newService(dir, 'meteo-bis', '--pages', '--code', 'METEO');
    const services = join(dir, 'services');
    writeFileSync(join(services, 'meteo-bis', 'accueil.vdt'), readFileSync(join(services, 'meteo-bis', 'accueil.vdt'), 'latin1').replace('Bienvenue !', 'Seconde'), 'latin1');
    const served = await serve(dir, [`--services=${services}`, '--dev']);
    // Watching starts before the command says it is listening.
    expect(served.logs.find(logged('watching'))).toBeDefined();
    const freed = served.nextLog(logged('service METEO loaded: its code is free now'));
    rmSync(join(services, 'meteo'), { recursive: true });
    await freed;
    const m = await ws(served);
    open(m, 'METEO');
    await m.waitFor(/Seconde/);
  });
});
