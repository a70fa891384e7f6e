/**
 * Each copy of a session writes and deletes only its own checkpoint row.
 *
 * A session may have two copies: the one its instance keeps detached for a
 * reattach, and the one another instance restored when the client came
 * back there instead (or, behind a balancer, the one its instance still
 * believes attached). The second claimed the row (deleting it) and writes
 * its own under a new token; the first must never write its older state
 * over that, nor delete it. So every write says what it expects to find
 * (store.ts, CheckpointReplaces): the row under the hash this copy wrote
 * last, or no row when it has none. A copy that finds otherwise has been
 * taken over: it is told so, and writes nothing more.
 *
 * Why that is enough: a row can be claimed only under a token whose row was
 * written, and only the copy that issued the token writes under it; that
 * copy then remembers the row, and forgets it only by deleting it itself,
 * after which nothing is left to claim. A copy with no row of its own can
 * therefore not have been taken over, and an insert where there is no row
 * is safe for it.
 *
 * One copy's operations run one after the other (a delete waits for the
 * write in flight), so each knows the hash the one before left. Copies are
 * keyed by object, not by session id: two copies of one session may be on
 * one instance for a moment (gateway.ts, resumeCheckpoint).
 */
import type { SessionCheckpoints } from './checkpoints.js';

export interface CheckpointCopy {
  readonly id: string;
}

interface Row {
  /** The hash of the row this copy wrote last and has not deleted, or null. */
  hash: string | null;
  /** Found taken over: it writes nothing more (an insert could bring its state back once the other's row is gone). */
  taken: boolean;
  /** Its last operation, settled, while it runs: the next one starts after it (at once when none runs, as the store call did before). */
  tail: Promise<unknown> | null;
}

export class OwnedCheckpoints<S, T extends CheckpointCopy> {
  private readonly rows = new WeakMap<T, Row>();

  constructor(private readonly checkpoints: SessionCheckpoints<S>) {}

  /** Saves each copy's state under its client's token hash, in one write; the copies found taken over (not written). */
  saveMany(entries: readonly { session: T; state: S; tokenHash: string }[]): Promise<Set<T>> {
    return this.write(entries, (live) =>
      this.checkpoints.saveManyUnder(live.map(({ entry: { session, state, tokenHash }, row }) => ({ sessionId: session.id, state, tokenHash, replaces: row.hash }))),
    );
  }

  /** Saves one copy's state; false when it was found taken over (not written). */
  async save(session: T, state: S, tokenHash: string): Promise<boolean> {
    const taken = await this.write([{ session, tokenHash }], async ([{ row }]) =>
      (await this.checkpoints.saveUnder(session.id, state, tokenHash, row.hash)) ? [] : [session.id],
    );
    return taken.size === 0;
  }

  /**
   * Deletes the copy's row, if it has one: 'deleted', 'none' (it had
   * none), or 'taken' (its row was gone or rewritten by another: it was
   * taken over, and that other row stays).
   */
  forget(session: T): Promise<'deleted' | 'none' | 'taken'> {
    const row = this.row(session);
    const deleting = this.next([row], async () => {
      if (row.taken) return 'taken' as const;
      if (row.hash === null) return 'none' as const;
      const deleted = await this.checkpoints.forget(session.id, row.hash);
      row.hash = null;
      row.taken = !deleted;
      return deleted ? ('deleted' as const) : ('taken' as const);
    });
    this.after([row], deleting);
    return deleting;
  }

  /**
   * Runs `store` on the entries of copies not known to be taken over (it
   * resolves with the session ids refused), after the copies' previous
   * operations, and keeps what it left.
   */
  private write<E extends { session: T; tokenHash: string }>(
    entries: readonly E[],
    store: (live: readonly { entry: E; row: Row }[]) => Promise<string[]>,
  ): Promise<Set<T>> {
    const rows = entries.map(({ session }) => this.row(session));
    const writing = this.next(rows, async () => {
      const live = entries.map((entry, i) => ({ entry, row: rows[i] })).filter(({ row }) => !row.taken);
      const refused = new Set(live.length === 0 ? [] : await store(live));
      const taken = new Set<T>();
      entries.forEach(({ session, tokenHash }, i) => {
        if (rows[i].taken || refused.has(session.id)) {
          taken.add(session);
          // Not ours any more: nothing of this copy's is in the store.
          rows[i].hash = null;
          rows[i].taken = true;
        } else rows[i].hash = tokenHash;
      });
      return taken;
    });
    this.after(rows, writing);
    return writing;
  }

  private row(session: T): Row {
    let row = this.rows.get(session);
    if (row === undefined) {
      row = { hash: null, taken: false, tail: null };
      this.rows.set(session, row);
    }
    return row;
  }

  /** `operation`, once the rows' operations before it settled. */
  private next<R>(rows: readonly Row[], operation: () => Promise<R>): Promise<R> {
    const before = rows.flatMap((row) => (row.tail === null ? [] : [row.tail]));
    return before.length === 0 ? operation() : Promise.all(before).then(operation);
  }

  private after(rows: readonly Row[], operation: Promise<unknown>): void {
    // A failed write leaves the row as it was (the store writes all of a call or none): the next operation expects what this one did.
    const settled: Promise<unknown> = operation.then(
      () => clear(),
      () => clear(),
    );
    const clear = (): void => {
      for (const row of rows) if (row.tail === settled) row.tail = null;
    };
    for (const row of rows) row.tail = settled;
  }
}
