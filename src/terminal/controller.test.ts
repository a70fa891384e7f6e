/** The emulator's controller in Node: no DOM, a line that records what it is given. */
import { describe, expect, it } from 'vitest';
import { TerminalController, type ControllerEvents, type LineLink } from './controller.js';
import type { LinkHandlers, LinkStatus } from './link.js';
import { LIMITS } from './limits.js';

/** A line for tests: what was sent, what was opened and closed, and the handlers to play the server. */
class RecordedLine implements LineLink {
  readonly sent: number[][] = [];
  opened: string | undefined;
  closedWith: string | undefined;
  constructor(readonly handlers: LinkHandlers) {}
  open(url: string): void {
    this.opened = url;
    this.handlers.onStatus({ state: 'connected', url });
  }
  send(bytes: Uint8Array): boolean {
    this.sent.push([...bytes]);
    return true;
  }
  close(reason?: string): void {
    this.closedWith = reason ?? 'closed';
    this.handlers.onStatus({ state: 'closed', url: this.opened ?? '', reason });
  }
}

function setUp(): { controller: TerminalController; lines: RecordedLine[]; seen: { statuses: LinkStatus[]; notes: string[]; events: string[]; bells: number } } {
  const lines: RecordedLine[] = [];
  const seen = { statuses: [] as LinkStatus[], notes: [] as string[], events: [] as string[], bells: 0 };
  const events: ControllerEvents = {
    paint: () => {},
    bell: () => seen.bells++,
    status: (status) => seen.statuses.push(status),
    note: (message) => seen.notes.push(message),
    emit: (type) => seen.events.push(type),
  };
  const controller = new TerminalController(
    {
      model: 'minitel2',
      speed: 0,
      frames: 'auto',
      protocols: [],
      createLink: (handlers) => {
        const line = new RecordedLine(handlers);
        lines.push(line);
        return line;
      },
    },
    events,
  );
  return { controller, lines, seen };
}

describe('the emulator controller', () => {
  it('decodes what the line brings and answers ENQROM on the line (p.134)', () => {
    const { controller, lines, seen } = setUp();
    controller.connect('ws://server/ws');
    const line = lines.at(-1)!;
    expect(seen.statuses.at(-1)?.state).toBe('connected');
    line.handlers.onBytes(Uint8Array.of(0x0c, 0x41, 0x42, 0x07, 0x1b, 0x39, 0x7b));
    expect(controller.terminal.screen.rowText(1)).toMatch(/^AB/);
    expect(seen.bells).toBe(1);
    expect(line.sent.length).toBe(1); // the ENQROM identity, sent back
    expect(line.sent[0][0]).toBe(0x01);
  });

  it('sends keys while connected, in the keyboard mode the service set, and shows them only with local echo', () => {
    const { controller, lines } = setUp();
    controller.connect('ws://server/ws');
    const line = lines.at(-1)!;
    expect(controller.perform({ type: 'key', key: { type: 'char', char: 'a' } }, false)).toBe(true);
    expect(line.sent.at(-1)).toEqual([0x41]); // capitals until lowercase is switched on (p.110)
    expect(controller.terminal.screen.rowText(1).trim()).toBe('');
    expect(controller.perform({ type: 'key', key: { type: 'function', name: 'Envoi' } }, false)).toBe(true);
    expect(line.sent.at(-1)).toEqual([0x13, 0x41]);
  });

  it('Connexion/Fin sends SEP 49, a second press hangs up, and idle it asks the element to dial', () => {
    const { controller, lines } = setUp();
    const fin = { type: 'key', key: { type: 'function', name: 'ConnexionFin' } } as const;
    expect(controller.perform(fin, false)).toBe(false);
    controller.connect('ws://server/ws');
    const line = lines.at(-1)!;
    expect(controller.perform(fin, false)).toBe(true);
    expect(line.sent.at(-1)).toEqual([0x13, 0x49]);
    controller.perform(fin, false);
    expect(line.closedWith).toBe('hung up (Connexion/Fin)');
  });

  it('a new call resets the terminal and the line; a model change keeps the screen', () => {
    const { controller, lines } = setUp();
    controller.connect('ws://a/ws');
    lines.at(-1)!.handlers.onBytes(Uint8Array.of(0x0c, 0x5a));
    controller.setModel('minitel1b');
    expect(controller.terminal.model).toBe('minitel1b');
    expect(controller.terminal.screen.rowText(1)).toMatch(/^Z/);
    controller.connect('ws://b/ws');
    expect(lines.length).toBe(3); // the first made at start, then one per call
    expect(lines[1].closedWith).toBeDefined();
    expect(controller.terminal.screen.rowText(1).trim()).toBe('');
  });

  it('records what it receives, and refuses to replay a file past the limit', () => {
    const { controller, seen } = setUp();
    controller.startRecording();
    controller.receive(Uint8Array.of(0x0c, 0x41));
    expect([...controller.stopRecording()]).toEqual([0x0c, 0x41]);
    expect(controller.replay(new Uint8Array(LIMITS.replayFileBytes + 1), 'huge.vdt')).toBe(false);
    expect(seen.notes.at(-1)).toMatch(/huge\.vdt is larger than/);
    expect(controller.replay(Uint8Array.of(0x0c, 0x42, 0xff, 0xff), 'page.vdt')).toBe(true);
    expect(controller.terminal.screen.rowText(1)).toMatch(/^B/);
  });
});
