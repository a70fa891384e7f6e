/** The README's "Use the Videotex core" example does what the README says. */
import { describe, expect, it } from 'vitest';
import { Terminal, VideotexBuilder } from './index.js';

describe('the README core example', () => {
  it('writes a double-height title whose text reads back, without accented capitals (p.90)', () => {
    const terminal = new Terminal();
    terminal.write(new VideotexBuilder().clear().moveTo(2, 1).doubleHeight().text('Été à Paris').toBytes());
    expect(terminal.screen.rowText(2)).toBe('Eté à Paris');
    expect(terminal.screen.appearance(2, 1)).toMatchObject({ char: 'E', doubleHeight: true, topHalf: false });
    expect(terminal.screen.appearance(1, 1)).toMatchObject({ char: 'E', topHalf: true });
  });
});
