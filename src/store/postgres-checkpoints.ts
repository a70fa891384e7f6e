/**
 * Session checkpoints on PostgreSQL (the CheckpointStore of store.ts), as
 * sqlite-checkpoints.ts does them on SQLite. A claim is one `DELETE …
 * RETURNING`, so two instances cannot both take the same token's checkpoint.
 */
import type { CheckpointStore, SessionCheckpoint } from './store.js';
import { STORE_LIMITS } from './limits.js';
import { fromText, int, param, toText, type Queries } from './postgres-text.js';
import { checkCheckpoint, checkLength, checkTokenHash, timeOf } from './validate.js';

interface CheckpointRow {
  session_id: string;
  version: number;
  state: string;
  saved_ms: string;
  expires_ms: string;
}

function toCheckpoint(row: CheckpointRow): SessionCheckpoint {
  return {
    sessionId: fromText(row.session_id),
    version: row.version,
    state: fromText(row.state),
    savedAt: new Date(int(row.saved_ms)),
    expiresAt: new Date(int(row.expires_ms)),
  };
}

const CHECKPOINT_COLUMNS = 'session_id, version, state, saved_ms, expires_ms';
/** Rows per INSERT of saveMany: 6 parameters each, far under PostgreSQL's 65,535 per statement. */
const CHECKPOINTS_PER_STATEMENT = 500;

export class PostgresCheckpoints implements CheckpointStore {
  constructor(private readonly store: Queries) {}

  async save(checkpoint: SessionCheckpoint, tokenHash: string): Promise<void> {
    await this.saveMany([{ checkpoint, tokenHash }]);
  }

  async saveMany(entries: readonly { checkpoint: SessionCheckpoint; tokenHash: string }[]): Promise<void> {
    for (const { checkpoint, tokenHash } of entries) checkCheckpoint(checkpoint, tokenHash);
    // A session twice in one statement would make ON CONFLICT fail: the last one wins, as saved one by one.
    const last = new Map(entries.map((entry) => [entry.checkpoint.sessionId, entry]));
    const rows = [...last.values()];
    for (let from = 0; from < rows.length; from += CHECKPOINTS_PER_STATEMENT) {
      const chunk = rows.slice(from, from + CHECKPOINTS_PER_STATEMENT);
      const values: unknown[] = [];
      const tuples = chunk.map(({ checkpoint, tokenHash }, i) => {
        values.push(toText(checkpoint.sessionId), tokenHash, checkpoint.version, toText(checkpoint.state), checkpoint.savedAt.getTime(), checkpoint.expiresAt.getTime());
        const n = i * 6;
        return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6})`;
      });
      await this.store.run((db) =>
        db.query(
          `INSERT INTO checkpoints (session_id, token_hash, version, state, saved_ms, expires_ms) VALUES ${tuples.join(', ')}
           ON CONFLICT (session_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, version = EXCLUDED.version,
             state = EXCLUDED.state, saved_ms = EXCLUDED.saved_ms, expires_ms = EXCLUDED.expires_ms`,
          values,
        ),
      );
    }
  }

  async claim(tokenHash: string, now?: Date): Promise<SessionCheckpoint | null> {
    checkTokenHash(tokenHash);
    const at = timeOf(now);
    // One statement: of two instances claiming the same token at once, one gets the row.
    const result = await this.store.run((db) =>
      db.query<CheckpointRow>(`DELETE FROM checkpoints WHERE token_hash = $1 RETURNING ${CHECKPOINT_COLUMNS}`, [tokenHash]),
    );
    const row = result.rows[0];
    // An expired one is deleted all the same: it can never be used again.
    return row === undefined || int(row.expires_ms) <= at ? null : toCheckpoint(row);
  }

  async get(sessionId: string): Promise<SessionCheckpoint | null> {
    checkLength('session id', sessionId, 1, STORE_LIMITS.sessionFieldMax);
    const result = await this.store.run((db) =>
      db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE session_id = $1`, [param(sessionId)]),
    );
    return result.rows[0] === undefined ? null : toCheckpoint(result.rows[0]);
  }

  async delete(sessionId: string): Promise<boolean> {
    checkLength('session id', sessionId, 1, STORE_LIMITS.sessionFieldMax);
    const result = await this.store.run((db) => db.query('DELETE FROM checkpoints WHERE session_id = $1', [param(sessionId)]));
    return (result.rowCount ?? 0) > 0;
  }

  async purgeExpired(now?: Date): Promise<number> {
    const at = timeOf(now);
    const result = await this.store.run((db) => db.query('DELETE FROM checkpoints WHERE expires_ms <= $1', [at]));
    return result.rowCount ?? 0;
  }
}
