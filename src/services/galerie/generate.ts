/**
 * Draws GALERIE's default pages with the VideotexBuilder and writes them to
 * data/pages/*.vdt. Deterministic: a test checks the shipped files are
 * exactly what this produces.
 *
 *   npx tsx src/services/galerie/generate.ts
 *
 * Pictures are drawn on an 80×72 pixel canvas (40 columns × 2, 24 rows × 3:
 * the resolution of the Minitel's mosaics, STUM1B p.31) and turned into G1
 * mosaic characters, two colours per cell.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VideotexBuilder, mosaicCode, type MosaicPattern } from '../../videotex/builder.js';
import { COLOUR } from '../../videotex/codes.js';

export const PAGES_DIR = fileURLToPath(new URL('./data/pages/', import.meta.url));

const { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE } = COLOUR;

/** 80 × 72 pixels of colour indexes, drawn into mosaic rows. */
export class Canvas {
  static readonly WIDTH = 80;
  static readonly HEIGHT = 72;
  readonly pixels = new Uint8Array(Canvas.WIDTH * Canvas.HEIGHT);

  constructor(background: number = BLACK) {
    this.pixels.fill(background);
  }

  set(x: number, y: number, colour: number): void {
    if (x >= 0 && y >= 0 && x < Canvas.WIDTH && y < Canvas.HEIGHT) this.pixels[y * Canvas.WIDTH + x] = colour;
  }

  get(x: number, y: number): number {
    return this.pixels[y * Canvas.WIDTH + x];
  }

  rect(x0: number, y0: number, x1: number, y1: number, colour: number): this {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) this.set(x, y, colour);
    return this;
  }

  /** A disc; pixels are about 4:5 (wide:high), so the x radius is scaled to look round. */
  disc(cx: number, cy: number, r: number, colour: number, only?: (x: number, y: number) => boolean): this {
    const rx = r * 1.25;
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      for (let x = Math.floor(cx - rx); x <= Math.ceil(cx + rx); x++) {
        const dx = (x - cx) / rx;
        const dy = (y - cy) / r;
        if (dx * dx + dy * dy <= 1 && (only === undefined || only(x, y))) this.set(x, y, colour);
      }
    }
    return this;
  }

  /** A band from y0 to y1 blending `from` into `to` with an ordered dither. */
  band(y0: number, y1: number, from: number, to: number): this {
    const bayer = [0, 2, 3, 1];
    for (let y = y0; y <= y1; y++) {
      const t = (y - y0 + 0.5) / (y1 - y0 + 1);
      for (let x = 0; x < Canvas.WIDTH; x++) {
        const threshold = (bayer[(x & 1) + 2 * (y & 1)] + 0.5) / 4;
        this.set(x, y, t > threshold ? to : from);
      }
    }
    return this;
  }

  /** Draws rows `first`…`last` of the screen (each 3 pixel rows) as mosaics. */
  draw(b: VideotexBuilder, first = 1, last = 24): VideotexBuilder {
    for (let row = first; row <= last; row++) {
      b.moveTo(row, 1);
      for (let column = 1; column <= 40; column++) {
        const x0 = (column - 1) * 2;
        const y0 = (row - 1) * 3;
        const cell = [
          [this.get(x0, y0), this.get(x0 + 1, y0)],
          [this.get(x0, y0 + 1), this.get(x0 + 1, y0 + 1)],
          [this.get(x0, y0 + 2), this.get(x0 + 1, y0 + 2)],
        ];
        const counts = new Map<number, number>();
        for (const line of cell) for (const c of line) counts.set(c, (counts.get(c) ?? 0) + 1);
        const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
        const bg = ranked[0];
        const fg = ranked[1] ?? bg;
        const pattern = cell.map((line) => line.map((c) => (c === fg && fg !== bg ? 1 : 0))) as unknown as MosaicPattern;
        b.foreground(fg).background(bg).mosaic(mosaicCode(pattern));
      }
    }
    return b;
  }
}

function title(b: VideotexBuilder, text: string, fg: number, bg: number): VideotexBuilder {
  b.moveTo(1, 1).foreground(fg).background(bg).text(` ${text}`.padEnd(40));
  return b.background(BLACK);
}

export function sunset(): VideotexBuilder {
  const c = new Canvas(BLUE);
  const horizon = 44;
  c.band(0, 11, BLUE, MAGENTA).band(12, 25, MAGENTA, RED).band(26, horizon - 1, RED, YELLOW);
  c.disc(40, horizon, 12, YELLOW, (_x, y) => y < horizon);
  c.disc(40, horizon, 8, WHITE, (_x, y) => y < horizon);
  c.band(horizon, 71, BLUE, BLUE);
  // The sun's path on the sea: short yellow strokes, narrower towards the viewer.
  for (let y = horizon + 1; y < 72; y += 2) {
    const half = Math.max(2, 14 - Math.floor((y - horizon) / 2));
    for (let x = 40 - half; x <= 40 + half; x++) if ((x * 7 + y * 3) % 5 < 2) c.set(x, y, YELLOW);
  }
  // A sailing boat against the light.
  c.rect(14, 54, 27, 56, BLACK).rect(16, 57, 25, 57, BLACK);
  for (let y = 36; y < 54; y++) {
    const width = Math.floor((y - 36) / 2);
    c.rect(21 - width, y, 21, y, BLACK);
    if (y > 40) c.rect(22, y, 22 + Math.floor((y - 40) / 3), y, BLACK);
  }
  // Gulls.
  for (const [x, y] of [[58, 14], [66, 10], [62, 20]]) {
    for (const [dx, dy] of [[0, 0], [1, -1], [2, 0], [-1, -1], [-2, 0]]) c.set(x + dx, y + dy, BLACK);
  }
  const b = new VideotexBuilder().clear().cursor(false);
  c.draw(b, 1, 24);
  b.moveTo(3, 2).foreground(YELLOW).background(BLUE).doubleHeight().text(' Coucher de soleil ').normalSize().background(BLACK);
  return b;
}

export function testCard(): VideotexBuilder {
  const b = new VideotexBuilder().clear().cursor(false);
  title(b, 'MIRE TELETEL      8 couleurs, 8 gris', BLACK, WHITE);
  const names = ['noir', 'rouge', 'vert', 'jaune', 'bleu', 'mauve', 'cyan', 'blanc'];
  for (let i = 0; i < 8; i++) {
    for (let row = 3; row <= 8; row++) b.moveTo(row, 1 + i * 5).foreground(i).mosaic(0x7f, 0x7f, 0x7f, 0x7f, 0x7f);
    b.moveTo(9 + (i % 2), 1 + i * 5).foreground(i === BLACK ? WHITE : i).text(names[i]);
  }
  b.moveTo(12, 2).foreground(WHITE).text('Du plus sombre au plus clair :');
  const order = [BLACK, BLUE, RED, MAGENTA, GREEN, CYAN, YELLOW, WHITE];
  const grey = [0, 40, 50, 60, 70, 80, 90, 100];
  order.forEach((colour, i) => {
    for (let row = 13; row <= 16; row++) b.moveTo(row, 1 + i * 5).foreground(colour).mosaic(0x7f, 0x7f, 0x7f, 0x7f, 0x7f);
    b.moveTo(17, 1 + i * 5).foreground(WHITE).text(`${grey[i]}%`);
  });
  b.moveTo(19, 2).foreground(CYAN).text('Mosaïques pleines et disjointes :');
  b.moveTo(21, 2).foreground(YELLOW).mosaic(0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f).separated(true).mosaic(0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f).separated(false);
  b.moveTo(22, 2).foreground(GREEN).mosaic(0x35, 0x6a, 0x35, 0x6a, 0x35, 0x6a, 0x35, 0x6a).separated(true).mosaic(0x35, 0x6a, 0x35, 0x6a, 0x35, 0x6a, 0x35, 0x6a).separated(false);
  b.moveTo(24, 2).foreground(WHITE).text('40 x 25 caractères, 1200 bauds');
  return b;
}

export function mosaics(): VideotexBuilder {
  const b = new VideotexBuilder().clear().cursor(false);
  title(b, 'LES 64 MOSAIQUES DU MINITEL', WHITE, BLUE);
  b.moveTo(2, 2).foreground(CYAN).text('Chaque case : 2 x 3 pavés, 1 octet G1');
  const codes = Array.from({ length: 64 }, (_, i) => 0x20 + (i & 0x1f) + (i >= 32 ? 0x40 : 0));
  const place = (i: number): [number, number] => [4 + 2 * Math.floor(i / 8), 2 + 5 * (i % 8)];
  // Labels first, then the mosaics on blue: a text after a background change would need a delimiter cell (p.93).
  codes.forEach((code, i) => {
    const [row, column] = place(i);
    b.moveTo(row, column).foreground(WHITE).text(code.toString(16).toUpperCase());
  });
  codes.forEach((code, i) => {
    const [row, column] = place(i);
    b.moveTo(row, column + 2).foreground(YELLOW).background(BLUE).mosaic(code);
  });
  b.background(BLACK);
  b.moveTo(21, 1).foreground(WHITE).text(' Bits : b0 b1 en haut, b2 b3 au milieu,');
  b.moveTo(22, 2).text('b4 b6 en bas ; le bit 5 vaut 1.');
  b.moveTo(24, 2).foreground(CYAN).text('80 x 72 points sur tout l’écran');
  return b;
}

export function typography(): VideotexBuilder {
  const b = new VideotexBuilder().clear().cursor(false);
  title(b, 'TYPOGRAPHIE', BLACK, YELLOW);
  b.moveTo(3, 1).foreground(WHITE).text(' Taille normale, 40 colonnes');
  b.moveTo(5, 2).foreground(CYAN).doubleHeight().text('Double hauteur').normalSize();
  b.moveTo(7, 2).foreground(GREEN).doubleWidth().text('Double largeur').normalSize();
  b.moveTo(10, 2).foreground(YELLOW).doubleSize().text('Double taille').normalSize();
  b.moveTo(12, 2).foreground(WHITE).text('Texte ').inverse(true).text(' inversé ').inverse(false).text(' et ').blink(true).text('clignotant').blink(false);
  b.moveTo(13, 2).text('Un mot').underline(true).text(' souligné').underline(false).text(' au milieu');
  const colours: [number, string][] = [[RED, 'rouge'], [GREEN, 'vert'], [YELLOW, 'jaune'], [BLUE, 'bleu'], [MAGENTA, 'mauve'], [CYAN, 'cyan']];
  b.moveTo(15, 2);
  for (const [colour, name] of colours) b.foreground(colour).text(`${name} `);
  b.moveTo(17, 2).foreground(WHITE).background(BLUE).text(' Fond bleu derrière le texte ').background(BLACK).text(' ');
  b.moveTo(19, 2).foreground(WHITE).text('à â ä é è ê ë î ï ô ö ù û ü ç');
  b.moveTo(20, 2).text('Œ œ ß £ § ° ± ÷ ¼ ½ ¾ ← ↑ → ↓');
  b.moveTo(22, 2).foreground(CYAN).text('Les minuscules ont leurs accents,');
  b.moveTo(23, 2).text('les capitales non : été, ETE.');
  return b;
}

export function minitel(): VideotexBuilder {
  const c = new Canvas(BLACK);
  // The case: a white box with a tilted screen and a keyboard flap below.
  c.rect(12, 3, 67, 49, WHITE);
  c.rect(16, 6, 63, 40, BLUE);
  c.rect(18, 8, 61, 38, BLACK);
  c.rect(20, 43, 59, 46, WHITE);
  for (let x = 22; x <= 56; x += 4) c.rect(x, 44, x + 1, 44, BLACK);
  c.rect(8, 52, 71, 66, WHITE);
  for (let y = 54; y <= 64; y += 3) for (let x = 11 + (y % 2); x <= 67; x += 4) c.rect(x, y, x + 1, y + 1, BLUE);
  c.rect(30, 63, 49, 64, BLUE);
  const b = new VideotexBuilder().clear().cursor(false);
  c.draw(b, 1, 24);
  b.moveTo(6, 14).foreground(GREEN).doubleHeight().text('3615').normalSize();
  b.moveTo(9, 14).foreground(GREEN).doubleSize().text('TELETEL').normalSize();
  b.moveTo(11, 12).foreground(CYAN).text('Tapez le code');
  b.moveTo(12, 12).foreground(CYAN).text('du service,');
  b.moveTo(13, 12).foreground(CYAN).text('puis ENVOI').cursor(false);
  return b;
}

/** File name → drawing; the names are what GALERIE lists. */
export const PAGES: Readonly<Record<string, () => VideotexBuilder>> = {
  '01-coucher-de-soleil.vdt': sunset,
  '02-le-minitel.vdt': minitel,
  '03-mire.vdt': testCard,
  '04-les-64-mosaiques.vdt': mosaics,
  '05-typographie.vdt': typography,
};

export function generatePages(): Map<string, Uint8Array> {
  return new Map(Object.entries(PAGES).map(([name, draw]) => [name, draw().toBytes()]));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(PAGES_DIR, { recursive: true });
  for (const [name, bytes] of generatePages()) {
    writeFileSync(join(PAGES_DIR, name), bytes);
    process.stdout.write(`${name}: ${bytes.length} bytes\n`);
  }
}
