/** Where connectToWs and connectToTln lead, and the hosts a service may reach: read before any socket exists. */
import { describe, expect, it } from 'vitest';
import { readAnswer, unescapeC, type ConnectTo, type MiniPaviError } from './protocol.js';
import { onwardHosts, onwardTarget } from './target.js';

const allowed = onwardHosts('https://svc.example:8443/minipavi/', ['Api.Example', 'other.example:2323']);

function command(name: ConnectTo['name'], host: string, path = '/'): ConnectTo {
  return { name, host, path, proto: '', echo: false, lowercase: true, startSequence: new Uint8Array(0) };
}

describe('onwardTarget', () => {
  it("reads MiniPavi's host forms, with the default ports", () => {
    expect(onwardTarget(command('connectToWs', 'svc.example:8080', '/ws'), allowed)).toMatchObject({ transport: 'websocket', url: 'ws://svc.example:8080/ws', secure: false });
    expect(onwardTarget(command('connectToWs', 'ssl://svc.example'), allowed)).toMatchObject({ url: 'wss://svc.example:443/', secure: true });
    expect(onwardTarget(command('connectToWs', 'wss://SVC.example:9000', 'x'), allowed)).toMatchObject({ url: 'wss://svc.example:9000/x' });
    expect(onwardTarget(command('connectToTln', 'svc.example'), allowed)).toMatchObject({ transport: 'telnet', hostname: 'svc.example', port: 23 });
    expect(onwardTarget(command('connectToTln', 'api.example:6000'), allowed)).toMatchObject({ label: 'api.example:6000' });
    expect(onwardTarget(command('connectToTln', 'other.example:2323'), allowed)).toMatchObject({ port: 2323 });
  });

  const refused: [string, ConnectTo][] = [
    ['another host', command('connectToWs', 'evil.example:80')],
    ['an allowed name on a port not allowed', command('connectToTln', 'other.example:23')],
    ['the metadata address', command('connectToTln', '169.254.169.254:80')],
    ['user info', command('connectToTln', 'evil.example@svc.example:23')],
    ['a scheme telnet does not use', command('connectToTln', 'ws://svc.example:23')],
    ['a scheme WebSocket does not use', command('connectToWs', 'http://svc.example')],
    ['no port number', command('connectToTln', 'svc.example:99999')],
    ['an overlong host', command('connectToTln', `${'a'.repeat(400)}.svc.example`)],
  ];
  for (const [what, c] of refused) {
    it(`refuses ${what}`, () => {
      let kind: string | undefined;
      try {
        onwardTarget(c, allowed);
      } catch (error) {
        kind = (error as MiniPaviError).kind;
      }
      expect(kind).toBe('host');
    });
  }
});

describe('connectToWs and connectToTln in an answer', () => {
  it("reads MiniPaviCli's parameters, and a startseq with C escapes", () => {
    const answer = readAnswer({ content: '', COMMAND: { name: 'connectToTln', param: { host: ' h:23 ', key: 'k', echo: 'on', case: 'upper', startseq: '\\x13\\x41\\r' } } });
    expect(answer.command).toMatchObject({ name: 'connectToTln', host: 'h:23', path: '/', echo: true, lowercase: false });
    expect(answer.command?.name === 'connectToTln' && [...answer.command.startSequence]).toEqual([0x13, 0x41, 0x0d]);
    expect(readAnswer({ content: '', COMMAND: { name: 'connectToWs', param: { host: '' } } }).command).toBeUndefined();
    expect([...unescapeC('a\\101\\\\\\n')]).toEqual([0x61, 0x41, 0x5c, 0x0a]);
  });
});
