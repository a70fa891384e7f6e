import { describe, expect, it } from 'vitest';
import { Terminal } from '../../videotex/terminal.js';
import { VideotexBuilder } from '../../videotex/builder.js';
import { bindSpaces, drawBody, layoutLines, paginate, parseArticle, parseInline, BODY_ROWS, BODY_TOP } from './layout.js';
import { JOURNAL_LIMITS } from './index.js';

function render(source: string): Terminal {
  const terminal = new Terminal();
  const [page] = paginate(layoutLines(parseArticle(source)));
  terminal.write(drawBody(new VideotexBuilder().clear(), page).toBytes());
  return terminal;
}

function rowOf(terminal: Terminal, text: string): number {
  for (let row = 1; row <= 24; row++) if (terminal.screen.rowText(row).includes(text)) return row;
  throw new Error(`'${text}' not on screen:\n${terminal.screen.text()}`);
}

describe('markup', () => {
  it('reads the title, headings, paragraphs and list items', () => {
    const article = parseArticle('# Titre\n\nUn paragraphe\nsur deux lignes.\n\n## Partie\n- un\n- deux\n  suite\n\nFin.');
    expect(article.title).toBe('Titre');
    expect(article.blocks.map((b) => [b.type, b.spans.map((s) => s.text).join('')])).toEqual([
      ['paragraph', 'Un paragraphe sur deux lignes.'],
      ['heading', 'Partie'],
      ['item', 'un'],
      ['item', 'deux suite'],
      ['paragraph', 'Fin.'],
    ]);
  });

  it('reads *emphasis*, _underline_ and `code`, escapes, and leaves unmatched markers alone', () => {
    expect(parseInline('un *mot* _souligné_ et `a*b_c` ici')).toEqual([
      { text: 'un ', style: 'plain' },
      { text: 'mot', style: 'emphasis' },
      { text: ' ', style: 'plain' },
      { text: 'souligné', style: 'underline' },
      { text: ' et ', style: 'plain' },
      { text: 'a*b_c', style: 'code' },
      { text: ' ici', style: 'plain' },
    ]);
    expect(parseInline('2 * 3 = 6, snake_case_name, \\*pas\\* *ouvert')).toEqual([{ text: '2 * 3 = 6, snake_case_name, *pas* *ouvert', style: 'plain' }]);
  });

  it('binds French spaces and digit groups so a line never breaks there', () => {
    expect(bindSpaces('Prix : 1 000 F ; « oui » 15 %')).toBe('Prix\u00a0: 1\u00a0000 F\u00a0; «\u00a0oui\u00a0» 15\u00a0%');
  });
});

describe('layout on 40 columns', () => {
  const long =
    '# T\n\nLe Minitel affichait quarante colonnes et vingt-cinq rangées ; chaque page arrivait à 1200 bauds, soit 120 caractères par seconde, ce qui coûtait 1 000 F par an.';

  it('wraps between words within columns 2–40, never cutting a word or a bound space', () => {
    const terminal = render(long);
    const rows = [];
    for (let row = 1; row <= 24; row++) rows.push(terminal.screen.rowText(row, { keepTrailingSpaces: true }));
    const text = rows.map((r) => r.trimEnd()).filter((r) => r !== '');
    for (const line of text) {
      expect(line.startsWith(' '), line).toBe(true);
      expect(line.length).toBeLessThanOrEqual(40);
    }
    const words = text.slice(1).join(' ').split(/\s+/).filter(Boolean);
    expect(words.join(' ')).toBe(
      'Le Minitel affichait quarante colonnes et vingt-cinq rangées ; chaque page arrivait à 1200 bauds, soit 120 caractères par seconde, ce qui coûtait 1 000 F par an.'.split(/\s+/).join(' '),
    );
    expect(text.some((line) => /\b1$/.test(line))).toBe(false); // "1 000" stays together
  });

  it('cuts a word longer than a line', () => {
    const terminal = render(`# T\n\n${'x'.repeat(50)}`);
    expect(terminal.screen.rowText(rowOf(terminal, 'xxx'))).toBe(` ${'x'.repeat(39)}`);
  });

  it('draws the title and headings in yellow double height, emphasis in yellow, code in cyan, accents as Minitel accents', () => {
    const terminal = render('# Été\n\nUn *mot* et `du code` à Noël.\n\n## Suite');
    const screen = terminal.screen;
    const titleRow = rowOf(terminal, 'Eté');
    expect(screen.appearance(titleRow, 2)).toMatchObject({ char: 'E', fg: 3, doubleHeight: true });
    const row = rowOf(terminal, 'Un mot');
    const text = screen.rowText(row);
    expect(text).toBe(' Un mot et du code à Noël.');
    expect(screen.appearance(row, 2).fg).toBe(7);
    expect(screen.appearance(row, text.indexOf('mot') + 1).fg).toBe(3);
    expect(screen.appearance(row, text.indexOf('code') + 1).fg).toBe(6);
    expect(screen.appearance(rowOf(terminal, 'Suite'), 2)).toMatchObject({ fg: 3, doubleHeight: true });
  });

  it('underlines exactly the marked words, using the spaces before them as delimiters', () => {
    const terminal = render('# T\n\n_Deux mots_ puis rien et _un_ autre.');
    const screen = terminal.screen;
    const row = rowOf(terminal, 'Deux mots');
    const text = screen.rowText(row);
    const underlined = Array.from(text, (_, i) => (screen.appearance(row, i + 1).underline ? '^' : ' ')).join('');
    expect(text).toBe(' Deux mots puis rien et un autre.');
    expect(underlined).toBe(' ^^^^^^^^^              ^^       ');
  });

  it('paginates into pages of 20 rows without a blank at the top or a heading at the bottom', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `## Partie ${i}\n\nParagraphe ${i}.`).join('\n\n');
    const pages = paginate(layoutLines(parseArticle(`# Long\n\n${paragraphs}`)));
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) {
      const rows = page.reduce((n, line) => n + (line.kind === 'heading' ? 2 : 1), 0);
      expect(rows).toBeLessThanOrEqual(BODY_ROWS);
      expect(page[0].kind).not.toBe('blank');
      expect(page[page.length - 1].kind).not.toBe('heading');
    }
    expect(BODY_TOP).toBe(3);
  });
});

describe('cost', () => {
  // Every visit lays out every article, on the gateway's one thread: the time must grow with the size, not its square.
  it('lays out an article of the largest size in time that grows with its size, whatever its markup', () => {
    const size = JOURNAL_LIMITS.fileBytes;
    const bodies = {
      'unmatched markers': '*a _b `c '.repeat(size / 9),
      'escaped markers': '\\*a *'.repeat(size / 5),
      'one word longer than many pages': 'x'.repeat(size),
    };
    for (const [what, body] of Object.entries(bodies)) {
      const started = performance.now();
      const pages = paginate(layoutLines(parseArticle(`# Titre\n\n${body}`)));
      const elapsed = performance.now() - started;
      expect(pages.length, what).toBeGreaterThan(100);
      expect(elapsed, what).toBeLessThan(2000); // a square law took 8 to 30 s here
    }
  });
});
