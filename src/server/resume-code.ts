/**
 * Resume codes: what a user on a link that cannot hold a resume token (a
 * Minitel on TCP or on a serial cable) types to take a session back after
 * the link dropped or the instance restarted. The home page shows the code;
 * the user types it with a star (`*K7PM4Q2X`) and Envoi. Eight characters
 * of an alphabet without look-alikes (no 0/O, 1/I): 40 bits, each code
 * single-use, and wrong codes are counted per address (CodeFailures), so
 * nobody guesses a live one. As for tokens, the store keeps only a SHA-256.
 */
import { createHash, randomInt } from 'node:crypto';
import { RESUME_LIMITS } from './limits.js';

/** 32 capitals and digits, none mistaken for another on a Minitel screen. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface ResumeCode {
  /** What the user is shown and types (without the star). */
  code: string;
  /** What the store keeps. */
  hash: string;
}

export function newResumeCode(): ResumeCode {
  let code = '';
  for (let i = 0; i < RESUME_LIMITS.codeLength; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return { code, hash: hashResumeCode(code) };
}

/** A code's hash; a prefix keeps codes and tokens (resume-token.ts) apart in the store. */
function hashResumeCode(code: string): string {
  return createHash('sha256').update(`code:${code}`, 'utf8').digest('hex');
}

/** What the user typed after the star, read as a code (case and spaces do not matter); null when it cannot be one. */
export function readResumeCode(typed: string): { code: string; hash: string } | null {
  const code = typed.replace(/ /g, '').toUpperCase();
  if (code.length !== RESUME_LIMITS.codeLength || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return { code, hash: hashResumeCode(code) };
}

/**
 * Wrong codes by address: past `codeFailures` within the window, that
 * address's codes are refused unread until the window has passed.
 */
export class CodeFailures {
  private readonly byAddress = new Map<string, { count: number; since: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when this address may try a code now. */
  allowed(address: string): boolean {
    const entry = this.byAddress.get(address);
    if (entry === undefined) return true;
    if (this.now() - entry.since >= RESUME_LIMITS.codeFailureWindowMs) {
      this.byAddress.delete(address);
      return true;
    }
    return entry.count < RESUME_LIMITS.codeFailures;
  }

  failed(address: string): void {
    const now = this.now();
    const entry = this.byAddress.get(address);
    if (entry !== undefined && now - entry.since < RESUME_LIMITS.codeFailureWindowMs) {
      entry.count++;
      return;
    }
    this.byAddress.delete(address);
    // Maps keep insertion order: the first key is the oldest window.
    if (this.byAddress.size >= RESUME_LIMITS.codeTrackedAddresses) this.byAddress.delete(this.byAddress.keys().next().value!);
    this.byAddress.set(address, { count: 1, since: now });
  }
}
