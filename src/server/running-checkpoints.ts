/**
 * Checkpoints of sessions that are still running, so that a crash of their
 * instance (SIGKILL, a power cut: no hand-over) loses at most the last
 * `checkpointEveryMs` of each. A stopping instance still hands every session
 * over at once (gateway.ts); this is what is in the store when it cannot.
 *
 * Each housekeeping tick looks at the next share of the sessions (rounds.ts,
 * like the pings), so every session is looked at about once per interval and
 * a wave of new sessions does not become a wave of writes. A session is saved
 * when its client holds a resume token and it changed (a key, a reattached
 * link) since its last save, or was never saved, or its checkpoint is half
 * way to expiring; under the hash of the token its client holds, as a
 * hand-over would. A detached session is not written: its checkpoint
 * expires with its window.
 *
 * Every write and delete goes through OwnedCheckpoints, so a copy of a
 * session another instance took over (its client came back there) writes
 * nothing over that instance's checkpoint: it is reported (`taken`) and the
 * gateway ends it.
 *
 * A session that ends for good (the user left, the visit hung up) takes its
 * checkpoint with it: its token must not bring back an ended session. One
 * handed over, or left to expire detached, keeps it (the store expires it).
 */
import type { Logger } from 'pino';
import { isStoreError } from '../store/errors.js';
import { Rounds } from './rounds.js';

/** What the writer needs of OwnedCheckpoints (owned-checkpoints.ts). */
export interface CheckpointWriter<S, T> {
  saveMany(entries: readonly { session: T; state: S; tokenHash: string }[]): Promise<Set<T>>;
  save(session: T, state: S, tokenHash: string): Promise<boolean>;
  forget(session: T): Promise<'deleted' | 'none' | 'taken'>;
}

export interface CheckpointedSession<S> {
  readonly id: string;
  readonly ended: boolean;
  /** Bumped by every key and every reattached link. */
  readonly changes: number;
  /** True when the session ended so that its client comes back to its checkpoint (hand-over, detached expiry). */
  readonly keepsCheckpoint: boolean;
  /** Its link dropped and it waits for its client. */
  readonly detached: boolean;
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
  private readonly rounds = new Rounds<T>(0);
  private readonly inflight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly checkpoints: CheckpointWriter<S, T>,
    /** The hash of the token the session's client holds, if it holds one. */
    private readonly tokenHash: (session: T) => string | undefined,
    private readonly log: Logger,
    /** The session's checkpoint was found claimed by another instance: this copy is stale. */
    private readonly taken: (session: T) => void = () => {},
  ) {}

  /**
   * Called every `tickMs` (ms, monotonic `now`); `everyMs` 0 turns this off.
   * A session unchanged is saved again after `refreshMs` all the same, so its
   * checkpoint does not expire while its user reads (the store's TTL is the
   * resume window: the gateway passes half of it).
   */
  tick(sessions: ReadonlySet<T>, now: number, tickMs: number, everyMs: number, refreshMs: number): void {
    if (everyMs <= 0 || this.stopped) return;
    const share = Math.ceil((sessions.size * tickMs) / everyMs) + 1;
    const due: Due<T>[] = [];
    for (const session of this.rounds.take(sessions, share, now)) {
      // A round takes about the interval, give or take a tick: half a tick of slack, or a session
      // looked at a hair early would wait a whole round more (every 6 s at the default 3 s).
      const entry = this.consider(session, now, everyMs - tickMs / 2, refreshMs);
      if (entry !== undefined) due.push(entry);
    }
    if (due.length > 0) this.write(due);
  }

  /** The instance stops: nothing more is written, and what is being written is waited for (the hand-over writes next, and must land last). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inflight]);
  }

  /** A link came back to the session on this instance: its token changed, the stored one must stop working now. */
  reattached(session: T): void {
    const saved = this.saved.get(session);
    if (saved === undefined) return;
    saved.at = -Infinity;
    saved.changes = -1;
    this.forget(session, 'superseded session checkpoint not deleted');
  }

  /** The session is over on this instance. */
  ended(session: T): void {
    const saved = this.saved.get(session);
    this.saved.delete(session);
    if (saved === undefined || session.keepsCheckpoint) return;
    this.forget(session, 'checkpoint of an ended session not deleted');
  }

  private forget(session: T, warning: string): void {
    this.checkpoints.forget(session).then(
      (outcome) => {
        if (outcome === 'taken') this.taken(session);
      },
      (error: unknown) => this.log.warn({ session: session.id, err: error }, warning),
    );
  }

  /**
   * The session, if its checkpoint is due now, marked as being saved. Its
   * state is read when its write goes (write), not here: a tick's share of
   * 10,000 busy sessions would otherwise snapshot every screen at once.
   */
  private consider(session: T, now: number, atLeastMs: number, refreshMs: number): Due<T> | undefined {
    // A detached session is not written: its client may already have taken its checkpoint on another instance.
    if (session.ended || session.detached) return undefined;
    const hash = this.tokenHash(session);
    if (hash === undefined) return undefined;
    const last = this.saved.get(session);
    if (last !== undefined) {
      if (last.saving) return undefined;
      const changed = last.changes !== session.changes && now - last.at >= atLeastMs;
      if (!changed && now - last.at < refreshMs) return undefined;
    }
    const saved: Saved = { changes: session.changes, at: now, saving: true };
    this.saved.set(session, saved);
    return { session, hash, saved };
  }

  /** The session's state now, or undefined (logged, and tried again at its next turn) when it cannot be read. */
  private stateOf(entry: Due<T>): S | undefined {
    try {
      return entry.session.state();
    } catch (error) {
      this.retryLater(entry);
      this.log.warn({ session: entry.session.id, err: error }, 'session state not readable: not checkpointed');
      return undefined;
    }
  }

  /**
   * The tick's checkpoints in writes of at most `perWrite` (one sync to disk
   * each on SQLite instead of one per session), one per turn of the event
   * loop. A batch the store refuses for its content (a state over the size
   * limit, say) is tried one by one, so one bad state does not keep the
   * others out; a store that is down is reported once per batch.
   */
  private write(due: Due<T>[]): void {
    const chunk = due.slice(0, RUNNING_CHECKPOINT_LIMITS.perWrite);
    const rest = due.slice(chunk.length);
    // Checked again now: a session may have ended, or its token changed, since it was taken.
    const live: Written<S, T>[] = [];
    for (const entry of chunk) {
      if (this.stopped || entry.session.ended || this.tokenHash(entry.session) !== entry.hash) {
        this.retryLater(entry);
        continue;
      }
      const state = this.stateOf(entry);
      if (state !== undefined) live.push({ ...entry, state });
    }
    if (live.length > 0) {
      const writing = this.checkpoints.saveMany(live.map(({ session, state, hash }) => ({ session, state, tokenHash: hash }))).then(
        (taken) => live.forEach((entry) => (taken.has(entry.session) ? this.lost(entry) : this.written(entry))),
        (error: unknown) => {
          if (!isStoreError(error, 'TELETEL_E_STORE_LIMIT') && !isStoreError(error, 'TELETEL_E_VALUE')) {
            live.forEach((entry) => this.retryLater(entry));
            this.log.warn({ sessions: live.length, err: error }, 'session checkpoints not written');
            return;
          }
          for (const entry of live) {
            this.checkpoints.save(entry.session, entry.state, entry.hash).then(
              (saved) => (saved ? this.written(entry) : this.lost(entry)),
              (single: unknown) => {
                this.retryLater(entry);
                this.log.warn({ session: entry.session.id, err: single }, 'session checkpoint not written');
              },
            );
          }
        },
      );
      this.inflight.add(writing);
      void writing.finally(() => this.inflight.delete(writing));
    }
    if (rest.length > 0) setImmediate(() => this.write(rest));
  }

  private written(entry: Due<T>): void {
    entry.saved.saving = false;
    const { session } = entry;
    // Ended while the store wrote: the row must not outlive it.
    if (session.ended && !session.keepsCheckpoint && !this.saved.has(session)) {
      this.forget(session, 'checkpoint of an ended session not deleted');
      return;
    }
    // Its token changed while the store wrote (a link reattached): the row holds the old one.
    if (!session.ended && this.tokenHash(session) !== entry.hash) {
      this.retryLater(entry);
      this.forget(session, 'superseded session checkpoint not deleted');
    }
  }

  /** Not written: another instance took the session over. */
  private lost(entry: Due<T>): void {
    entry.saved.saving = false;
    this.taken(entry.session);
  }

  /** Not written (or written stale): written again at its next turn. */
  private retryLater(entry: Due<T>): void {
    entry.saved.saving = false;
    entry.saved.changes = -1;
    entry.saved.at = -Infinity;
  }
}

interface Due<T> {
  session: T;
  hash: string;
  saved: Saved;
}

/** A due checkpoint with the state read for its write. */
interface Written<S, T> extends Due<T> {
  state: S;
}
