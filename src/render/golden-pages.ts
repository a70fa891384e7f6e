/**
 * The pages behind the golden images (golden.test.ts), written with
 * VideotexBuilder as a service would write them, so the images check the
 * builder's output through the decoder and the renderer together.
 *
 * `raw()` appears only where the builder deliberately says nothing: bytes it
 * never sends (SUB, SS2 codes text.ts sends in a shorter form, accent pairs
 * STUM1B does not list, SS2 in G1), attributes it refuses where the terminal
 * ignores them (double height on row 1, double width at column 40), CAN
 * outside row 0, and DRCS downloads and designations, for which it has no
 * method. Each use says which.
 *
 * Test-only: nothing outside the golden tests imports this file.
 */
import { C0, COLOUR, SP } from '../videotex/codes.js';
import { VideotexBuilder } from '../videotex/builder.js';
import { drcsDownloadBytes } from '../videotex/drcs-download.js';
import { Terminal } from '../videotex/terminal.js';
import type { Screen } from '../videotex/screen.js';

const { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE } = COLOUR;
const { ESC, SS2, SUB, SO, CAN, US } = C0;
const ALL_COLOURS = [BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE];

/** G1 codes from…to, for the mosaic rows. */
const codes = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** What a Terminal shows after `bytes`: every page starts with clear(), so nothing else is needed. */
export function goldenScreen(bytes: Uint8Array): Screen {
  const terminal = new Terminal();
  terminal.write(bytes);
  return terminal.screen;
}

/** Every G0 code, G2 glyph and accented letter, the error block, and text in each colour on each zone colour. */
export function characterSetsPage(): Uint8Array {
  const b = new VideotexBuilder().clear().row0('Teletel golden page: character sets');

  // G0 (p.100), in the Unicode text.ts maps onto each code: ` { } ~ show as bars on a
  // Minitel, so text.ts sends the bars for ─ ▏ ▕ ‾ and replaces the ASCII forms; █ is DEL.
  b.moveTo(1, 1).foreground(CYAN).text('G0 (p.100)');
  b.moveTo(2, 1).foreground(WHITE).text(' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFG');
  b.moveTo(3, 1).text('HIJKLMNOPQRSTUVWXYZ[\\]^_─abcdefghijklmno');
  b.moveTo(4, 1).text('pqrstuvwxyz▏|▕‾█', { allowDel: true });

  b.moveTo(6, 1).foreground(CYAN).text('G2 (p.103)');
  b.moveTo(7, 1).foreground(WHITE).text('£ § ← → ↓ ° ± ÷ ¼ ½ ¾ Œ œ ß ');
  // text.ts sends $, # and ↑ as their one-byte G0 codes, so their G2 forms need raw
  // bytes; SS2 25 has no G2 glyph and shows a low bar (p.90).
  b.raw([SS2, 0x24, SP, SS2, 0x26, SP, SS2, 0x2d, SP, SS2, 0x25]);

  b.moveTo(9, 1).foreground(CYAN).text('Accents (p.90)');
  b.moveTo(10, 1).foreground(WHITE).text('à è ù é â ê î ô û ä ë ï ö ü ç ');
  // Acute a and grave E are pairs STUM1B does not list: the terminal shows the bare
  // letter. text.ts never sends them (it drops the accent itself), so raw.
  b.raw([SS2, 0x42, 0x61, SP, SS2, 0x41, 0x45]);

  // SUB (p.99) is the terminal's mark for a transmission error; no encoder sends it on
  // purpose, so the whole sample is raw: white, red, a green mosaic one, one on blue.
  b.moveTo(12, 1).foreground(CYAN).text('SUB (p.99): ');
  b.raw([ESC, 0x47, SUB, SP, ESC, 0x41, SUB, SP, SO, ESC, 0x42, SUB, SP, ESC, 0x54, SUB]);

  // Each zone colour opened by a delimiter (p.93), then a letter in each foreground colour.
  for (const zone of ALL_COLOURS) {
    b.moveTo(14 + zone, 1).background(zone).foreground(WHITE).text(' ');
    for (const colour of ALL_COLOURS) b.foreground(colour).text(`${colour}${'Aa'[colour % 2]}`);
    b.foreground(WHITE).text(`zone ${zone}`);
  }

  b.moveTo(23, 1).text('Lowercase: the quick brown fox jumps');
  b.moveTo(24, 1).text('over the lazy dog. 0123456789 ▏|▕‾');
  return b.toBytes();
}

/** Sizes, inverse, underline, blink, mask, CAN and the cursor. */
export function attributesPage(): Uint8Array {
  const b = new VideotexBuilder().clear();
  b.moveTo(0, 1).foreground(YELLOW).text('Teletel golden page: attributes');
  // Labels first, in plain white, so the zones below open and close where the samples are.
  b.foreground(WHITE);
  b.moveTo(1, 1).text('Underline (p.94):');
  b.moveTo(3, 1).text('Inverse (p.91):');
  b.moveTo(5, 1).text('Blink (p.84):');
  b.moveTo(7, 1).text('Mask (p.94): [');

  // Underline is a zone attribute: it starts at a delimiter and a mosaic ends it (p.93).
  b.moveTo(2, 1).underline().text(' underlined').underline(false).text(' plain');
  b.underline().background(BLUE).text(' on blue').mosaic(0x20).text('mosaic ends it');

  b.moveTo(4, 1).foreground(GREEN).inverse().text('inverse').inverse(false).text(' normal ');
  b.inverse().underline(false).background(RED).text(' inv on red').underline().text(' inv ul');

  b.moveTo(6, 1).foreground(WHITE).inverse(false).blink().text('blink').blink(false).text(' steady ');
  b.blink().inverse().text('inverse blink').inverse(false);
  b.background(BLACK).underline().text(' ul blink').foreground(RED).mosaic(0x7f, 0x7f);

  // Masked text is hidden while the global mask is on (p.94); ']' closes on black.
  b.moveTo(7, 15).foreground(WHITE).blink(false).underline(false).mask().background(MAGENTA).text(' hidden');
  b.mask(false).text(' shown').background(BLACK).text(' ]');

  // Sizes grow up and right from the cursor (p.93): row 10 holds the bottoms.
  b.moveTo(10, 1).doubleHeight().text('Tall').doubleWidth().text('Wide').doubleSize().text('Big');
  b.foreground(YELLOW).inverse().text('Inv').inverse(false).normalSize().underline().text(' ').doubleHeight().text('ul');

  b.moveTo(13, 1).underline(false).background(BLUE).doubleSize().text(' ');
  b.foreground(YELLOW).text('DOUBLE').foreground(RED).text('é').foreground(GREEN).text('→');

  b.moveTo(16, 1).normalSize().foreground(WHITE).text('Row 1 ignores double height:');
  // The builder never asks for double height on row 1, which the terminal refuses (p.93);
  // raw bytes ask anyway to show the refusal: a normal 'h' at (1,34).
  b.raw([US, 0x41, 0x62, ESC, 0x4d, 0x68]);

  b.moveTo(18, 1).background(GREEN).foreground(BLACK).text(' CAN fills the zone');
  // The builder sends CAN only to clear row 0; here it fills the rest of the row
  // with spaces that keep the zone's green (p.95).
  b.raw([CAN]);

  b.moveTo(20, 1).foreground(CYAN).text('Double width at column 40 is normal:');
  // Likewise double width at column 40, which the builder does not send (p.97).
  b.raw([US, 0x54, 0x68, ESC, 0x4e, 0x57]);

  b.moveTo(22, 1).foreground(WHITE).text('Cursor here ->').cursor(true);
  return b.toBytes();
}

/** All 64 mosaics, contiguous and separated, in every colour pair, and blinking. */
export function mosaicsPage(): Uint8Array {
  const b = new VideotexBuilder().clear().row0('Teletel golden page: mosaics');
  b.moveTo(1, 1).background(BLUE).mosaic(...codes(0x20, 0x3f));
  b.moveTo(2, 1).mosaic(...codes(0x60, 0x7f));
  b.moveTo(3, 1).foreground(YELLOW).background(RED).separated().mosaic(...codes(0x20, 0x3f));
  b.moveTo(4, 1).mosaic(...codes(0x60, 0x7f));
  // 0x40–0x5F in G1 draw like 0x60–0x7F (p.101–102); then solid, separated, REP (p.98).
  b.moveTo(5, 1).foreground(GREEN).background(BLACK).separated(false).mosaic(...codes(0x40, 0x5f));
  b.mosaic(0x7f).separated().mosaic(0x7f).repeat(3);
  // SS2 is ignored in G1 and the next byte prints as a mosaic (p.90); the builder
  // never sends SS2 in G1, so raw.
  b.raw([SS2, 0x7f]);

  const pattern = [0x35, 0x6a, 0x66, 0x79];
  for (const separated of [false, true]) {
    for (const bg of ALL_COLOURS) {
      b.moveTo((separated ? 15 : 7) + bg, 1).background(bg).separated(separated);
      for (const fg of ALL_COLOURS) b.foreground(fg).mosaic(...pattern, separated ? 0x7f : 0x2c);
    }
  }

  // A mosaic gives its background to the text after it, with no delimiter (p.86, p.93).
  b.moveTo(23, 1).separated(false).background(CYAN).mosaic(0x20).foreground(BLACK).text('text after a mosaic takes its bg');
  b.moveTo(24, 1).foreground(MAGENTA).background(BLACK).blink().mosaic(0x7f, 0x7f, 0x7f).blink(false).mosaic(0x7f);
  b.text(' blinking mosaics');
  return b.toBytes();
}

export const ARROW = [0x18, 0x3c, 0x7e, 0xff, 0x18, 0x18, 0x18, 0x18, 0x18, 0x00];
export const FRAME = [0xff, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xff];
export const CHECKER = [0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55];
export const TRIANGLE = [0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe, 0xff, 0xff, 0xff];

/** `ESC 28 20 42` / `ESC 29 20 43`: G0 / G1 take the downloaded set; `ESC 28 40` / `ESC 29 63`: the standard ones (docs §6.3). */
const G0_DRCS = [ESC, 0x28, SP, 0x42];
const G0_STANDARD = [ESC, 0x28, 0x40];
const G1_DRCS = [ESC, 0x29, SP, 0x43];
const G1_STANDARD = [ESC, 0x29, 0x63];

/**
 * Downloaded characters (Minitel 2, docs §6.3) with text and mosaic attributes.
 * The builder has no DRCS methods, so downloads and designations are raw; it
 * takes G0 and G1 to be the standard sets, so after a raw designation its
 * text() and mosaic() codes print from the downloaded set, in the colours and
 * sizes it sets. The golden image shows at once if that ever changes.
 */
export function drcsPage(): Uint8Array {
  const b = new VideotexBuilder().clear().row0('Teletel golden page: DRCS');
  b.raw(drcsDownloadBytes(0, new Map([[0x21, ARROW], [0x22, FRAME], [0x23, CHECKER]])));
  b.raw(drcsDownloadBytes(1, new Map([[0x21, TRIANGLE], [0x22, CHECKER]])));

  // The download ends at the next US (docs §6.3): this absolute move. After each raw
  // designation a moveTo() to where the cursor already is anchors the builder again
  // (raw() leaves it not knowing the position or attributes); the US it sends resets
  // the attributes but keeps the designations.
  b.moveTo(2, 1).text("G'0: ").raw(G0_DRCS).moveTo(2, 6).text('!"#').foreground(RED).text('!"#');
  b.inverse().text('!"#').inverse(false).underline().text(' !"#');

  // The G'0 designation outlives US (docs §6.3): row 5 still prints from it.
  b.moveTo(5, 1).foreground(YELLOW).doubleSize().text('!"#').doubleHeight().text('!').doubleWidth().text('"');

  // So text needs G0 back first.
  b.raw(G0_STANDARD).moveTo(7, 1).foreground(WHITE).normalSize().text("G'1: ").raw(G1_DRCS).moveTo(7, 6);
  b.foreground(GREEN).background(BLUE).mosaic(0x21, 0x22, 0x21, 0x22).separated().mosaic(0x21, 0x22);
  b.text(' standard:').raw(G1_STANDARD).moveTo(7, 22).separated(false).mosaic(0x21, 0x22);

  b.moveTo(9, 1).foreground(WHITE).text("G'0 again: ").raw(G0_DRCS).moveTo(9, 12).text('!"#');
  b.raw(G0_STANDARD).moveTo(9, 15).text(' back to G0: !"#');
  return b.toBytes();
}
