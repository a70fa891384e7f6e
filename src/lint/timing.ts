/**
 * How long a page takes on the line: each character is 10 bits (start, 7 data,
 * even parity, stop), so 1200 baud carries 120 characters a second (p.47,
 * docs §9.1).
 */
import { BITS_PER_CHARACTER } from '../videotex/codes.js';

/** The speeds lint reports: the modem's 1200, and the DIN port's 4800 and 9600 (p.141). */
export const LINT_SPEEDS = [1200, 4800, 9600] as const;

export function transmissionSeconds(bytes: number, baud: number): number {
  return (bytes * BITS_PER_CHARACTER) / baud;
}
