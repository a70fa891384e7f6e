import { describe, expect, it } from 'vitest';
import { defineService } from './define.js';
import { connect } from './testing.js';
import type { FieldSpec, FormResult } from './form.js';
import type { FunctionKeyName } from '../videotex/keyboard.js';
import { isSdkErrorWithCode } from './test-helpers.js';

/** A service that runs one form and shows its result as JSON on row 20, then waits for Envoi again. */
function formService(fields: Record<string, FieldSpec>, keys?: FunctionKeyName[]) {
  const results: FormResult<string>[] = [];
  const service = defineService({
    code: 'FORM',
    name: 'Form',
    async session(s) {
      s.clear();
      const result = keys === undefined ? { values: await s.form(fields), key: 'Envoi' as const } : await s.form(fields, { keys });
      results.push(result);
      s.print(20, 1, 'OK');
    },
  });
  return { service, results };
}

describe('form editing keys', () => {
  it('echoes each typed character in the field: a connected Minitel shows nothing by itself', async () => {
    const { service } = formService({ nom: { row: 5, column: 10, length: 8, label: 'Nom' } });
    const m = connect(service);
    await m.idle();
    expect(m.rowText(5)).toBe('     Nom ........');
    await m.type('Ana');
    expect(m.rowText(5)).toBe('     Nom Ana.....');
    expect(m.terminal.screen.cursorVisible).toBe(true);
    expect([m.terminal.screen.cursorRow, m.terminal.screen.cursorColumn]).toEqual([5, 13]);
  });

  it('Correction erases the last character and Annulation clears the field', async () => {
    const { service, results } = formService({ nom: { row: 5, column: 10, length: 8 } });
    const m = connect(service);
    await m.type('Zoex');
    await m.press('Correction');
    expect(m.rowText(5)).toBe('         Zoe.....');
    await m.press('Annulation');
    expect(m.rowText(5)).toBe('         ........');
    await m.type('Léa');
    await m.press('Envoi');
    expect(results[0].values).toEqual({ nom: 'Léa' });
    expect(m.rowText(20)).toBe('OK');
    expect(m.terminal.screen.cursorVisible).toBe(false);
  });

  it('Suite, Retour and the arrows move between fields; Envoi returns every value', async () => {
    const { service, results } = formService({
      nom: { row: 5, column: 10, length: 10 },
      ville: { row: 7, column: 10, length: 10 },
      code: { row: 9, column: 10, length: 5, allowed: 'digits' },
    });
    const m = connect(service);
    await m.type('Martin');
    await m.press('Suite');
    await m.type('Lyon');
    await m.press('Down');
    await m.type('69001');
    await m.press('Retour', 'Retour');
    await m.type('e');
    await m.press('Up'); // wraps to the last field
    expect([m.terminal.screen.cursorRow, m.terminal.screen.cursorColumn]).toEqual([9, 14]);
    await m.press('Envoi');
    expect(results[0].values).toEqual({ nom: 'Martine', ville: 'Lyon', code: '69001' });
  });

  it('⏎ goes to the next field and submits from the last one', async () => {
    const { service, results } = formService({ a: { row: 5, column: 1, length: 5 }, b: { row: 6, column: 1, length: 5 } });
    const m = connect(service);
    await m.type('un');
    await m.press('Enter');
    await m.type('deux');
    await m.press('Enter');
    expect(results[0].values).toEqual({ a: 'un', b: 'deux' });
  });

  it('← and → move inside a field, typing inserts and TS+← deletes under the cursor', async () => {
    const { service, results } = formService({ a: { row: 5, column: 1, length: 10 } });
    const m = connect(service);
    await m.type('Mrtin');
    await m.press('Left', 'Left', 'Left', 'Left');
    await m.type('a');
    expect(m.rowText(5)).toBe('Martin....');
    await m.press('DeleteChar');
    expect(m.rowText(5)).toBe('Matin.....');
    await m.press('Envoi');
    expect(results[0].values.a).toBe('Matin');
  });

  it('a hidden field shows a star per character and returns what was typed', async () => {
    const { service, results } = formService({ motdepasse: { row: 5, column: 1, length: 8, hidden: true } });
    const m = connect(service);
    await m.type('s3cret é');
    expect(m.rowText(5)).toBe('********');
    expect(m.screenText()).not.toContain('s3cret');
    await m.press('Envoi');
    expect(results[0].values.motdepasse).toBe('s3cret é');
  });

  it('shows the default value and lets the user change it', async () => {
    const { service, results } = formService({ ville: { row: 5, column: 1, length: 10, default: 'Paris' } });
    const m = connect(service);
    await m.idle();
    expect(m.rowText(5)).toBe('Paris.....');
    await m.press('Correction', 'Correction');
    await m.type('ce');
    await m.press('Envoi');
    expect(results[0].values.ville).toBe('Parce');
  });

  it('uppercase fields turn letters to capitals as they are typed', async () => {
    const { service, results } = formService({ code: { row: 5, column: 1, length: 10, uppercase: true } });
    const m = connect(service);
    await m.type('ulla é');
    await m.press('Envoi');
    expect(results[0].values.code).toBe('ULLA E');
  });

  it('a required field keeps the form open with a row-0 message naming it', async () => {
    const { service, results } = formService({
      nom: { row: 5, column: 10, length: 10, label: 'Nom :', required: true },
      age: { row: 6, column: 10, length: 3, minLength: 2, title: 'Âge' },
    });
    const m = connect(service);
    await m.press('Suite');
    await m.type('4');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Nom : obligatoire');
    expect(results).toHaveLength(0);
    expect(m.terminal.screen.cursorRow).toBe(5);
    await m.type('Ali');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Age : 2 caractères minimum');
    expect(m.terminal.screen.cursorRow).toBe(6);
    await m.type('2');
    await m.press('Envoi');
    expect(results[0].values).toEqual({ nom: 'Ali', age: '42' });
  });

  it('a multi-line field wraps its value over its rows', async () => {
    const { service, results } = formService({ texte: { row: 5, column: 1, length: 5, lines: 3 } });
    const m = connect(service);
    await m.type('bonjour tout le monde');
    expect([m.rowText(5), m.rowText(6), m.rowText(7)]).toEqual(['bonjo', 'ur to', 'ut le']);
    await m.press('Envoi');
    expect(results[0].values.texte).toBe('bonjour tout le');
  });

  it('listed function keys end the form without checking it and say which key', async () => {
    const { service, results } = formService({ a: { row: 5, column: 1, length: 5, required: true } }, ['Guide', 'Suite']);
    const m = connect(service);
    await m.type('x');
    await m.press('Suite');
    expect(results[0]).toEqual({ values: { a: 'x' }, key: 'Suite' });
  });
});

describe('form bad input', () => {
  const hostile = [
    'emoji 😀👍🏽',
    'RTL שלום مرحبا',
    'combining e\u0301 a\u0308 n\u0303 x\u0301',
    'zero-width \u200b\u200d joiner',
    'C0 \u0000\u0007\u001b\u001f\u0013 DEL \u007f',
    'CJK 漢字',
  ];

  it('refuses characters beyond the field length, with a beep', async () => {
    const { service, results } = formService({ a: { row: 5, column: 1, length: 4 } });
    const m = connect(service);
    await m.type('abcdefgh');
    expect(m.rowText(5)).toBe('abcd');
    expect(m.rowText(6)).toBe('');
    expect(m.commands.filter((c) => c[0] === 0x07)).toHaveLength(4);
    await m.press('Envoi');
    expect(results[0].values.a).toBe('abcd');
  });

  it('keeps only Minitel characters whatever the keyboard or the transport sends, in every kind of field', async () => {
    const fields: Record<string, FieldSpec> = {
      any: { row: 3, column: 1, length: 40 },
      hidden: { row: 5, column: 1, length: 40, hidden: true },
      digits: { row: 7, column: 1, length: 10, allowed: 'digits' },
      letters: { row: 9, column: 1, length: 40, allowed: 'letters' },
      name: { row: 11, column: 1, length: 20, allowed: 'name', uppercase: true },
      multi: { row: 13, column: 1, length: 40, lines: 3 },
    };
    const { service, results } = formService(fields);
    const m = connect(service);
    for (let f = 0; f < Object.keys(fields).length; f++) {
      for (const text of hostile) {
        await m.type(text); // what a Minitel keyboard can send of it
        // What a raw transport could pass: the UTF-8 bytes (bit 7 is dropped, as on a 7-bit line).
        await m.send(new TextEncoder().encode(text));
        // What a buggy gateway could pass: characters that are not Minitel keys at all.
        await m.sendEvents(...Array.from(text, (char) => ({ type: 'char' as const, char })));
        await m.sendEvents({ type: 'char', char: '😀' }, { type: 'char', char: 'ab' }, { type: 'control', code: 0x1b });
      }
      await m.press('Suite');
    }
    await m.press('Envoi');
    expect(results).toHaveLength(1);
    const screen = m.terminal.screen;
    // Every cell on screen is a character a Minitel has: the sanitised text is its own sanitisation.
    for (const [name, value] of Object.entries(results[0].values)) {
      expect(value.length, name).toBeLessThanOrEqual(fields[name].length * (fields[name].lines ?? 1));
      expect(/[\u0000-\u001f\u007f]/.test(value), name).toBe(false);
      expect(/\p{Extended_Pictographic}|[\u0590-\u06ff\u4e00-\u9fff\u200b-\u200d]/u.test(value), name).toBe(false);
    }
    expect(results[0].values.digits).toMatch(/^\d*$/);
    expect(m.encoderMismatches).toEqual([]);
    expect(screen.rowText(5)).toMatch(/^\**$/);
  });
});

describe('form definitions', () => {
  it('refuses zones off the screen or overlapping, with TELETEL_E_FIELD and the field named', async () => {
    const cases: [Record<string, FieldSpec>, RegExp][] = [
      [{ a: { row: 0, column: 1, length: 5 } }, /field 'a': row must be 1–24/],
      [{ a: { row: 5, column: 38, length: 5 } }, /field 'a': it ends at column 42, past column 40/],
      [{ a: { row: 24, column: 1, length: 5, lines: 2 } }, /lines must keep the zone within row 24/],
      [{ a: { row: 5, column: 1, length: 5 }, b: { row: 5, column: 5, length: 2 } }, /fields 'a' and 'b' overlap at row 5, column 5/],
      [{ a: { row: 5, column: 3, length: 5, label: 'Nom' } }, /label 'Nom' does not fit/],
    ];
    for (const [fields, message] of cases) {
      const { service } = formService(fields);
      const m = connect(service);
      await m.done;
      expect(isSdkErrorWithCode(m.error, 'TELETEL_E_FIELD')).toBe(true);
      expect((m.error as Error).message).toMatch(message);
    }
  });
});
