/**
 * Saving and resuming sessions through the store's checkpoints. The gateway
 * hands a session's state (one plain JSON value) to `save` after each step
 * and gives the client the token it returns; a client that comes back with a
 * token gets either its state or a refusal that says why, never someone
 * else's session and never a half-read state:
 *
 * - malformed: not a token of ours (forged, truncated, too long);
 * - unknown: no checkpoint for it: replayed, superseded by a newer
 *   checkpoint, expired, or never issued — told apart by no one, on purpose;
 * - mismatch: the checkpoint found belongs to another session than the
 *   token names (only a forged row could do that);
 * - version: written by a gateway with another state schema;
 * - corrupt: the stored state is not JSON, or fails the caller's check;
 * - unavailable: the store did not answer.
 */
import type { CheckpointReplaces, CheckpointStore } from '../store/store.js';
import { RESUME_LIMITS } from './limits.js';
import { newResumeToken, readResumeToken } from './resume-token.js';
import { readResumeCode } from './resume-code.js';

export type ResumeRefusal = 'malformed' | 'unknown' | 'mismatch' | 'version' | 'corrupt' | 'unavailable';

export type ResumeResult<T> = { ok: true; sessionId: string; state: T; savedAt: number } | { ok: false; reason: ResumeRefusal; sessionId?: string };

export interface SessionCheckpointsOptions<T> {
  /** The version of the state's schema this gateway writes and reads. */
  version: number;
  /** Checks a parsed state; returns it typed, or undefined when it is not one. */
  validate: (value: unknown) => T | undefined;
  /** How long a checkpoint may be resumed (default RESUME_LIMITS.checkpointTtlMs). */
  ttlMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export class SessionCheckpoints<T> {
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: CheckpointStore,
    private readonly options: SessionCheckpointsOptions<T>,
  ) {
    this.ttlMs = options.ttlMs ?? RESUME_LIMITS.checkpointTtlMs;
    this.now = options.now ?? Date.now;
  }

  /** Saves the state; the token to give the client (the previous one stops working). */
  async save(sessionId: string, state: T): Promise<string> {
    const { token, hash } = newResumeToken(sessionId);
    await this.saveUnder(sessionId, state, hash);
    return token;
  }

  /**
   * Saves the state under the hash of a token the client already holds (a
   * hand-over: the client keeps its token). With `replaces`, only over the
   * row expected (store.ts, CheckpointReplaces): false when it was not there.
   */
  async saveUnder(sessionId: string, state: T, tokenHash: string, replaces?: CheckpointReplaces): Promise<boolean> {
    return (await this.saveManyUnder([{ sessionId, state, tokenHash, replaces }])).length === 0;
  }

  /** Saves several sessions' states in one write (the running checkpoints of one tick); the sessions whose condition failed. */
  async saveManyUnder(entries: readonly { sessionId: string; state: T; tokenHash: string; replaces?: CheckpointReplaces }[]): Promise<string[]> {
    const at = this.now();
    return this.store.saveMany(
      entries.map(({ sessionId, state, tokenHash, replaces }) => ({
        checkpoint: { sessionId, version: this.options.version, state: JSON.stringify(state), savedAt: new Date(at), expiresAt: new Date(at + this.ttlMs) },
        tokenHash,
        replaces,
      })),
    );
  }

  /** Takes the session a token names, once. */
  async resume(token: unknown): Promise<ResumeResult<T>> {
    const read = readResumeToken(token);
    if (read === null) return { ok: false, reason: 'malformed' };
    return this.claim(read.hash, read.sessionId);
  }

  /** Takes the session a resume code names (typed at the home page, resume-code.ts), once. */
  async resumeCode(typed: string): Promise<ResumeResult<T>> {
    const read = readResumeCode(typed);
    if (read === null) return { ok: false, reason: 'malformed' };
    return this.claim(read.hash);
  }

  /** The checkpoint under `hash`; a token also names its session (`sessionId`), which the row must be. */
  private async claim(hash: string, sessionId?: string): Promise<ResumeResult<T>> {
    let found;
    try {
      found = await this.store.claim(hash, new Date(this.now()));
    } catch {
      return { ok: false, reason: 'unavailable', sessionId };
    }
    if (found === null) return { ok: false, reason: 'unknown', sessionId };
    const id = sessionId ?? found.sessionId;
    if (found.sessionId !== id) return { ok: false, reason: 'mismatch', sessionId: id };
    if (found.version !== this.options.version) return { ok: false, reason: 'version', sessionId: id };
    let parsed: unknown;
    try {
      parsed = JSON.parse(found.state);
    } catch {
      return { ok: false, reason: 'corrupt', sessionId: id };
    }
    const state = this.options.validate(parsed);
    return state === undefined ? { ok: false, reason: 'corrupt', sessionId: id } : { ok: true, sessionId: id, state, savedAt: found.savedAt.getTime() };
  }

  /** The session ended normally: nothing is left to resume. With `tokenHash`, only the row under it; whether there was one. */
  forget(sessionId: string, tokenHash?: string): Promise<boolean> {
    return this.store.delete(sessionId, tokenHash);
  }

  /** Deletes expired checkpoints (run now and then); how many. */
  purge(): Promise<number> {
    return this.store.purgeExpired(new Date(this.now()));
  }
}
