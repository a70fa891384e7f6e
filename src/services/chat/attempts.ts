/**
 * The limit on wrong passwords in CHAT: per pseudonym (so nobody can guess a
 * registered user's or an operator's password by trying) and per address (so
 * one client cannot sweep many pseudonyms). Failures count within a sliding
 * window (CHAT_LIMITS.loginWindowMs); a key over its limit is refused until
 * its oldest failure leaves the window, even with the right password.
 *
 * Counted per instance: behind several instances each keeps its own counts,
 * which multiplies the tries by the number of instances, still a few per
 * quarter hour. Memory is bounded: at most loginTrackedKeys keys, the
 * oldest forgotten first.
 */
import { CHAT_LIMITS } from './hub.js';

export interface AttemptLimits {
  perPseudo: number;
  perAddress: number;
  windowMs: number;
  trackedKeys: number;
}

export const DEFAULT_ATTEMPT_LIMITS: Readonly<AttemptLimits> = Object.freeze({
  perPseudo: CHAT_LIMITS.loginFailuresPerPseudo,
  perAddress: CHAT_LIMITS.loginFailuresPerAddress,
  windowMs: CHAT_LIMITS.loginWindowMs,
  trackedKeys: CHAT_LIMITS.loginTrackedKeys,
});

/** Who is trying: the pseudonym's key (pseudoKey) and the terminal's address. */
export interface Attempt {
  pseudo: string;
  address: string;
}

export class AttemptLimiter {
  /** Failure times by key ('p:' + pseudonym, 'a:' + address), oldest first, at most the key's limit. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: Readonly<AttemptLimits> = DEFAULT_ATTEMPT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long this attempt must wait, in ms; 0 when it may try now. */
  waitFor(attempt: Attempt): number {
    const now = this.now();
    return Math.max(this.wait(`p:${attempt.pseudo}`, this.limits.perPseudo, now), this.wait(`a:${attempt.address}`, this.limits.perAddress, now));
  }

  /** A wrong password. */
  failed(attempt: Attempt): void {
    const now = this.now();
    this.add(`p:${attempt.pseudo}`, this.limits.perPseudo, now);
    this.add(`a:${attempt.address}`, this.limits.perAddress, now);
  }

  /** The right password: the pseudonym's slate is clean (the address keeps its count: it may sweep others). */
  succeeded(attempt: Attempt): void {
    this.failures.delete(`p:${attempt.pseudo}`);
  }

  /** Keys remembered now (for tests and metrics). */
  get size(): number {
    return this.failures.size;
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (times === undefined) return [];
    const kept = times.filter((t) => now - t < this.limits.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else if (kept.length !== times.length) this.failures.set(key, kept);
    return kept;
  }

  private wait(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    return times[times.length - limit] + this.limits.windowMs - now;
  }

  private add(key: string, limit: number, now: number): void {
    const times = this.recent(key, now);
    times.push(now);
    // Only the last `limit` failures decide the wait.
    if (times.length > limit) times.splice(0, times.length - limit);
    this.failures.delete(key); // re-inserted last: Map order is then oldest activity first
    this.failures.set(key, times);
    while (this.failures.size > this.limits.trackedKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }
}
