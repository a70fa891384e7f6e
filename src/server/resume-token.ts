/**
 * Resume tokens: what a client holds to take its session back after a
 * dropped link. A token is the session id, a dot and 256 random bits in
 * base64url. The store keeps only its SHA-256 (a copy of the database does
 * not let anyone resume a session); each checkpoint comes with a new token,
 * and a claimed token is gone, so an old or replayed one is refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import { RESUME_LIMITS } from './limits.js';

export interface ResumeToken {
  /** What the client is given and sends back. */
  token: string;
  /** What the store keeps (hex SHA-256 of the token). */
  hash: string;
}

/** The session ids our sessions have (session.ts): base-36 words and dashes. */
const SESSION_ID = /^[0-9a-z-]{1,64}$/;
const RANDOM_PART = /^[A-Za-z0-9_-]{43}$/;

export function newResumeToken(sessionId: string): ResumeToken {
  if (!SESSION_ID.test(sessionId)) throw new RangeError(`not a session id: ${JSON.stringify(sessionId)}`);
  const token = `${sessionId}.${randomBytes(RESUME_LIMITS.tokenRandomBytes).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token a client sent, read: the session it names and its hash; null when it is not of our form. */
export function readResumeToken(text: unknown): { sessionId: string; hash: string } | null {
  if (typeof text !== 'string' || text.length > RESUME_LIMITS.tokenMaxLength) return null;
  const dot = text.lastIndexOf('.');
  if (dot <= 0) return null;
  const sessionId = text.slice(0, dot);
  if (!SESSION_ID.test(sessionId) || !RANDOM_PART.test(text.slice(dot + 1))) return null;
  return { sessionId, hash: hashToken(text) };
}
