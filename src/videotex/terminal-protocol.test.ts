/** The Protocole layer: what a real Minitel answers (STUM1B p.134–148), and DRCS (Minitel 2). */
import { describe, expect, it } from 'vitest';
import { afterClear, cell, cursor, hex, replies } from '../test-support/videotex.js';
import { Terminal } from './terminal.js';

describe('Protocole (p.134–148)', () => {
  it('ENQROM is answered with the model identity (p.138–139)', () => {
    expect(replies('1B 39 7B', { model: 'minitel1b' })).toEqual([[0x01, 0x43, 0x75, 0x34, 0x04]]);
    expect(replies('1B 39 7B', { model: 'minitel2' })).toEqual([[0x01, 0x42, 0x76, 0x34, 0x04]]);
    expect(replies('1B 39 7B', { model: 'emulator' })[0].slice(2, 3)).toEqual([0x76]);
  });

  it('Protocole sequences are extracted first, wherever they sit (p.134, p.148)', () => {
    const out: number[][] = [];
    const t = new Terminal({ onReply: (b) => out.push(Array.from(b)) });
    t.write(hex('0C 41 12 1B 39 7B 43'));
    expect(out).toHaveLength(1);
    expect(t.screen.rowText(1)).toBe('AAAA');
  });

  it('a Protocole command inside US addressing lets the US resume', () => {
    const t = afterClear('1F 45 1B 39 7B 45 41');
    expect(cell(t, 5, 5).char).toBe('A');
  });

  it('ESC 61 answers the cursor position as US row column (p.98, p.139)', () => {
    expect(replies('0C 1F 45 4A 1B 61')).toEqual([[0x1f, 0x45, 0x4a]]);
  });

  it('STATUS FONCTIONNEMENT reports roll and lowercase modes (p.143)', () => {
    expect(replies('1B 39 72')).toEqual([[0x1b, 0x3a, 0x73, 0x40]]);
    expect(replies('1B 3A 69 43 1B 3A 69 45 1B 39 72').at(-1)).toEqual([0x1b, 0x3a, 0x73, 0x4a]);
  });

  it('START / STOP ROULEAU switch roll mode and acknowledge with the status (p.140)', () => {
    const out: number[][] = [];
    const t = new Terminal({ onReply: (b) => out.push(Array.from(b)) });
    t.write(hex('1B 3A 69 43'));
    expect(t.modes.roll).toBe(true);
    expect(out).toEqual([[0x1b, 0x3a, 0x73, 0x42]]);
    t.write(hex('1B 3A 6A 43'));
    expect(t.modes.roll).toBe(false);
  });

  it('START / STOP MINUSCULES switch the keyboard case (p.140)', () => {
    const t = new Terminal();
    t.write(hex('1B 3A 69 45'));
    expect(t.modes.lowercase).toBe(true);
  });

  it('STATUS VITESSE reports the speed; PROG from the network is filtered (p.141, p.148)', () => {
    expect(replies('1B 39 74')).toEqual([[0x1b, 0x3a, 0x75, 0x64]]);
    expect(replies('1B 3A 6B 76')).toEqual([]);
  });

  it('PROG from the DIN port changes speed and answers at the new speed (p.141)', () => {
    const out: number[][] = [];
    const t = new Terminal({ link: 'din', model: 'minitel1b', onReply: (b) => out.push(Array.from(b)) });
    t.write(hex('1B 3A 6B 76'));
    expect(t.modes.speed).toBe(4800);
    expect(out).toEqual([[0x1b, 0x3a, 0x75, 0x76]]);
    t.write(hex('1B 3A 6B 7F'));
    expect(t.modes.speed).toBe(4800); // a 1B has no 9600
  });

  it('routing ON 58 51 turns local echo on and answers the screen routing (p.135–136)', () => {
    const out: number[][] = [];
    const t = new Terminal({ onReply: (b) => out.push(Array.from(b)) });
    expect(t.localEcho).toBe(false);
    t.write(hex('1B 3B 61 58 51'));
    expect(t.localEcho).toBe(true);
    expect(out).toEqual([[0x1b, 0x3b, 0x63, 0x58, 0x47]]);
    t.write(hex('1B 3B 60 58 51'));
    expect(t.localEcho).toBe(false);
  });

  it('extended keyboard and C0 cursor keys are switched and acknowledged (p.142)', () => {
    const out: number[][] = [];
    const t = new Terminal({ onReply: (b) => out.push(Array.from(b)) });
    t.write(hex('1B 3B 69 59 41 1B 3B 69 59 43'));
    expect(t.modes.extendedKeyboard).toBe(true);
    expect(t.modes.c0CursorKeys).toBe(true);
    expect(out.at(-1)).toEqual([0x1b, 0x3b, 0x73, 0x59, 0x45]);
  });

  it('RESET answers SEP 5E, resets modes and attributes, keeps the screen (p.145–146)', () => {
    const out: number[][] = [];
    const t = new Terminal({ onReply: (b) => out.push(Array.from(b)) });
    t.write(hex('0C 41 11 1B 3A 69 43 1B 41 1B 39 7F 42'));
    expect(out.at(-1)).toEqual([0x13, 0x5e]);
    expect(t.modes.roll).toBe(false);
    expect(t.screen.rowText(1)).toBe('AB');
    expect(cell(t, 1, 2).fg).toBe(7);
    expect(t.screen.cursorVisible).toBe(false);
  });

  it('STATUS TERMINAL and STATUS PROTOCOLE answer with their status bytes (p.138, p.146)', () => {
    expect(replies('1B 39 70')).toEqual([[0x1b, 0x3a, 0x71, 0x4a]]);
    expect(replies('1B 39 76')).toEqual([[0x1b, 0x3a, 0x77, 0x43]]);
  });

  it('TO asks the routing of a module (p.136)', () => {
    expect(replies('1B 3A 62 58')).toEqual([[0x1b, 0x3b, 0x63, 0x58, 0x45]]);
  });

  it('TRANSPARENCE lets the next n bytes through without extracting Protocole (p.137)', () => {
    const out: number[][] = [];
    const t = new Terminal({ onReply: (b) => out.push(Array.from(b)) });
    t.write(hex('1B 3A 66 43 1B 39 7B'));
    expect(out).toEqual([[0x13, 0x57]]);
  });

  it('DECONNEXION asks the host link to hang up (p.146)', () => {
    let asked = 0;
    const t = new Terminal({ onDisconnect: () => asked++ });
    t.write(hex('1B 39 67'));
    expect(asked).toBe(1);
  });

  it('unknown Protocole codes are filtered silently (p.148)', () => {
    expect(replies('1B 39 20 1B 3A 20 20 1B 3B 20 20 20 41')).toEqual([]);
  });

  it('a control byte inside a Protocole command drops it and is executed (p.148)', () => {
    const out: number[][] = [];
    const t = new Terminal({ onReply: (b) => out.push(Array.from(b)) });
    t.write(hex('0C 41 1B 3A 0D 42'));
    expect(out).toEqual([]);
    expect(t.screen.rowText(1)).toBe('B');
  });

  it('acknowledgement return can be turned off for the network side (p.138)', () => {
    expect(replies('1B 3A 64 52 1B 3A 69 43')).toEqual([]);
    expect(replies('1B 3A 64 52 1B 39 72')).toHaveLength(1);
  });
});

describe('DRCS (Minitel 2; docs/videotex.md §6.3)', () => {
  const fullShape = `30 ${Array(13).fill('7F').join(' ')} 70`;

  it('a downloaded G\'0 shape is stored and used after ESC 28 20 42', () => {
    const t = afterClear(`1F 23 20 20 20 42 49 1F 23 21 ${fullShape} 1F 41 41 1B 28 20 42 21 41`);
    expect(Array.from(t.screen.drcsShape(0, 0x21))).toEqual(Array(10).fill(0xff));
    expect(cell(t, 1, 1).set).toBe('DRCS0');
    expect(cell(t, 1, 2).set).toBe('DRCS0');
  });

  it('ESC 28 40 goes back to the standard G0', () => {
    const t = afterClear('1B 28 20 42 41 1B 28 40 42');
    expect(cell(t, 1, 1).set).toBe('DRCS0');
    expect(cell(t, 1, 2).set).toBe('G0');
  });

  it('G\'1 is loaded with header 43 and used in G1 after ESC 29 20 43', () => {
    const t = afterClear(`1F 23 20 20 20 43 49 1F 23 22 ${fullShape} 1F 41 41 1B 29 20 43 0E 22 1B 29 63 22`);
    expect(t.screen.drcsShape(1, 0x22)[0]).toBe(0xff);
    expect(cell(t, 1, 1).set).toBe('DRCS1');
    expect(cell(t, 1, 2).set).toBe('G1');
  });

  it('consecutive shapes load consecutive codes; 6-bit groups unpack MSB first', () => {
    // First shape: one byte 0x60 = 100000 → row 0 = 1000 0000. Second: 0x41 = 000001 → row 0 bit 2.
    const t = afterClear('1F 23 20 20 20 42 49 1F 23 41 30 60 30 41 1F 41 41');
    expect(t.screen.drcsShape(0, 0x41)[0]).toBe(0x80);
    expect(t.screen.drcsShape(0, 0x42)[0]).toBe(0x04);
  });

  it('a trailing 30 before US does not blank the next code', () => {
    const t = afterClear(`1F 23 20 20 20 42 49 1F 23 21 ${fullShape} 30 1F 41 41`);
    expect(t.screen.drcsShape(0, 0x22)[0]).toBe(0);
  });

  it('an endless download keeps a fixed size: extra bytes per shape are ignored', () => {
    const t = new Terminal();
    t.write(hex('1F 23 20 20 20 42 49 1F 23 21 30'));
    t.write(new Uint8Array(100_000).fill(0x7f));
    t.write(hex('1F 41 41 41'));
    expect(t.screen.drcsShape(0, 0x21)[9]).toBe(0xff);
    expect(t.screen.drcsShape(0, 0x22)[0]).toBe(0);
    expect(t.screen.rowText(1)).toBe('A');
  });

  it('a Minitel 1B filters DRCS: designations are ignored (p.99)', () => {
    const t = afterClear('1B 28 20 42 41', { model: 'minitel1b' });
    expect(cell(t, 1, 1).set).toBe('G0');
  });

  it('the cursor request inside a download does not break it', () => {
    expect(cursor(afterClear(`1F 23 20 20 20 42 49 1F 23 21 30 1B 61 7F 1F 41 41`))).toEqual([1, 1]);
  });
});
