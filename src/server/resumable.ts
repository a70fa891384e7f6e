/**
 * The sessions a WebSocket client may take back after its link dropped, by
 * the token it was given (resume-token.ts: the session id and 256 random
 * bits). Only the token's SHA-256 is kept. A token works once: a session
 * gets a new one each time a link attaches to it, so an old, replayed or
 * stolen-and-used token names nothing, and a forged one is refused as
 * unknown; nobody is told which.
 */
import { newResumeToken, readResumeToken } from './resume-token.js';

export type ResumeClaim<S> = { ok: true; session: S } | { ok: false; reason: 'malformed' | 'unknown' };

export class ResumableSessions<S> {
  private readonly byHash = new Map<string, { session: S; sessionId: string }>();
  private readonly hashOf = new Map<S, string>();

  /** A new token for `session`; the one it had before stops working. */
  issue(session: S, sessionId: string): string {
    this.forget(session);
    const { token, hash } = newResumeToken(sessionId);
    this.byHash.set(hash, { session, sessionId });
    this.hashOf.set(session, hash);
    return token;
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

  /** The hash of the token the session's client holds now (a hand-over saves the checkpoint under it). */
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
