import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineService } from './define.js';
import { connect } from './testing.js';
import { Painter } from './draw.js';
import { SessionClosedError, isControlSignal } from './errors.js';
import { isSdkErrorWithCode } from './test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'teletel-sdk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const latin = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('pages', () => {
  it('shows a .vdt file relative to pagesDir, with its padding stripped', async () => {
    writeFileSync(join(dir, 'accueil.vdt'), Uint8Array.from([...latin('\x0c\x1f\x45\x43Bienvenue'), 0x1a, 0xff, 0xff]));
    const service = defineService({
      code: 'PAGES',
      name: 'Pages',
      pagesDir: dir,
      async session(s) {
        await s.show('accueil.vdt');
        await s.key();
      },
    });
    const m = connect(service);
    await m.waitForText('Bienvenue');
    expect(m.rowText(5)).toBe('  Bienvenue');
    expect(m.screenText()).not.toContain('█');
  });

  it('fills {{placeholders}} with safe text, padded or cut to their width', async () => {
    const page = latin('\x0c\x1f\x42\x41Bonjour {{nom}} !\x1f\x43\x41[{{ville:6}}]\x1f\x44\x41[{{absent:3}}]');
    const service = defineService({
      code: 'TPL',
      name: 'Template',
      async session(s) {
        await s.show(page, { values: { nom: 'Zoé\u001b\u0007', ville: 'Montpellier' } });
        await s.key();
      },
    });
    const m = connect(service);
    await m.idle();
    expect(m.rowText(2)).toBe('Bonjour Zoé?? !');
    expect(m.rowText(3)).toBe('[Montpe]');
    expect(m.rowText(4)).toBe('[   ]');
  });

  it('shows raw bytes and anything with toBytes() (a builder, a Painter)', async () => {
    const service = defineService({
      code: 'RAW',
      name: 'Raw',
      async session(s) {
        await s.show(latin('\x0cbytes'));
        await s.show(new Painter().at(2, 1).text('painter'));
        await s.key();
      },
    });
    const m = connect(service);
    await m.idle();
    expect(m.rowText(1)).toBe('bytes');
    expect(m.rowText(2)).toBe('painter');
  });

  it('a missing page fails with TELETEL_E_PAGE naming the file', async () => {
    const service = defineService({
      code: 'MISSING',
      name: 'Missing',
      pagesDir: dir,
      async session(s) {
        await s.show('absente.vdt');
      },
    });
    const m = connect(service);
    await m.done;
    expect(isSdkErrorWithCode(m.error, 'TELETEL_E_PAGE')).toBe(true);
    expect(String(m.error)).toMatch(/absente\.vdt cannot be read: ENOENT/);
    expect(m.logs.map((l) => l.level)).toEqual(['error']);
  });
});

describe('keys and navigation', () => {
  it('Sommaire brings the user back to the start of the handler, keeping s.state', async () => {
    let starts = 0;
    const service = defineService<{ visits: number }>({
      code: 'SOM',
      name: 'Sommaire',
      state: () => ({ visits: 0 }),
      async session(s) {
        starts++;
        s.state.visits++;
        s.clear();
        s.print(1, 1, `Sommaire ${s.state.visits}`);
        await s.waitKey('Suite');
        s.clear();
        s.print(1, 1, 'Page 2');
        await s.form({ x: { row: 5, column: 1, length: 5 } });
      },
    });
    const m = connect(service);
    await m.press('Suite');
    await m.type('abc');
    expect(m.rowText(1)).toBe('Page 2');
    await m.press('Sommaire');
    expect(m.rowText(1)).toBe('Sommaire 2');
    expect(m.terminal.screen.cursorVisible).toBe(false);
    expect(starts).toBe(2);
  });

  it('Sommaire stops the intervals the handler started, so they do not pile up and draw on the summary', async () => {
    const ticks: number[] = [];
    const service = defineService<{ runs: number }>({
      code: 'TICK',
      name: 'Tick',
      state: () => ({ runs: 0 }),
      async session(s) {
        const run = ++s.state.runs;
        s.clear();
        s.print(1, 1, `Run ${run}`);
        s.setInterval(() => ticks.push(run), 5);
        await s.key();
      },
    });
    const m = connect(service);
    await m.waitForText('Run 1');
    await m.press('Sommaire');
    await m.press('Sommaire');
    expect(m.rowText(1)).toBe('Run 3');
    ticks.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(ticks.length).toBeGreaterThan(0);
    expect(new Set(ticks)).toEqual(new Set([3]));
    await m.hangUp();
  });

  it('the service may handle Sommaire itself', async () => {
    const service = defineService({
      code: 'OWN',
      name: 'Own',
      async session(s) {
        const key = await s.key({ handles: ['Sommaire'] });
        s.print(1, 1, key.type === 'function' ? key.name : 'other');
        await s.key();
      },
    });
    const m = connect(service);
    await m.press('Sommaire');
    expect(m.rowText(1)).toBe('Sommaire');
  });

  it('s.key gives characters, ⏎, cursor keys and function keys as events', async () => {
    const keys: string[] = [];
    const service = defineService({
      code: 'KEYS',
      name: 'Keys',
      async session(s) {
        for (;;) {
          // Répétition has a default (the page sent again): asked for, it comes as a key.
          const key = await s.key({ handles: ['Repetition'] });
          keys.push(key.type === 'char' ? key.char : key.type === 'enter' ? 'enter' : key.type === 'control' ? `^${key.code}` : key.name);
        }
      },
    });
    const m = connect(service);
    await m.type('aé');
    await m.press('Enter', 'Up', 'Guide', 'Repetition');
    expect(keys).toEqual(['a', 'é', 'enter', 'Up', 'Guide', 'Repetition']);
    expect(m.repeats).toBe(0);
  });

  it('Répétition, unless the service handles it, asks the link to send the page again, without a beep', async () => {
    const service = defineService({
      code: 'REP',
      name: 'Rep',
      async session(s) {
        s.print(2, 1, 'Une page');
        const { nom } = await s.form({ nom: { row: 5, column: 1, length: 10 } });
        s.notify(`Merci ${nom}`);
        await s.waitKey('Envoi');
      },
    });
    const m = connect(service);
    await m.type('Ana');
    const commands = m.commands.length;
    await m.press('Repetition');
    expect(m.repeats).toBe(1);
    expect(m.commands.slice(commands).some((c) => c.includes(0x07))).toBe(false);
    expect(m.rowText(2)).toBe('Une page');
    expect(m.rowText(5)).toBe('Ana.......');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Merci Ana');
  });

  it('Répétition goes to s.onKey or a wait that lists it instead', async () => {
    let pressed = 0;
    const service = defineService({
      code: 'REP',
      name: 'Rep',
      async session(s) {
        s.onKey('Repetition', () => pressed++);
        await s.waitKey('Envoi');
        await s.waitKey('Repetition');
        s.print(1, 1, 'Vu');
        await s.waitKey('Envoi');
      },
    });
    const m = connect(service);
    await m.press('Repetition', 'Envoi', 'Repetition');
    expect(pressed).toBe(1);
    expect(m.rowText(1)).toBe('Vu');
    expect(m.repeats).toBe(0);
  });

  it('Connexion/Fin ends the visit', async () => {
    const service = defineService({
      code: 'FIN',
      name: 'Fin',
      async session(s) {
        await s.form({ x: { row: 5, column: 1, length: 5 } });
      },
    });
    const m = connect(service);
    await m.press('ConnexionFin');
    await m.done;
    expect(m.active).toBe(false);
    expect(m.error).toBeUndefined();
  });

  it('Guide shows the help page, then any key puts the screen and the cursor back', async () => {
    const service = defineService({
      code: 'HELP',
      name: 'Help',
      help: new Painter().clearScreen().at(1, 1).text('AIDE: tapez votre nom'),
      async session(s) {
        s.clear();
        s.print(1, 1, 'Votre nom');
        await s.form({ nom: { row: 3, column: 1, length: 10 } });
      },
    });
    const m = connect(service);
    await m.type('Al');
    await m.press('Guide');
    expect(m.rowText(1)).toBe('AIDE: tapez votre nom');
    expect(m.terminal.screen.cursorVisible).toBe(false);
    await m.press('Suite');
    expect(m.rowText(1)).toBe('Votre nom');
    expect(m.rowText(3)).toBe('Al........');
    expect([m.terminal.screen.cursorRow, m.terminal.screen.cursorColumn, m.terminal.screen.cursorVisible]).toEqual([3, 3, true]);
    await m.type('i');
    expect(m.rowText(3)).toBe('Ali.......');
  });

  it('keyboard() switches the Minitel to lowercase and extended modes with Protocole commands', async () => {
    const service = defineService({
      code: 'KBD',
      name: 'Keyboard',
      async session(s) {
        s.keyboard({ lowercase: true, extended: true });
        await s.key();
      },
    });
    const m = connect(service);
    await m.idle();
    expect(m.commands.map((c) => Array.from(c))).toEqual([
      [0x1b, 0x3a, 0x69, 0x45],
      [0x1b, 0x3b, 0x69, 0x59, 0x41],
    ]);
    expect(m.terminal.modes.lowercase).toBe(true);
    expect(m.terminal.modes.extendedKeyboard).toBe(true);
  });
});

describe('row 0', () => {
  it('notify writes on row 0 within its 36 columns and leaves the page alone', async () => {
    const service = defineService({
      code: 'NOTE',
      name: 'Note',
      async session(s) {
        s.clear();
        s.print(1, 1, 'page');
        s.notify('Nouveau message de ANA — lisez votre BAL maintenant 😀');
        await s.key();
        s.notify('');
        await s.key();
      },
    });
    const m = connect(service);
    await m.idle();
    expect(m.rowZero()).toBe('Nouveau message de ANA - lisez votre');
    expect(m.rowText(1)).toBe('page');
    await m.type('x');
    expect(m.rowZero()).toBe('');
  });
});

describe('end of the visit', () => {
  it('hanging up rejects pending awaits with SessionClosedError and the run ends quietly', async () => {
    const seen: unknown[] = [];
    const service = defineService({
      code: 'HANG',
      name: 'Hang',
      async session(s) {
        const pending = [s.form({ x: { row: 5, column: 1, length: 5 } }), s.sleep(60_000)];
        const results = await Promise.allSettled(pending);
        for (const result of results) if (result.status === 'rejected') seen.push(result.reason);
        throw seen[0];
      },
    });
    const m = connect(service);
    await m.idle();
    await m.hangUp();
    expect(seen).toHaveLength(2);
    for (const error of seen) {
      expect(error).toBeInstanceOf(SessionClosedError);
      expect(isControlSignal(error)).toBe(true);
    }
    expect(m.error).toBeUndefined();
    expect(m.logs).toEqual([]);
  });

  it('timers die with the session', async () => {
    let ticks = 0;
    let cancelled = 0;
    const service = defineService({
      code: 'TIME',
      name: 'Time',
      async session(s) {
        s.setInterval(() => ticks++, 1);
        s.setTimeout(() => cancelled++, 1);
        await s.key();
      },
    });
    const m = connect(service);
    await m.idle();
    await m.hangUp();
    const before = ticks;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ticks).toBe(before);
    expect(cancelled).toBe(0);
  });

  it('an error thrown by the handler is logged with the service code and reaches the gateway', async () => {
    const service = defineService({
      code: 'BUG',
      name: 'Bug',
      async session() {
        throw new TypeError('oops');
      },
    });
    const m = connect(service);
    await m.done;
    expect(m.error).toBeInstanceOf(TypeError);
    expect(m.logs).toHaveLength(1);
    expect(m.logs[0]).toMatchObject({ level: 'error', message: 'the service failed', fields: { service: 'BUG' } });
  });

  it('a handler that goes back to its summary with no key pressed stops with TELETEL_E_RESTART_LOOP', async () => {
    const service = defineService({
      code: 'LOOP',
      name: 'Loop',
      async session(s) {
        s.summary();
      },
    });
    const m = connect(service);
    await m.done;
    expect(isSdkErrorWithCode(m.error, 'TELETEL_E_RESTART_LOOP')).toBe(true);
  });

  it('s.interrupt() ends a pending wait from an outside event, and onEnd runs however the visit ends', async () => {
    const ended: string[] = [];
    let session: { interrupt(error?: unknown): void } | undefined;
    const service = defineService({
      code: 'INT',
      name: 'Interrupt',
      async session(s) {
        session = s;
        s.onEnd(() => ended.push('end'));
        await s.form({ x: { row: 5, column: 1, length: 5 } });
      },
    });
    const m = connect(service);
    await m.type('ab');
    session?.interrupt();
    await m.done;
    expect(m.error).toBeUndefined();
    expect(ended).toEqual(['end']);
    const other = connect(service);
    await other.idle();
    await other.hangUp();
    expect(ended).toEqual(['end', 'end']);
  });

  it('s.leave() ends the visit normally', async () => {
    const service = defineService({
      code: 'BYE',
      name: 'Bye',
      async session(s) {
        s.leave();
      },
    });
    const m = connect(service);
    await m.done;
    expect(m.error).toBeUndefined();
  });
});

describe('defineService', () => {
  it('refuses a bad code, name or tariff with TELETEL_E_SERVICE_DEFINITION and says what to fix', () => {
    const attempt = (definition: object) => () => defineService({ name: 'x', code: 'X', session: async () => {}, ...definition });
    expect(attempt({ code: '3615ulla' })).toThrow(/bad code '3615ulla': use 1 to 16 capital letters or digits/);
    expect(attempt({ code: 'A'.repeat(17) })).toThrow(/bad code/);
    expect(attempt({ name: '' })).toThrow(/name must be 1 to 40/);
    expect(attempt({ tariff: { perMinute: -1, currency: 'FRF' } })).toThrow(/tariff/);
    try {
      attempt({ code: '' })();
    } catch (error) {
      expect(isSdkErrorWithCode(error, 'TELETEL_E_SERVICE_DEFINITION')).toBe(true);
    }
  });

  it('gives the gateway a Service with its info and a free tariff by default', () => {
    const service = defineService({ code: 'INFO', name: 'Info', keywords: ['test'], session: async () => {} });
    expect(service).toMatchObject({ code: 'INFO', name: 'Info', description: '', keywords: ['test'], tariff: { perMinute: 0 } });
  });
});
