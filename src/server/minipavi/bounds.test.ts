/**
 * What a MiniPavi service answers is sized by the gateway, not by the
 * answer: mask and space characters that sanitise to several ('€'), lists
 * longer than what they describe, long push messages and `next` URLs.
 */
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../videotex/terminal.js';
import { allowedUrl } from './client.js';
import { InputZones } from './input.js';
import { MINIPAVI_LIMITS } from './limits.js';
import { readAnswer } from './protocol.js';

const answer = (command: unknown, extra: Record<string, unknown> = {}): ReturnType<typeof readAnswer> =>
  readAnswer({ version: '1.0', content: '', context: '', COMMAND: command, ...extra });

describe('MiniPavi answers sized by the gateway', () => {
  it('an InputTxt whose mask and space characters sanitise to several draws a zone of its own length', () => {
    const { command } = answer({ name: 'InputTxt', param: { x: 5, y: 10, l: 8, char: '€', spacechar: '€', prefill: 'abc' } });
    if (command?.name !== 'InputTxt') throw new Error(`not an InputTxt: ${JSON.stringify(command)}`);
    const terminal = new Terminal();
    terminal.write(new InputZones(command, true).draw());
    // Before: '€' became "EUR" after the repeat, drawing 24 columns for an 8-column zone.
    expect(terminal.screen.rowText(10).trimEnd()).toHaveLength(4 + 8);
    expect(terminal.screen.rowText(10)).not.toContain('EUR');
  });

  it('keeps no more prefill lines than fields, and cuts each push message before it is sanitised', () => {
    const form = answer({ name: 'InputForm', param: { x: [1, 1], y: [2, 3], l: [5, 5], prefill: Array.from({ length: 10_000 }, () => 'x'.repeat(100)) } });
    if (form.command?.name !== 'InputForm') throw new Error('not an InputForm');
    expect(form.command.prefill).toEqual(['xxxxx', 'xxxxx']);
    const push = answer({ name: 'PushServiceMsg', param: { uniqueids: ['a'.repeat(10_000)], message: ['m'.repeat(100_000)] } });
    if (push.command?.name !== 'PushServiceMsg') throw new Error('not a PushServiceMsg');
    expect(push.command.messages[0].text.length).toBeLessThanOrEqual(120);
    expect(push.command.messages[0].uniqueId.length).toBeLessThanOrEqual(64);
  });

  it('refuses a next URL past the named length without parsing or quoting it whole', () => {
    const long = `http://ok.example/${'a'.repeat(100_000)}`;
    const { next } = readAnswer({ version: '1.0', content: '', context: '', next: long });
    expect(next.length).toBeLessThanOrEqual(MINIPAVI_LIMITS.urlCharacters + 1);
    expect(() => allowedUrl(next, new Set(['ok.example']))).toThrow(/more than 2048 characters/);
    expect(allowedUrl('http://ok.example/page', new Set(['ok.example'])).pathname).toBe('/page');
  });
});
