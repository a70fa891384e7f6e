/**
 * A MiniPavi-protocol service written for the tests: a small Node HTTP
 * server that answers as the protocol says (and, on some paths, as it must
 * not), so the gateway's adapter is driven through real sockets.
 *
 *   /       CNX: a welcome page and an InputTxt prefilled 'ana'; ENVOI with a
 *           name: "Bonjour NAME" and an InputMsg of two lines; ENVOI with lines:
 *           shows them and pushes "NAME dit : LINE1" to every other user;
 *           SUITE: page 2 with no input; the context carries the name; FIN:
 *           pushes "NAME est parti" to the others, or answers an empty body.
 *   /slow /status /notjson /version /base64 /big /loop /evil /refused
 *           the failures the gateway must survive.
 *   /direct /v11 /empty /sluggish /chain /params /bye /setparam
 *           what MiniPaviCli services do that a gateway must take as MiniPavi does.
 *   /bgcall?delay=S&count=N&target=URL&uniqueid=ID&simulate=1: CNX, a page;
 *           any key then answers a BackgroundCall of N entries (1 by default) due in S seconds (may
 *           be negative), to call TARGET (/bgtarget by default) for ID (the
 *           caller's by default), or with simulate=1 to type "RAPPEL" into
 *           the caller's visit, whose next is /bgsimu (BGCALL-SIMU before
 *           the key: the same page).
 *   /bgtarget  BGCALL: pushes "Rappel pour UNIQUEID" to every user of / and /bgcall, with a
 *           page nobody must see; /bgother answers an InputTxt, to be ignored.
 *   /bgsimu BGCALL-SIMU: "Simule CONTENT" on the screen.
 *   /onward?command=connectToWs&host=H:P&path=/x (or connectToTln, with
 *           startseq, echo, case): a page and the command; then "Retour FCTN"
 *           for DIRECTCALLFAILED / DIRECTCALLENDED; Sommaire there: libCnx.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  path: string;
  /** The query of the URL called. */
  query: string;
  fctn: string;
  versionminitel: string;
  content: string[];
  context: string;
  uniqueId: string;
  userAgent: string;
  urlParams: Record<string, string> | undefined;
}

export interface TestService {
  url(path?: string): string;
  readonly calls: Call[];
  close(): Promise<void>;
}

const CLEAR = '\x1f\x40\x41\x18\x0a\x0c';
const at = (row: number, column: number): string => `\x1f${String.fromCharCode(0x40 + row)}${String.fromCharCode(0x40 + column)}`;

function answer(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: '1.0', content: Buffer.from(content, 'latin1').toString('base64'), context: '', echo: 'on', next: '', directcall: 'no', ...extra };
}

export async function startTestService(): Promise<TestService> {
  const calls: Call[] = [];
  const users = new Set<string>();
  let base = '';
  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      PAVI: { fctn: string; content: string[]; context: string; uniqueId: string; versionminitel: string };
      URLPARAMS?: Record<string, string>;
    };
    const url = new URL(request.url ?? '/', 'http://x');
    const path = url.pathname;
    const { fctn, content, context, uniqueId, versionminitel } = body.PAVI;
    const n = calls.push({ path, query: url.search, fctn, content, context, uniqueId, versionminitel, userAgent: request.headers['user-agent'] ?? '', urlParams: body.URLPARAMS });
    const send = (status: number, text: string, type = 'application/json'): void => {
      response.writeHead(status, { 'Content-Type': type });
      response.end(text);
    };
    const json = (value: unknown): void => send(200, JSON.stringify(value));
    switch (path) {
      case '/slow':
        return; // never answers
      case '/status':
        return send(500, 'oops', 'text/plain');
      case '/notjson':
        return send(200, '<html>not json</html>', 'text/html');
      case '/version':
        return json({ ...answer('x'), version: '2.0' });
      case '/base64':
        return json({ ...answer(''), content: '%%%not base64%%%' });
      case '/big':
        return json(answer('x'.repeat(600 * 1024)));
      case '/loop':
        response.writeHead(302, { Location: `${base}/loop` });
        return void response.end();
      case '/evil':
        return json(answer(`${CLEAR}Evil`, { next: 'http://169.254.169.254/latest/meta-data' }));
      case '/direct':
        // MiniPaviCli says directcall yes whenever a service leaves it unset: a chain without end.
        return json(answer(`${CLEAR}Again ${n}`, { directcall: 'yes', next: `${base}/direct` }));
      case '/v11':
        // MiniPaviCli's own version in every answer.
        return json({ ...answer(`${CLEAR}Version 1.1`), version: '1.1' });
      case '/empty':
        if (fctn === 'CNX') return json(answer(`${CLEAR}Vide`, { next: `${base}/empty`, COMMAND: { name: 'InputTxt', param: { x: 1, y: 5, l: 10 } } }));
        return send(200, '', 'text/html');
      case '/sluggish':
        await new Promise((resolve) => setTimeout(resolve, 400));
        return json(answer(`${CLEAR}Appel ${n} ${fctn}`, { context: `sluggish ${n}`, next: `${base}/sluggish` }));
      case '/chain':
        if (fctn === 'CNX') return json(answer(`${CLEAR}Connexion`, { directcall: 'yes-cnx', next: `${base}/chain` }));
        return json(answer(`${CLEAR}${at(1, 1)}Puis ${fctn}`, { next: `${base}/chain` }));
      case '/params':
        if (fctn === 'CNX') return json(answer(`${CLEAR}Etape 1`, { context: 'c1', next: `${base}/params?step=2&lang=fr` }));
        if (body.URLPARAMS?.step === '2') return json(answer(`${CLEAR}Etape 2`, { context: '', next: `${base}/params` }));
        return json(answer(`${CLEAR}Etape 3 ${context}`, { next: `${base}/params` }));
      case '/bye':
        return json(answer(`${CLEAR}Au revoir`, { COMMAND: { name: 'libCnx' } }));
      case '/setparam':
        return json(answer(`${CLEAR}Reglages`, { COMMAND: { name: 'setParam', param: { screensaver: 'off', timeout: 5 } } }));
      case '/refused':
        return json(answer(`${CLEAR}Duplicate`, { COMMAND: { name: 'duplicateStream', param: { key: 'k', uniqueid: '123' } } }));
      case '/bgcall': {
        const p = body.URLPARAMS ?? {};
        if (fctn === 'CNX') {
          users.add(uniqueId);
          return json(answer(`${CLEAR}${at(1, 1)}Rappels`, { next: `${base}/bgcall${url.search}` }));
        }
        if (fctn === 'BGCALL-SIMU') return json(answer(`${CLEAR}${at(3, 1)}Simule ${fctn} ${content.join('/')}`, { next: `${base}/bgsimu` }));
        const count = Number(p.count ?? 1);
        const time = Math.floor(Date.now() / 1000) + Number(p.delay ?? 0);
        const simulate = p.simulate === '1';
        const target = simulate ? 'RAPPEL' : (p.target ?? `${base}/bgtarget`);
        const param = {
          url: Array.from({ length: count }, () => target),
          time: Array.from({ length: count }, () => time),
          uniqueid: Array.from({ length: count }, () => p.uniqueid ?? uniqueId),
          simulate: Array.from({ length: count }, () => simulate),
        };
        return json(answer(`${CLEAR}${at(1, 1)}Rappel programme`, { next: `${base}/bgsimu`, COMMAND: { name: 'BackgroundCall', param } }));
      }
      case '/bgtarget':
        return json(
          answer(`${CLEAR}Jamais vu`, {
            COMMAND: { name: 'PushServiceMsg', param: { message: [...users].map(() => `Rappel pour ${uniqueId}`), uniqueids: [...users] } },
          }),
        );
      case '/bgother':
        return json(answer(`${CLEAR}Jamais vu`, { COMMAND: { name: 'InputTxt', param: { x: 1, y: 5, l: 10 } } }));
      case '/bgsimu':
        return json(answer(`${CLEAR}${at(3, 1)}Simule ${fctn} ${content.join('/')}`, { next: `${base}/bgsimu` }));
      case '/onward': {
        const p = body.URLPARAMS ?? {};
        const next = `${base}/onward${url.search}`;
        if (fctn === 'CNX') {
          const param = { key: '', host: p.host, path: p.path ?? '/', echo: p.echo ?? 'off', case: p.case ?? 'lower', proto: p.proto ?? '', startseq: p.startseq ?? '' };
          return json(answer(`${CLEAR}${at(1, 1)}Connexion en cours`, { next, COMMAND: { name: p.command, param } }));
        }
        if (fctn === 'SOMMAIRE') return json(answer(`${CLEAR}Au revoir`, { COMMAND: { name: 'libCnx' } }));
        return json(answer(`${CLEAR}${at(2, 1)}Retour ${fctn}`, { next }));
      }
    }
    if (fctn === 'FIN') {
      users.delete(uniqueId);
      const { name } = JSON.parse(context.startsWith('{') ? context : '{}') as { name?: string };
      if (users.size === 0 || name === undefined) return send(200, '', 'text/html');
      return json(answer('', { COMMAND: { name: 'PushServiceMsg', param: { message: [...users].map(() => `${name} est parti`), uniqueids: [...users] } } }));
    }
    if (fctn === 'CNX') {
      users.add(uniqueId);
      return json(
        answer(`${CLEAR}${at(2, 1)}Bienvenue sur PAVITEST${at(10, 2)}Nom :`, {
          context: 'step1',
          next: `${base}/`,
          COMMAND: { name: 'InputTxt', param: { x: 10, y: 10, l: 8, char: '', spacechar: '.', prefill: 'ana', cursor: 'on', validwith: 128 } },
        }),
      );
    }
    if (context === 'step1' && fctn === 'ENVOI') {
      const name = content[0] ?? '';
      return json(
        answer(`${CLEAR}${at(2, 1)}Bonjour ${name}${at(12, 1)}Message :`, {
          context: JSON.stringify({ name }),
          next: `${base}/`,
          COMMAND: { name: 'InputMsg', param: { x: 1, y: 13, w: 30, h: 2, spacechar: ' ', prefill: [], cursor: 'on', validwith: 128 | 64 } },
        }),
      );
    }
    const saved = JSON.parse(context || '{}') as { name?: string };
    if (fctn === 'SUITE') return json(answer(`${CLEAR}${at(2, 1)}Page 2 de ${saved.name ?? '?'}`, { context, next: `${base}/` }));
    const others = [...users].filter((u) => u !== uniqueId);
    return json(
      answer(`${CLEAR}${at(2, 1)}${saved.name ?? '?'} a dit :${at(4, 1)}${content.join('/')}`, {
        context,
        next: `${base}/`,
        COMMAND: { name: 'PushServiceMsg', param: { message: others.map(() => `${saved.name ?? '?'} dit : ${content[0] ?? ''}`), uniqueids: others } },
      }),
    );
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path = '/') => `${base}${path}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
