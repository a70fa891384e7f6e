/**
 * What VideotexBuilder accepts from its caller: colours, character sizes and
 * 2×3 mosaic patterns, each checked with an error that says what to change.
 */
export type BuilderErrorCode =
  | 'TELETEL_E_POSITION'
  | 'TELETEL_E_COLOUR'
  | 'TELETEL_E_MOSAIC'
  | 'TELETEL_E_REPEAT'
  | 'TELETEL_E_RAW_BYTE'
  | 'TELETEL_E_ROW0_LENGTH';

/** A misuse of the builder; `code` is stable, the message says what to change. */
export class VideotexBuilderError extends Error {
  constructor(
    readonly code: BuilderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VideotexBuilderError';
  }
}

/** A colour index 0–7 (see COLOUR in codes.ts: bit 0 red, bit 1 green, bit 2 blue, p.92). */
export type Colour = number;

export type CharacterSize = 'normal' | 'doubleHeight' | 'doubleWidth' | 'doubleSize';

type Bit = 0 | 1 | boolean;
/** Three rows of two sub-blocks, top first: the 2×3 pixels of a mosaic cell (p.31, p.101). */
export type MosaicPattern = readonly [readonly [Bit, Bit], readonly [Bit, Bit], readonly [Bit, Bit]];

/** Bits of the G1 code for each sub-block, row by row: b0 b1 / b2 b3 / b4 b6 (p.101–102). */
const MOSAIC_BITS = [
  [0x01, 0x02],
  [0x04, 0x08],
  [0x10, 0x40],
] as const;

/** The G1 code (0x20–0x3F, 0x60–0x7F) of a 2×3 pattern; `mosaicCode([[1,0],[0,1],[1,1]])` = 0x79. */
export function mosaicCode(pattern: MosaicPattern): number {
  if (!Array.isArray(pattern) || pattern.length !== 3 || pattern.some((row) => !Array.isArray(row) || row.length !== 2)) {
    throw new VideotexBuilderError('TELETEL_E_MOSAIC', 'A mosaic pattern is three rows of two cells, e.g. [[1,0],[0,1],[1,1]].');
  }
  let code = 0x20; // bit 5 is always set in a mosaic code (p.101)
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 2; x++) if ((pattern[y] as readonly Bit[])[x]) code |= MOSAIC_BITS[y][x];
  }
  return code;
}

/** A colour index checked: 0–7 (p.92). */
export function checkColour(colour: Colour): number {
  if (!Number.isInteger(colour) || colour < 0 || colour > 7) {
    throw new VideotexBuilderError('TELETEL_E_COLOUR', `Colour ${colour} does not exist: colours are 0–7 (COLOUR.BLACK … COLOUR.WHITE).`);
  }
  return colour;
}

/** A mosaic given as a pattern or as its G1 code, checked (p.101). */
export function toMosaicCode(cell: MosaicPattern | number): number {
  if (typeof cell !== 'number') return mosaicCode(cell);
  if (!Number.isInteger(cell) || cell < 0x20 || cell > 0x7f) {
    throw new VideotexBuilderError('TELETEL_E_MOSAIC', `Mosaic code ${cell} is not a G1 code: use 0x20–0x7F, or mosaicCode([[…],[…],[…]]).`);
  }
  return cell;
}
