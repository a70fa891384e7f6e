/**
 * The gateway's own screens, drawn in Videotex: the Télétel home page where
 * the user types a service code, the Guide listing the services, and row-0
 * messages. Text goes through src/videotex/text.ts, so a service name or
 * description can never carry a control byte to a terminal.
 */
import { C0, ESC_ATTR, COLOUR } from '../videotex/codes.js';
import { encodeText, sanitizeText } from '../videotex/text.js';
import type { ServiceInfo } from '../sdk/service.js';
import { formatTariff } from './kiosque.js';

/** Row 0 holds service messages in columns 1–36; 37–40 are the terminal's indicators (p.32–33). */
export const ROW_ZERO_COLUMNS = 36;
/** Longest input: "3615 " and a 16-character code (src/sdk/service.ts). */
export const INPUT_LENGTH = 21;
/** Services listed on one Guide page. */
export const GUIDE_ROWS = 16;

/** Where the code input zone is on each page: row, first column. */
export const HOME_INPUT = { row: 11, column: 12 } as const;
export const GUIDE_INPUT = { row: 22, column: 12 } as const;

class Bytes {
  readonly out: number[] = [];
  push(...bytes: number[]): this {
    this.out.push(...bytes);
    return this;
  }
  /** US row column (p.96): also resets attributes and selects G0. */
  at(row: number, column: number): this {
    return this.push(C0.US, 0x40 + row, 0x40 + column);
  }
  text(text: string): this {
    for (const b of encodeText(text)) this.out.push(b);
    return this;
  }
  fg(colour: number): this {
    return this.push(C0.ESC, ESC_ATTR.FOREGROUND + colour);
  }
  /** A zone background from this cell on: the attribute, then the delimiting space (p.93). */
  zone(colour: number): this {
    return this.push(C0.ESC, ESC_ATTR.BACKGROUND + colour, 0x20);
  }
  inverse(on: boolean): this {
    return this.push(C0.ESC, on ? ESC_ATTR.INVERSE_ON : ESC_ATTR.INVERSE_OFF);
  }
  doubleHeight(): this {
    return this.push(C0.ESC, ESC_ATTR.DOUBLE_HEIGHT);
  }
  /** A row painted in one colour: delimiter, then CAN fills the rest with spaces in that zone (p.95). */
  band(row: number, colour: number): this {
    return this.at(row, 1).zone(colour).push(C0.CAN);
  }
  /** A key name shown as on the keyboard: in inverse video. */
  key(name: string): this {
    return this.inverse(true).text(` ${name} `).inverse(false);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** Shortens `text` to `width` cells (after sanitising). */
export function fit(text: string, width: number): string {
  return sanitizeText(text, { maxLength: width });
}

/** The code typed so far, and the dots of the free part of the zone, with the cursor after it. */
function inputZone(b: Bytes, where: { row: number; column: number }, input: string): void {
  const shown = fit(input, INPUT_LENGTH);
  b.at(where.row, where.column).fg(COLOUR.WHITE).text(shown).fg(COLOUR.BLUE).text('.'.repeat(INPUT_LENGTH - shown.length));
  b.at(where.row, where.column + shown.length).push(C0.CON);
}

let blankHome: { example: string | undefined; bytes: Uint8Array } | undefined;

/** The home page: title, instructions, the code zone, the keys. */
export function homePage(input: string, example: string | undefined): Uint8Array {
  // Every session starts with the same page: drawn once.
  if (input === '') {
    if (blankHome === undefined || blankHome.example !== example) blankHome = { example, bytes: drawHomePage('', example) };
    return blankHome.bytes;
  }
  return drawHomePage(input, example);
}

function drawHomePage(input: string, example: string | undefined): Uint8Array {
  const b = new Bytes().push(C0.FF, C0.COF);
  b.band(2, COLOUR.BLUE).band(3, COLOUR.BLUE).band(4, COLOUR.BLUE);
  // Double height grows upward from the row written (p.91, p.94): the title fills rows 2–3.
  b.at(3, 17).fg(COLOUR.WHITE).doubleHeight().text('Télétel');
  b.at(4, 12).fg(COLOUR.CYAN).text('le Minitel en ligne');
  b.at(7, 3).text('Tapez le code du service puis').push(0x20).key('Envoi');
  b.at(HOME_INPUT.row, 4).fg(COLOUR.YELLOW).text('Code :');
  b.at(15, 4).key('Guide').text(' liste des services');
  b.at(17, 4).key('Répétition').text(' coût de la session');
  b.at(19, 4).key('Connexion/Fin').text(' raccrocher');
  if (example !== undefined) b.at(22, 4).fg(COLOUR.GREEN).text(`Exemple : 3615 ${fit(example, 16)}`);
  // Last, so the cursor is left in the zone.
  inputZone(b, HOME_INPUT, input);
  return b.bytes();
}

/** Row of the home page that shows a session's resume code (links without tokens, resume-code.ts). */
export const RESUME_CODE_ROW = 24;

/**
 * The home page's reminder of the session's resume code, then the cursor
 * back in the code zone, as the page left it.
 */
export function resumeCodeLine(code: string, input: string): Uint8Array {
  const b = new Bytes();
  b.at(RESUME_CODE_ROW, 4).fg(COLOUR.CYAN).text('Coupure ? Rappelez, tapez ').fg(COLOUR.WHITE).text(`*${code}`);
  inputZone(b, HOME_INPUT, input);
  return b.bytes();
}

/** Redraws only the code zone (the echo of what the user types). */
export function inputEcho(where: { row: number; column: number }, input: string): Uint8Array {
  const b = new Bytes();
  inputZone(b, where, input);
  return b.bytes();
}

/** Number of Guide pages for `count` services (at least one). */
export function guidePages(count: number): number {
  return Math.max(1, Math.ceil(count / GUIDE_ROWS));
}

/** The Guide: one row per service (code, name, tariff), paged with Suite and Retour. */
export function guidePage(services: readonly ServiceInfo[], page: number, input: string): Uint8Array {
  const pages = guidePages(services.length);
  const b = new Bytes().push(C0.FF, C0.COF);
  b.band(1, COLOUR.BLUE).band(2, COLOUR.BLUE);
  b.at(2, 3).fg(COLOUR.WHITE).doubleHeight().text('Guide des services');
  if (pages > 1) b.at(2, 33).fg(COLOUR.CYAN).text(`${page + 1}/${pages}`);
  if (services.length === 0) b.at(5, 3).text('Aucun service pour le moment.');
  const first = page * GUIDE_ROWS;
  services.slice(first, first + GUIDE_ROWS).forEach((service, i) => {
    const row = 4 + i;
    const tariff = formatTariff(service.tariff);
    b.at(row, 2).fg(COLOUR.YELLOW).text(fit(service.code, 10));
    b.at(row, 13).text(fit(service.name, 40 - 13 - tariff.length - 1));
    b.at(row, 41 - tariff.length).fg(COLOUR.CYAN).text(tariff);
  });
  if (pages > 1) b.at(21, 3).key('Suite').text(' ').key('Retour').text(' autres pages');
  b.at(GUIDE_INPUT.row, 4).fg(COLOUR.YELLOW).text('Code :');
  b.at(23, 3).text('puis').push(0x20).key('Envoi');
  b.at(24, 3).key('Sommaire').text(' accueil');
  inputZone(b, GUIDE_INPUT, input);
  return b.bytes();
}

/** Row 0 of a terminal refused by a limit, before its line closes or goes idle. */
export const SERVER_FULL = 'Serveur complet, rappelez plus tard';

/**
 * A message on row 0 (p.97): `US 40 41` saves the position and attributes,
 * CAN clears the rest of the row, LF returns to the saved position.
 */
export function rowZeroMessage(text: string): Uint8Array {
  return new Bytes().at(0, 1).text(fit(text, ROW_ZERO_COLUMNS)).push(C0.CAN, C0.LF).bytes();
}
