/**
 * Articles in plain text with light markup, laid out as Minitel pages.
 *
 * Markup (one article per file, UTF-8):
 *   # Title                 the first line
 *   ## Heading              a section title, yellow, double height
 *   - item / * item         a list item (continuation lines indented)
 *   blank line              a new paragraph
 *   *emphasis*              yellow
 *   _underline_             underlined (a Videotex zone attribute)
 *   `code`                  cyan, taken as is
 *   \* \_ \`                the character itself
 *
 * Layout: 40 columns; column 1 is kept blank because underline on a
 * Minitel starts at a delimiter, a space cell (STUM1B p.93): the margin and
 * the spaces between words are those delimiters, so no line is shifted.
 * Words wrap at 39 columns; a word longer than a line is cut. Accents come
 * out as the Minitel's own (text.ts).
 */
import { VideotexBuilder } from '../../videotex/builder.js';
import { COLOUR } from '../../videotex/codes.js';
import { sanitizeText } from '../../videotex/text.js';

export type SpanStyle = 'plain' | 'emphasis' | 'underline' | 'code';

export interface Span {
  text: string;
  style: SpanStyle;
}

export type Block =
  | { type: 'heading'; spans: Span[] }
  | { type: 'paragraph'; spans: Span[] }
  | { type: 'item'; spans: Span[] };

export interface Article {
  title: string;
  blocks: Block[];
}

/** Rows of text on one page (3 to 22), between the header bar and the footer. */
export const BODY_TOP = 3;
export const BODY_ROWS = 20;
/** Text columns: 2–40, column 1 being the delimiter margin. */
export const TEXT_WIDTH = 39;

// ---- parsing ------------------------------------------------------------------------

export function parseArticle(source: string): Article {
  const lines = source.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  let title = '';
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let item: string[] | null = null;
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', spans: parseInline(paragraph.join(' ')) });
    if (item !== null) blocks.push({ type: 'item', spans: parseInline(item.join(' ')) });
    paragraph = [];
    item = null;
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (title === '' && blocks.length === 0 && paragraph.length === 0 && /^#\s+/.test(line)) {
      title = line.replace(/^#\s+/, '').trim();
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = /^#{2,6}\s+(.*)$/.exec(line);
    if (heading !== null) {
      flush();
      blocks.push({ type: 'heading', spans: parseInline(heading[1].trim()) });
      continue;
    }
    const bullet = /^\s{0,3}[-*]\s+(.*)$/.exec(line);
    if (bullet !== null) {
      flush();
      item = [bullet[1].trim()];
      continue;
    }
    if (item !== null && /^\s+/.test(line)) {
      item.push(line.trim());
      continue;
    }
    if (item !== null) flush();
    paragraph.push(line.trim());
  }
  flush();
  return { title: title || 'Sans titre', blocks };
}

const MARKERS: Record<string, SpanStyle> = { '*': 'emphasis', _: 'underline', '`': 'code' };

/** Inline markup into spans. A marker opens before a non-space and closes after one; unmatched markers stay as text. */
export function parseInline(text: string): Span[] {
  const spans: Span[] = [];
  let plain = '';
  const push = (t: string, style: SpanStyle): void => {
    if (t === '') return;
    const last = spans[spans.length - 1];
    if (last !== undefined && last.style === style) last.text += t;
    else spans.push({ text: t, style });
  };
  // Where a marker was last found to have no closing one after it: none further on can have one either,
  // so an opening marker there is not looked for again (the search would make a line of markers quadratic).
  const unclosedFrom: Record<string, number> = { '*': Infinity, _: Infinity, '`': Infinity };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && MARKERS[text[i + 1]] !== undefined) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    const style = MARKERS[c];
    const before = i === 0 ? ' ' : text[i - 1];
    if (style !== undefined && /[\s([{"'«-]/.test(before) && i + 1 < text.length && !/\s/.test(text[i + 1]) && i + 1 < unclosedFrom[c]) {
      const close = findClose(text, i + 1, c);
      if (close < 0) unclosedFrom[c] = i + 1;
      if (close > i + 1) {
        push(plain, 'plain');
        plain = '';
        const inner = text.slice(i + 1, close);
        push(style === 'code' ? inner : inner.replace(/\\([*_`])/g, '$1'), style);
        i = close + 1;
        continue;
      }
    }
    plain += c;
    i++;
  }
  push(plain, 'plain');
  return spans;
}

function findClose(text: string, from: number, marker: string): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\' && marker !== '`') {
      j++;
      continue;
    }
    if (text[j] === marker && !/\s/.test(text[j - 1]) && (j + 1 >= text.length || !/[\p{L}\p{N}]/u.test(text[j + 1]))) return j;
  }
  return -1;
}

// ---- lines --------------------------------------------------------------------------

/** A word: one or more styled pieces with no space between them. Text is already sanitised (one code point per cell). */
export type Word = Span[];

export type Line =
  | { kind: 'text'; words: Word[]; indent: number }
  | { kind: 'heading'; words: Word[] }
  | { kind: 'blank' };

const NBSP = '\u00a0';

/**
 * Spaces a line must not break at, as French typography wants: before
 * : ; ! ? % » and after «, and between groups of digits (1 000 F). A
 * no-break space typed in the article (U+00A0) is kept as well.
 */
export function bindSpaces(text: string): string {
  return text
    .replace(/ (?=[:;!?%»])/g, NBSP)
    .replace(/(?<=«) /g, NBSP)
    .replace(/(?<=\d) (?=\d{3}(?!\d))/g, NBSP);
}

function wordsOf(spans: Span[]): Word[] {
  const words: Word[] = [];
  let current: Word = [];
  for (const span of spans) {
    // Split on breakable spaces first: sanitizeText turns a no-break space into a plain one.
    const parts = bindSpaces(span.text).split(/[ \t]+/).map((part) => sanitizeText(part));
    parts.forEach((part, index) => {
      if (index > 0) {
        if (current.length > 0) words.push(current);
        current = [];
      }
      if (part !== '') current.push({ text: part, style: span.style });
    });
  }
  if (current.length > 0) words.push(current);
  return words;
}

function width(word: Word): number {
  return word.reduce((n, piece) => n + Array.from(piece.text).length, 0);
}

/** Cuts a word into pieces of at most `size` cells. */
function cut(word: Word, size: number): Word[] {
  const out: Word[] = [];
  let current: Word = [];
  let used = 0;
  for (const piece of word) {
    const chars = Array.from(piece.text);
    for (let at = 0; at < chars.length; ) {
      const take = Math.min(size - used, chars.length - at);
      current.push({ text: chars.slice(at, at + take).join(''), style: piece.style });
      at += take;
      used += take;
      if (used === size) {
        out.push(current);
        current = [];
        used = 0;
      }
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Word-wraps spans into lines of `size` cells; continuation lines are indented by `indent`. */
export function wrapWords(words: Word[], size: number, firstIndent = 0, indent = 0): { words: Word[]; indent: number }[] {
  const lines: { words: Word[]; indent: number }[] = [];
  let line: Word[] = [];
  let used = 0;
  let lineIndent = firstIndent;
  const finish = (): void => {
    lines.push({ words: line, indent: lineIndent });
    line = [];
    used = 0;
    lineIndent = indent;
  };
  for (const word of words) {
    for (const piece of width(word) > size - indent ? cut(word, size - indent) : [word]) {
      const w = width(piece);
      const needed = line.length === 0 ? w : used + 1 + w;
      if (line.length > 0 && lineIndent + needed > size) finish();
      used = line.length === 0 ? w : used + 1 + w;
      line.push(piece);
    }
  }
  if (line.length > 0 || lines.length === 0) finish();
  return lines;
}

/** The article as screen lines (the title comes first, as headings do). */
export function layoutLines(article: Article): Line[] {
  const lines: Line[] = [];
  for (const l of wrapWords(wordsOf([{ text: article.title, style: 'plain' }]), TEXT_WIDTH)) lines.push({ kind: 'heading', words: l.words });
  let previous: Block['type'] | null = null;
  for (const block of article.blocks) {
    // Items of one list follow each other without a blank line.
    if (!(block.type === 'item' && previous === 'item')) lines.push({ kind: 'blank' });
    previous = block.type;
    if (block.type === 'heading') {
      for (const l of wrapWords(wordsOf(block.spans), TEXT_WIDTH)) lines.push({ kind: 'heading', words: l.words });
    } else if (block.type === 'item') {
      const words: Word[] = [[{ text: '-', style: 'plain' }], ...wordsOf(block.spans)];
      for (const l of wrapWords(words, TEXT_WIDTH, 0, 2)) lines.push({ kind: 'text', words: l.words, indent: l.indent });
    } else {
      for (const l of wrapWords(wordsOf(block.spans), TEXT_WIDTH)) lines.push({ kind: 'text', words: l.words, indent: 0 });
    }
  }
  return lines;
}

/** Rows a line takes: headings are double height. */
function rows(line: Line): number {
  return line.kind === 'heading' ? 2 : 1;
}

/** Lines grouped into pages of BODY_ROWS rows; a page never starts with a blank or ends with a heading. */
export function paginate(lines: Line[]): Line[][] {
  const pages: Line[][] = [];
  let page: Line[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (page.length === 0 && line.kind === 'blank') continue;
    const need = rows(line);
    // Keep a heading with the line after it.
    const keep = line.kind === 'heading' && i + 1 < lines.length && lines[i + 1].kind !== 'heading' ? rows(lines[i + 1]) + (lines[i + 1].kind === 'blank' ? 1 : 0) : 0;
    if (used + need + keep > BODY_ROWS && page.length > 0) {
      pages.push(page);
      page = [];
      used = 0;
      if (line.kind === 'blank') continue;
    }
    page.push(line);
    used += need;
  }
  if (page.length > 0) pages.push(page);
  return pages.length > 0 ? pages : [[]];
}

const STYLE_COLOUR: Record<SpanStyle, number> = {
  plain: COLOUR.WHITE,
  emphasis: COLOUR.YELLOW,
  underline: COLOUR.WHITE,
  code: COLOUR.CYAN,
};

/** Draws the lines of one page from BODY_TOP, into a builder. */
export function drawBody(b: VideotexBuilder, page: Line[]): VideotexBuilder {
  let row = BODY_TOP;
  for (const line of page) {
    if (line.kind === 'blank') {
      row++;
      continue;
    }
    const tall = line.kind === 'heading';
    const at = tall ? row + 1 : row; // double height grows upwards from its row (p.91)
    b.moveTo(at, 1).normalSize().underline(false);
    if (tall) b.doubleHeight();
    let underlined = false;
    if (line.kind === 'text' && line.indent > 0) b.text(' '.repeat(line.indent));
    line.words.forEach((word) => {
      const wantUnderline = !tall && word[0].style === 'underline';
      if (wantUnderline !== underlined) {
        b.underline(wantUnderline);
        underlined = wantUnderline;
      }
      // The margin (first word) or the space between words is the delimiter when the zone changes.
      b.foreground(tall ? COLOUR.YELLOW : STYLE_COLOUR[word[0].style]).text(' ');
      for (const piece of word) b.foreground(tall ? COLOUR.YELLOW : STYLE_COLOUR[piece.style]).text(piece.text);
    });
    row += rows(line);
  }
  return b.normalSize().underline(false);
}
