/**
 * Session checkpoints on SQLite (the CheckpointStore of store.ts). A claim is
 * one `DELETE … RETURNING`, so two processes sharing the file cannot both
 * take the same token's checkpoint. A conditional write is an `UPDATE …
 * WHERE token_hash = ?` (the row its writer left) or an `INSERT … ON
 * CONFLICT DO NOTHING` (no row): each one statement, so a claim on another
 * process falls wholly before or wholly after it.
 */
import type Database from 'better-sqlite3';
import type { CheckpointEntry, CheckpointReplaces, CheckpointStore, SessionCheckpoint } from './store.js';
import { checkCheckpointEntries, checkLength, checkTokenHash, timeOf } from './validate.js';
import { STORE_LIMITS } from './limits.js';

/** What the table needs of SqliteStore: its connection, or the error that it is closed. */
export interface SqliteConnection {
  database(): Database.Database;
}

interface CheckpointRow {
  session_id: string;
  version: number;
  state: string;
  saved_ms: number;
  expires_ms: number;
}

function toCheckpoint(row: CheckpointRow): SessionCheckpoint {
  return {
    sessionId: row.session_id,
    version: row.version,
    state: row.state,
    savedAt: new Date(row.saved_ms),
    expiresAt: new Date(row.expires_ms),
  };
}

export class SqliteCheckpoints implements CheckpointStore {
  constructor(private readonly store: SqliteConnection) {}

  async save(checkpoint: SessionCheckpoint, tokenHash: string, replaces?: CheckpointReplaces): Promise<boolean> {
    return (await this.saveMany([{ checkpoint, tokenHash, replaces }])).length === 0;
  }

  async saveMany(entries: readonly CheckpointEntry[]): Promise<string[]> {
    checkCheckpointEntries(entries);
    const db = this.store.database();
    const columns = '(session_id, token_hash, version, state, saved_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)';
    const upsert = db.prepare(
      `INSERT INTO checkpoints ${columns}
       ON CONFLICT (session_id) DO UPDATE SET token_hash = excluded.token_hash, version = excluded.version,
         state = excluded.state, saved_ms = excluded.saved_ms, expires_ms = excluded.expires_ms`,
    );
    const insertIfNone = db.prepare(`INSERT INTO checkpoints ${columns} ON CONFLICT (session_id) DO NOTHING`);
    const replace = db.prepare(
      `UPDATE checkpoints SET token_hash = ?, version = ?, state = ?, saved_ms = ?, expires_ms = ?
       WHERE session_id = ? AND token_hash = ?`,
    );
    const refused: string[] = [];
    // One transaction: one sync to disk for the lot (synchronous FULL syncs every commit).
    db.transaction(() => {
      for (const { checkpoint: c, tokenHash, replaces } of entries) {
        const values = [tokenHash, c.version, c.state, c.savedAt.getTime(), c.expiresAt.getTime()] as const;
        let changes = 1;
        if (replaces === undefined) upsert.run(c.sessionId, ...values);
        else if (replaces === null) changes = insertIfNone.run(c.sessionId, ...values).changes;
        else changes = replace.run(...values, c.sessionId, replaces).changes;
        if (changes === 0) refused.push(c.sessionId);
      }
    })();
    return refused;
  }

  async claim(tokenHash: string, now?: Date): Promise<SessionCheckpoint | null> {
    checkTokenHash(tokenHash);
    const at = timeOf(now);
    const row = this.store
      .database()
      .prepare('DELETE FROM checkpoints WHERE token_hash = ? RETURNING session_id, version, state, saved_ms, expires_ms')
      .get(tokenHash) as CheckpointRow | undefined;
    // An expired one is deleted all the same: it can never be used again.
    return row === undefined || row.expires_ms <= at ? null : toCheckpoint(row);
  }

  async get(sessionId: string): Promise<SessionCheckpoint | null> {
    checkLength('session id', sessionId, 1, STORE_LIMITS.sessionFieldMax);
    const row = this.store
      .database()
      .prepare('SELECT session_id, version, state, saved_ms, expires_ms FROM checkpoints WHERE session_id = ?')
      .get(sessionId) as CheckpointRow | undefined;
    return row === undefined ? null : toCheckpoint(row);
  }

  async delete(sessionId: string, tokenHash?: string): Promise<boolean> {
    checkLength('session id', sessionId, 1, STORE_LIMITS.sessionFieldMax);
    const db = this.store.database();
    if (tokenHash === undefined) return db.prepare('DELETE FROM checkpoints WHERE session_id = ?').run(sessionId).changes > 0;
    checkTokenHash(tokenHash);
    return db.prepare('DELETE FROM checkpoints WHERE session_id = ? AND token_hash = ?').run(sessionId, tokenHash).changes > 0;
  }

  async purgeExpired(now?: Date): Promise<number> {
    const at = timeOf(now);
    return this.store.database().prepare('DELETE FROM checkpoints WHERE expires_ms <= ?').run(at).changes;
  }
}
