/**
 * The sessions a client may take back after its link dropped, by the token
 * a WebSocket client was given (resume-token.ts: the session id and 256
 * random bits) or the code a Minitel user was shown (resume-code.ts). Only
 * their SHA-256 is kept. Each works once: a session gets a new one each time
 * a link attaches to it, so an old, replayed or stolen-and-used one names
 * nothing, and a forged one is refused as unknown; nobody is told which.
 */
import { newResumeCode, readResumeCode } from './resume-code.js';
import { newResumeToken, readResumeToken } from './resume-token.js';

export type ResumeClaim<S> = { ok: true; session: S } | { ok: false; reason: 'malformed' | 'unknown' };

export class ResumableSessions<S> {
  /** By hash: the session, and for a token the session id it names (codes name none). */
  private readonly byHash = new Map<string, { session: S; sessionId?: string }>();
  private readonly hashOf = new Map<S, string>();

  /** A new token for `session`; the one it had before stops working. */
  issue(session: S, sessionId: string): string {
    this.forget(session);
    const { token, hash } = newResumeToken(sessionId);
    this.byHash.set(hash, { session, sessionId });
    this.hashOf.set(session, hash);
    return token;
  }

  /** A new code for `session` (a link without tokens); the token or code it had before stops working. */
  issueCode(session: S): string {
    this.forget(session);
    const { code, hash } = newResumeCode();
    this.byHash.set(hash, { session });
    this.hashOf.set(session, hash);
    return code;
  }

  /** The session a typed code names, left in place. */
  peekCode(typed: string): S | undefined {
    const read = readResumeCode(typed);
    const entry = read === null ? undefined : this.byHash.get(read.hash);
    return entry === undefined || entry.sessionId !== undefined ? undefined : entry.session;
  }

  /** Takes the session a typed code names, or undefined (the code, if it was one, is spent). */
  claimCode(typed: string): S | undefined {
    const read = readResumeCode(typed);
    const entry = read === null ? undefined : this.byHash.get(read.hash);
    if (entry === undefined || entry.sessionId !== undefined) return undefined;
    this.forget(entry.session);
    return entry.session;
  }

  /** The session a token names, left in place (admission looks before the upgrade). */
  peek(token: string): S | undefined {
    const read = readResumeToken(token);
    if (read === null) return undefined;
    const entry = this.byHash.get(read.hash);
    return entry?.sessionId === read.sessionId ? entry.session : undefined;
  }

  /** Takes the session a token names; the token is spent whatever follows. */
  claim(token: string): ResumeClaim<S> {
    const read = readResumeToken(token);
    if (read === null) return { ok: false, reason: 'malformed' };
    const entry = this.byHash.get(read.hash);
    if (entry === undefined || entry.sessionId !== read.sessionId) return { ok: false, reason: 'unknown' };
    this.forget(entry.session);
    return { ok: true, session: entry.session };
  }

  /** The hash of the token (or code) the session's client holds now (a hand-over saves the checkpoint under it). */
  tokenHash(session: S): string | undefined {
    return this.hashOf.get(session);
  }

  /** The session ended: its token goes with it. */
  forget(session: S): void {
    const hash = this.hashOf.get(session);
    if (hash === undefined) return;
    this.hashOf.delete(session);
    this.byHash.delete(hash);
  }
}
