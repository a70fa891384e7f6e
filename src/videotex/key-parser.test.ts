import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCENTED_LETTERS,
  CURSOR_KEY_NAMES,
  FUNCTION_KEY_NAMES,
  KEYBOARD_G2,
  keyBytes,
  type Key,
  type KeyboardMode,
} from './keyboard.js';
import {
  ENQROM_REPLY_MAX_BYTES,
  KeyParser,
  PENDING_MAX_BYTES,
  keysFromText,
  parseEnqrom,
  type InputEvent,
} from './key-parser.js';

/** "13 41" → bytes. */
function b(hex: string): Uint8Array {
  const parts = hex.trim().split(/\s+/).filter((p) => p !== '');
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

/** Events of one parser fed the chunks in order (no flush). */
function parse(...chunks: string[]): InputEvent[] {
  const parser = new KeyParser();
  return chunks.flatMap((chunk) => parser.push(b(chunk)));
}

function parseChunks(chunks: Uint8Array[]): InputEvent[] {
  const parser = new KeyParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

const chr = (char: string): Key => ({ type: 'char', char });
const fn = (name: (typeof FUNCTION_KEY_NAMES)[number]): Key => ({ type: 'function', name });
const cur = (name: (typeof CURSOR_KEY_NAMES)[number]): Key => ({ type: 'cursor', name });
const ctl = (code: number): Key => ({ type: 'control', code });
const status = (code: number): InputEvent => ({ type: 'status', code });
const reply = (hex: string): InputEvent => ({ type: 'reply', bytes: b(hex) });
const ENTER: Key = { type: 'enter' };

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cuts `bytes` at the given offsets (taken modulo its length + 1). */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((x, y) => x - y);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

describe('function keys: SEP + code (p.123)', () => {
  const codes: [(typeof FUNCTION_KEY_NAMES)[number], string][] = [
    ['Envoi', '13 41'],
    ['Retour', '13 42'],
    ['Repetition', '13 43'],
    ['Guide', '13 44'],
    ['Annulation', '13 45'],
    ['Sommaire', '13 46'],
    ['Correction', '13 47'],
    ['Suite', '13 48'],
    ['ConnexionFin', '13 49'],
  ];
  it.each(codes)('%s from %s', (name, hex) => {
    expect(parse(hex)).toEqual([fn(name)]);
  });

  it('SEP 59 is Connexion/Fin too, as community terminals send it (p.126)', () => {
    expect(parse('13 59')).toEqual([fn('ConnexionFin')]);
  });

  it('a function key split across chunks (13 | 41) is reassembled', () => {
    expect(parse('13', '41')).toEqual([fn('Envoi')]);
  });
});

describe('SEP status codes the terminal sends (p.126, p.144–146)', () => {
  it.each([0x50, 0x51, 0x53, 0x54, 0x56, 0x57, 0x58, 0x5e, 0x70, 0x71, 0x4a, 0x4c])(
    'SEP %s is a status event',
    (code) => {
      expect(parse(`13 ${code.toString(16)}`)).toEqual([status(code)]);
    },
  );

  it('SEP + a byte of columns 2–3 is a SEP sequence too, reported as status (p.99)', () => {
    expect(parse('13 31 41')).toEqual([status(0x31), chr('A')]);
  });

  it('a connection (SEP 53) between two keys is reported in order (p.50, p.126)', () => {
    expect(parse('41 13 53 42')).toEqual([chr('A'), status(0x53), chr('B')]);
  });
});

describe('printable characters (p.114–117)', () => {
  it('reports each byte as the character received, in its case', () => {
    expect(parse('33 36 31 35 20 55 4C 4C 41 61')).toEqual([...'3615 ULLA', 'a'].map(chr));
  });

  it('0x5E is reported as ^ (drawn ↑ on a Minitel, p.116)', () => {
    expect(parse('5E')).toEqual([chr('^')]);
  });
});

describe('accents: SS2 accent letter (p.88–90, p.118)', () => {
  it.each(Object.entries(ACCENTED_LETTERS))('%s from SS2 %j', (letter, [accent, base]) => {
    expect(parse(`19 ${accent.toString(16)} ${base.toString(16)}`)).toEqual([chr(letter)]);
  });

  it('composes é across chunks (19 | 42 | 65), as the accent key and the letter are two presses (p.40)', () => {
    expect(parse('19', '42', '65')).toEqual([chr('é')]);
  });

  it('an accent on a letter it does not fit gives the letter alone (p.90)', () => {
    expect(parse('19 42 61')).toEqual([chr('a')]);
    expect(parse('19 41 45')).toEqual([chr('E')]);
    expect(parse('19 43 31')).toEqual([chr('1')]);
  });

  it('a status or reply between the accent and its letter does not cancel it (p.40, p.134)', () => {
    expect(parse('19 41 13 53 1B 3A 73 48 61')).toEqual([status(0x53), reply('1B 3A 73 48'), chr('à')]);
  });

  it('another key after an accent drops the accent (p.99)', () => {
    expect(parse('19 42 13 41 65')).toEqual([fn('Envoi'), chr('e')]);
    expect(parse('19 42 0D 65')).toEqual([ENTER, chr('e')]);
  });

  it('a second accent replaces the first', () => {
    expect(parse('19 42 19 41 65')).toEqual([chr('è')]);
  });
});

describe('G2 characters: SS2 code (p.103, p.118)', () => {
  it.each(Object.entries(KEYBOARD_G2))('%s from SS2 %s', (glyph, code) => {
    expect(parse(`19 ${code.toString(16)}`)).toEqual([chr(glyph)]);
  });

  it('G2 glyphs no key sends are still read ($ # ↑ ¼ ½ ¾, p.103)', () => {
    expect(parse('19 24 19 26 19 2D 19 3C 19 3D 19 3E')).toEqual(['$', '#', '↑', '¼', '½', '¾'].map(chr));
  });

  it('an SS2 code with no glyph is dropped (p.90)', () => {
    expect(parse('19 25 41')).toEqual([chr('A')]);
  });
});

describe('cursor keys (p.111, p.124)', () => {
  const csi: [(typeof CURSOR_KEY_NAMES)[number], string][] = [
    ['Up', '1B 5B 41'],
    ['Down', '1B 5B 42'],
    ['Right', '1B 5B 43'],
    ['Left', '1B 5B 44'],
    ['DeleteRow', '1B 5B 4D'],
    ['InsertRow', '1B 5B 4C'],
    ['InsertModeOn', '1B 5B 34 68'],
    ['InsertModeOff', '1B 5B 34 6C'],
    ['DeleteChar', '1B 5B 50'],
    ['Home', '1B 5B 48'],
    ['ClearScreen', '1B 5B 32 4A'],
  ];
  it.each(csi)('CSI coding: %s from %s', (name, hex) => {
    expect(parse(hex)).toEqual([cur(name)]);
  });

  it('CSI keys split across chunks are reassembled (1B | 5B | 34 | 68)', () => {
    expect(parse('1B', '5B', '34', '68')).toEqual([cur('InsertModeOn')]);
    expect(parse('1B 5B', '41')).toEqual([cur('Up')]);
  });

  const c0: [(typeof CURSOR_KEY_NAMES)[number], string][] = [
    ['Up', '0B'],
    ['Down', '0A'],
    ['Right', '09'],
    ['Left', '08'],
    ['Home', '1E'],
    ['ClearScreen', '0C'],
  ];
  it.each(c0)('C0 coding: %s from %s', (name, hex) => {
    expect(parse(hex)).toEqual([cur(name)]);
  });

  it('an unknown CSI sequence is dropped', () => {
    expect(parse('1B 5B 5A 41')).toEqual([chr('A')]);
    expect(parse('1B 5B 31 41 42')).toEqual([chr('B')]);
  });

  it('a CSI longer than any key is skipped to its final byte without being stored', () => {
    const parser = new KeyParser();
    expect(parser.push(b('1B 5B 31 32 33 34 35 36 37 38 39'))).toEqual([]);
    expect(parser.pendingBytes).toBeLessThanOrEqual(PENDING_MAX_BYTES);
    expect(parser.push(b('41 42'))).toEqual([chr('B')]);
  });

  it('a C0 code inside a CSI drops it and is read afresh (p.99)', () => {
    expect(parse('1B 5B 34 0D')).toEqual([ENTER]);
  });
});

describe('enter and control keys (p.114, p.124)', () => {
  it('a bare CR is the enter key', () => {
    expect(parse('0D')).toEqual([ENTER]);
  });

  it('other C0 codes are control keys', () => {
    expect(parse('02 03 07 0E 0F 10 11 12 14 15 16 17 18 1A 1C 1D')).toEqual(
      [0x02, 0x03, 0x07, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x14, 0x15, 0x16, 0x17, 0x18, 0x1a, 0x1c, 0x1d].map(ctl),
    );
  });

  it('DEL is Ctrl + ← (p.117, p.124)', () => {
    expect(parse('7F')).toEqual([ctl(0x7f)]);
  });

  it('Esc followed by a byte that starts no sequence is the Esc key (p.41, p.114)', () => {
    expect(parse('1B 78')).toEqual([ctl(0x1b), chr('x')]);
    expect(parse('1B', '1B 5B 41')).toEqual([ctl(0x1b), cur('Up')]);
  });

  it('Ctrl + A, Ctrl + S, Ctrl + Y and Ctrl + ? alone are control keys (p.114)', () => {
    expect(parse('01 0D')).toEqual([ctl(0x01), ENTER]);
    expect(parse('13 0D')).toEqual([ctl(0x13), ENTER]);
    expect(parse('19 03')).toEqual([ctl(0x19), ctl(0x03)]);
    expect(parse('1F 32')).toEqual([ctl(0x1f), chr('2')]);
  });
});

describe('NUL and parity', () => {
  it('NUL is ignored, even inside sequences (p.98)', () => {
    expect(parse('00 13 00 41 00 19 00 42 00 65 1B 00 5B 00 41')).toEqual([fn('Envoi'), chr('é'), cur('Up')]);
  });

  it('the parity bit is stripped from every byte (p.47)', () => {
    expect(parse('93 C1 99 C2 E5 9B DB C1 8D 80')).toEqual([fn('Envoi'), chr('é'), cur('Up'), ENTER]);
  });
});

describe('protocol replies (p.98, p.134–146)', () => {
  it.each([
    ['status terminal', '1B 3A 71 4A'],
    ['status fonctionnement', '1B 3A 73 48'],
    ['status vitesse', '1B 3A 75 64'],
    ['status protocole', '1B 3A 77 43'],
    ['routing', '1B 3B 63 58 47'],
    ['keyboard status', '1B 3B 73 59 41'],
    ['cursor position', '1F 45 59'],
    ['ENQROM', '01 43 75 34 04'],
    ['Telinfo ack', '1B 5B 3F 7A'],
  ])('%s reply %s', (_, hex) => {
    expect(parse(hex)).toEqual([reply(hex)]);
  });

  it('a reply split at every byte is reassembled', () => {
    expect(parse('1B', '3B', '73', '59', '45')).toEqual([reply('1B 3B 73 59 45')]);
  });

  it('a reply sits between keys without disturbing them', () => {
    expect(parse('41 1B 3A 73 48 13 41')).toEqual([chr('A'), reply('1B 3A 73 48'), fn('Envoi')]);
  });

  it('the speed reply may carry 0x7F (9600 baud) as its status byte (p.141)', () => {
    expect(parse('1B 3A 75 7F')).toEqual([reply('1B 3A 75 7F')]);
  });

  it('unknown PRO2 and PRO3 codes are dropped (p.148)', () => {
    expect(parse('1B 3A 69 43 41')).toEqual([chr('A')]);
    expect(parse('1B 3B 69 59 41 42')).toEqual([chr('B')]);
  });

  it('a C0 code breaking a reply drops it and is read afresh (p.99)', () => {
    expect(parse('1B 3A 73 0D')).toEqual([ENTER]);
    expect(parse('1F 45 13 41')).toEqual([fn('Envoi')]);
    expect(parse('01 43 75 13 41')).toEqual([fn('Envoi')]);
  });

  it('an unterminated ENQROM reply is dropped at ENQROM_REPLY_MAX_BYTES', () => {
    const parser = new KeyParser();
    // SOH and 6 payload bytes fill 7 of the 8; the 8th must be EOT.
    expect(parser.push(b('01 41 42 43 44 45 46'))).toEqual([]);
    expect(parser.pendingBytes).toBe(ENQROM_REPLY_MAX_BYTES - 1);
    expect(parser.push(b('47'))).toEqual([]);
    expect(parser.pendingBytes).toBe(0);
    expect(parser.push(b('48 04'))).toEqual([chr('H'), ctl(0x04)]);
  });

  it('an ENQROM reply up to ENQROM_REPLY_MAX_BYTES is accepted', () => {
    expect(parse('01 41 42 43 44 45 46 04')).toEqual([reply('01 41 42 43 44 45 46 04')]);
  });
});

describe('flush and reset', () => {
  it('flush reports a lone prefix as its key: Esc at the end of input (p.114)', () => {
    const parser = new KeyParser();
    expect(parser.push(b('41 1B'))).toEqual([chr('A')]);
    expect(parser.flush()).toEqual([ctl(0x1b)]);
    expect(parser.pendingBytes).toBe(0);
  });

  it('flush drops a partial sequence and a pending accent', () => {
    const parser = new KeyParser();
    parser.push(b('1B 5B 34'));
    expect(parser.flush()).toEqual([]);
    parser.push(b('19 42'));
    expect(parser.flush()).toEqual([]);
    expect(parser.push(b('65'))).toEqual([chr('e')]);
  });

  it('reset forgets a pending sequence', () => {
    const parser = new KeyParser();
    parser.push(b('13'));
    parser.reset();
    expect(parser.push(b('41'))).toEqual([chr('A')]);
  });
});

describe('a stream mixing everything, split at every byte (p.110–146)', () => {
  const stream = b(
    [
      '33 36 31 35', // 3615
      '13 41', // Envoi
      '19 42 65', // é
      '19 23', // £
      '00', // padding
      '1B 5B 41', // ↑
      '1B 5B 34 68', // insert mode
      '1B 5B 32 4A', // clear screen
      '08', // ← in C0 coding
      '1B 3A 73 48', // status fonctionnement reply
      '13 53', // connection
      '01 43 75 34 04', // ENQROM reply
      '1F 41 41', // cursor position
      '1B 3B 73 59 41', // keyboard status
      '19 41 1B 3A 75 64 61', // grave accent, a reply, then a: à
      '13 59', // Connexion/Fin
      '0D', // ⏎
      '1B 78', // Esc, x
      '7F 03', // Ctrl + ←, Ctrl + C
      '1B 5B 39 39 39 41', // a long CSI, skipped
      '41',
    ].join(' '),
  );
  const expected: InputEvent[] = [
    ...'3615'.split('').map(chr),
    fn('Envoi'),
    chr('é'),
    chr('£'),
    cur('Up'),
    cur('InsertModeOn'),
    cur('ClearScreen'),
    cur('Left'),
    reply('1B 3A 73 48'),
    status(0x53),
    reply('01 43 75 34 04'),
    reply('1F 41 41'),
    reply('1B 3B 73 59 41'),
    reply('1B 3A 75 64'),
    chr('à'),
    fn('ConnexionFin'),
    ENTER,
    ctl(0x1b),
    chr('x'),
    ctl(0x7f),
    ctl(0x03),
    chr('A'),
  ];

  it('gives the expected events in one chunk', () => {
    expect(parseChunks([stream])).toEqual(expected);
  });

  it('gives the same events cut once at every byte', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(parseChunks([stream.subarray(0, i), stream.subarray(i)])).toEqual(expected);
    }
  });

  it('gives the same events cut twice at every pair of bytes', () => {
    for (let i = 0; i <= stream.length; i++) {
      for (let j = i; j <= stream.length; j++) {
        expect(parseChunks([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)])).toEqual(expected);
      }
    }
  });

  it('gives the same events one byte at a time', () => {
    expect(parseChunks(Array.from(stream, (x) => Uint8Array.of(x)))).toEqual(expected);
  });

  it('gives the same events with bit 7 set on every byte (p.47)', () => {
    expect(parseChunks([stream.map((x) => x | 0x80)])).toEqual(expected);
  });
});

// Keys whose bytes read back as the same key. Left out: NUL (padding), the
// prefixes SOH SEP SS2 ESC US (they start sequences) and the C0 codes that are
// also cursor keys or ⏎ (08–0D, 1E), which the parser reports as those keys.
const AMBIGUOUS_CONTROLS = new Set([0x00, 0x01, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x13, 0x19, 0x1b, 0x1e, 0x1f]);
const ROUND_TRIP_CONTROLS = [...Array(0x20).keys(), 0x7f].filter((c) => !AMBIGUOUS_CONTROLS.has(c));
const TYPABLE_CHARS = [
  ...Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i)),
  ...Object.keys(ACCENTED_LETTERS),
  ...Object.keys(KEYBOARD_G2),
];

const keyArb: fc.Arbitrary<Key> = fc.oneof(
  fc.constantFrom(...TYPABLE_CHARS).map((char): Key => ({ type: 'char', char })),
  fc.constantFrom(...FUNCTION_KEY_NAMES).map((name): Key => ({ type: 'function', name })),
  fc.constantFrom(...CURSOR_KEY_NAMES).map((name): Key => ({ type: 'cursor', name })),
  fc.constantFrom(...ROUND_TRIP_CONTROLS).map((code): Key => ({ type: 'control', code })),
  fc.constant<Key>({ type: 'enter' }),
);
const modeArb: fc.Arbitrary<KeyboardMode> = fc.record({
  lowercase: fc.boolean(),
  extended: fc.boolean(),
  c0Cursor: fc.boolean(),
});

/** The key as it arrives: in uppercase mode, letters come in the other case (p.43). */
function asReceived(key: Key, mode: KeyboardMode): Key {
  if (key.type !== 'char' || mode.lowercase || !/^[A-Za-z]$/.test(key.char)) return key;
  const c = key.char;
  return { type: 'char', char: c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase() };
}

describe('properties', () => {
  it('round trip: parsing keyBytes(k) gives k back, for random keys cut into random chunks (p.110–124)', () => {
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 40, size: 'max' }), modeArb, fc.array(fc.nat(), { maxLength: 12, size: 'max' }), (keys, mode, cuts) => {
        const sent = keys.filter((k) => keyBytes(k, mode).length > 0);
        const stream = concat(sent.map((k) => keyBytes(k, mode)));
        expect(parseChunks(cut(stream, cuts))).toEqual(sent.map((k) => asReceived(k, mode)));
      }),
      { numRuns: 500 },
    );
  });

  it('round trip holds with bit 7 set on every byte (p.47)', () => {
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 40, size: 'max' }), modeArb, (keys, mode) => {
        const sent = keys.filter((k) => keyBytes(k, mode).length > 0);
        const stream = concat(sent.map((k) => keyBytes(k, mode))).map((x) => x | 0x80);
        expect(parseChunks([stream])).toEqual(sent.map((k) => asReceived(k, mode)));
      }),
      { numRuns: 200 },
    );
  });

  it('garbage never throws, keeps pending state bounded and does not depend on chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300, size: 'max' }), fc.array(fc.nat(), { maxLength: 20, size: 'max' }), (bytes, cuts) => {
        const whole = new KeyParser();
        const expected = [...whole.push(bytes), ...whole.flush()];
        const parser = new KeyParser();
        const events: InputEvent[] = [];
        for (const chunk of cut(bytes, cuts)) {
          events.push(...parser.push(chunk));
          expect(parser.pendingBytes).toBeLessThanOrEqual(PENDING_MAX_BYTES);
        }
        events.push(...parser.flush());
        expect(events).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('garbage made of protocol prefixes and sequence bytes stays bounded', () => {
    const prefixHeavy = fc.uint8Array({ maxLength: 300, size: 'max' }).map((bytes) =>
      bytes.map((x) => [0x01, 0x04, 0x13, 0x19, 0x1b, 0x1f, 0x5b, 0x3a, 0x3b, 0x34, 0x41, 0x42, 0x63, 0x73, 0x00, 0x7f][x & 0x0f]),
    );
    fc.assert(
      fc.property(prefixHeavy, (bytes) => {
        const parser = new KeyParser();
        for (const x of bytes) {
          parser.push(Uint8Array.of(x));
          expect(parser.pendingBytes).toBeLessThanOrEqual(PENDING_MAX_BYTES);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('keysFromText', () => {
  it('turns typed text into char keys', () => {
    expect(keysFromText('3615 ULLA')).toEqual([...'3615 ULLA'].map(chr));
  });

  it('composes decomposed accents and maps CR, LF and CR LF to one enter each', () => {
    expect(keysFromText('e\u0301\r\nx\ny\r')).toEqual([chr('é'), ENTER, chr('x'), ENTER, chr('y'), ENTER]);
  });

  it('round trips through keyBytes and the parser in lowercase mode', () => {
    const mode: KeyboardMode = { lowercase: true, extended: false, c0Cursor: false };
    const keys = keysFromText('Café crème à 3£\n');
    expect(parseChunks([concat(keys.map((k) => keyBytes(k, mode)))])).toEqual(keys);
  });
});

describe('parseEnqrom (p.139)', () => {
  it('01 43 75 34 04 is a Telic Minitel 1B, version 4', () => {
    expect(parseEnqrom(b('01 43 75 34 04'))).toEqual({ maker: 'C', type: 0x75, version: '4', model: 'minitel1b' });
  });

  it('01 42 76 … is a Philips Minitel 2', () => {
    expect(parseEnqrom(b('01 42 76 32 04'))).toEqual({ maker: 'B', type: 0x76, version: '2', model: 'minitel2' });
  });

  it('01 45 6D 55 04 ("EmU", MiniPavi/miedit) is an emulator: type 0x6D is no Minitel in STUM1B', () => {
    expect(parseEnqrom(b('01 45 6D 55 04'))).toEqual({ maker: 'E', type: 0x6d, version: 'U', model: 'emulator' });
  });

  it.each([
    [0x62, 'minitel1'],
    [0x63, 'minitel1'],
    [0x72, 'minitel1'],
    [0x73, 'minitel1'],
    [0x64, 'minitel10'],
    [0x66, 'minitel10'],
    [0x75, 'minitel1b'],
    [0x77, 'minitel10b'],
    [0x76, 'minitel2'],
    [0x79, 'minitel5'],
    [0x7a, 'minitel12'],
    [0x67, 'emulator'],
    [0x70, 'unknown'],
  ])('type %s is %s', (type, model) => {
    expect(parseEnqrom(Uint8Array.of(0x01, 0x41, type, 0x30, 0x04))?.model).toBe(model);
  });

  it('ignores parity bits', () => {
    expect(parseEnqrom(b('81 C3 F5 B4 84'))?.model).toBe('minitel1b');
  });

  it.each(['', '01 43 75 04', '01 43 75 34 35 04', '02 43 75 34 04', '01 43 75 34 05', '01 0D 75 34 04'])(
    'returns null for %j, which is not an ENQROM reply',
    (hex) => {
      expect(parseEnqrom(b(hex))).toBeNull();
    },
  );

  it('reads the reply event the parser gives', () => {
    const [event] = parse('01 43 75 34 04');
    expect(event.type === 'reply' ? parseEnqrom(event.bytes)?.model : undefined).toBe('minitel1b');
  });
});
