/**
 * Checkpoints of sessions that are still running, so that a crash of their
 * instance (SIGKILL, a power cut: no hand-over) loses at most the last
 * `checkpointEveryMs` of each. A stopping instance still hands every session
 * over at once (gateway.ts); this is what is in the store when it cannot.
 *
 * Each housekeeping tick looks at the next share of the sessions (a Set
 * iterator, like the pings), so every session is looked at about once per
 * interval and a wave of new sessions does not become a wave of writes. A
 * session is saved when its client holds a resume token and it changed
 * (a key, a reattached link) since its last save, or was never saved; under
 * the hash of the token its client holds, as a hand-over would.
 *
 * A session that ends for good (the user left, the visit hung up) takes its
 * checkpoint with it: its token must not bring back an ended session. One
 * handed over, or left to expire detached, keeps it (the store expires it).
 */
import type { Logger } from 'pino';
import type { SessionCheckpoints } from './checkpoints.js';

export interface CheckpointedSession<S> {
  readonly id: string;
  readonly ended: boolean;
  /** Bumped by every key and every reattached link. */
  readonly changes: number;
  /** True when the session ended so that its client comes back to its checkpoint (hand-over, detached expiry). */
  readonly keepsCheckpoint: boolean;
  state(): S;
}

export const RUNNING_CHECKPOINT_LIMITS = {
  /**
   * Checkpoints per store write. On SQLite a write of 300 takes about 12 ms
   * of the event loop (BENCHMARKS.md): 10,000 active sessions at once would
   * hold it ~120 ms in one go, so a tick's checkpoints go in writes of this
   * many, one per turn of the loop.
   */
  perWrite: 200,
} as const;

interface Saved {
  changes: number;
  at: number;
  saving: boolean;
}

export class RunningCheckpoints<S, T extends CheckpointedSession<S>> {
  private readonly saved = new Map<T, Saved>();
  private cursor: Iterator<T> | undefined;

  constructor(
    private readonly checkpoints: SessionCheckpoints<S>,
    /** The hash of the token the session's client holds, if it holds one. */
    private readonly tokenHash: (session: T) => string | undefined,
    private readonly log: Logger,
  ) {}

  /** Called every `tickMs` (ms, monotonic `now`); `everyMs` 0 turns this off. */
  tick(sessions: ReadonlySet<T>, now: number, tickMs: number, everyMs: number): void {
    if (everyMs <= 0 || sessions.size === 0) return;
    this.cursor ??= sessions.values();
    const share = Math.ceil((sessions.size * tickMs) / everyMs) + 1;
    const due: Due<S, T>[] = [];
    for (let i = 0; i < share; i++) {
      const next = this.cursor.next();
      if (next.done === true) {
        this.cursor = undefined;
        break;
      }
      const entry = this.consider(next.value, now, everyMs);
      if (entry !== undefined) due.push(entry);
    }
    if (due.length > 0) this.write(due);
  }

  /** A link came back to the session on this instance: its token changed, the stored one must stop working now. */
  reattached(session: T): void {
    const saved = this.saved.get(session);
    if (saved === undefined) return;
    saved.at = -Infinity;
    this.checkpoints.forget(session.id).catch((error: unknown) => this.log.warn({ session: session.id, err: error }, 'superseded session checkpoint not deleted'));
  }

  /** The session is over on this instance. */
  ended(session: T): void {
    const saved = this.saved.get(session);
    this.saved.delete(session);
    if (saved === undefined || session.keepsCheckpoint) return;
    this.checkpoints.forget(session.id).catch((error: unknown) => this.log.warn({ session: session.id, err: error }, 'checkpoint of an ended session not deleted'));
  }

  /** The session's checkpoint if one is due now, marked as being saved. */
  private consider(session: T, now: number, everyMs: number): Due<S, T> | undefined {
    if (session.ended) return undefined;
    const hash = this.tokenHash(session);
    if (hash === undefined) return undefined;
    const last = this.saved.get(session);
    if (last !== undefined && (last.saving || last.changes === session.changes || now - last.at < everyMs)) return undefined;
    let state: S;
    try {
      state = session.state();
    } catch (error) {
      this.log.warn({ session: session.id, err: error }, 'session state not readable: not checkpointed');
      return undefined;
    }
    const saved: Saved = { changes: session.changes, at: now, saving: true };
    this.saved.set(session, saved);
    return { session, state, hash, saved };
  }

  /**
   * One write for the tick's checkpoints (one sync to disk on SQLite instead of
   * one per session); if it fails, each is tried alone, so one bad state (over
   * the size limit, say) does not keep the others out of the store.
   */
  private write(due: Due<S, T>[]): void {
    const done = (entry: Due<S, T>) => {
      entry.saved.saving = false;
      // Ended while the store wrote: the row must not outlive it.
      const { session } = entry;
      if (session.ended && !session.keepsCheckpoint && !this.saved.has(session)) void this.checkpoints.forget(session.id).catch(() => undefined);
    };
    const failed = (entry: Due<S, T>, error: unknown) => {
      entry.saved.saving = false;
      entry.saved.changes = -1;
      this.log.warn({ session: entry.session.id, err: error }, 'session checkpoint not written');
    };
    const chunk = due.slice(0, RUNNING_CHECKPOINT_LIMITS.perWrite);
    this.checkpoints.saveManyUnder(chunk.map(({ session, state, hash }) => ({ sessionId: session.id, state, tokenHash: hash }))).then(
      () => chunk.forEach(done),
      () => {
        for (const entry of chunk) {
          this.checkpoints.saveUnder(entry.session.id, entry.state, entry.hash).then(
            () => done(entry),
            (error: unknown) => failed(entry, error),
          );
        }
      },
    );
    // The rest in later turns of the event loop: a synchronous store (SQLite) holds the loop while it writes.
    if (due.length > chunk.length) setImmediate(() => this.write(due.slice(chunk.length)));
  }
}

interface Due<S, T> {
  session: T;
  state: S;
  hash: string;
  saved: Saved;
}
