/**
 * Session checkpoints on PostgreSQL (the CheckpointStore of store.ts), as
 * sqlite-checkpoints.ts does them on SQLite. A claim is one `DELETE …
 * RETURNING`, so two instances cannot both take the same token's checkpoint.
 * A conditional write is an `UPDATE … WHERE token_hash = …` (the row its
 * writer left) or an `INSERT … ON CONFLICT DO NOTHING` (no row), each one
 * statement: a claim falls wholly before or wholly after it.
 */
import type { CheckpointEntry, CheckpointReplaces, CheckpointStore, SessionCheckpoint } from './store.js';
import { STORE_LIMITS } from './limits.js';
import { fromText, int, param, toText, type Queries, type Queryable } from './postgres-text.js';
import { checkCheckpointEntries, checkLength, checkTokenHash, timeOf } from './validate.js';

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
/** Rows per statement of saveMany: 7 parameters each at most, far under PostgreSQL's 65,535 per statement. */
const CHECKPOINTS_PER_STATEMENT = 500;

const INSERT = 'INSERT INTO checkpoints (session_id, token_hash, version, state, saved_ms, expires_ms) VALUES';
const UPSERT_SET = `ON CONFLICT (session_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, version = EXCLUDED.version,
  state = EXCLUDED.state, saved_ms = EXCLUDED.saved_ms, expires_ms = EXCLUDED.expires_ms`;

/** `($1, $2, …), ($n+1, …)`: placeholders for `rows` tuples of `width` values, typed by `casts` (for a VALUES list in FROM). */
function tuples(rows: number, width: number, casts: readonly string[] = []): string {
  return Array.from({ length: rows }, (_, i) => `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}${casts[j] ?? ''}`).join(', ')})`).join(', ');
}

function rowValues({ checkpoint: c, tokenHash }: CheckpointEntry): unknown[] {
  return [toText(c.sessionId), tokenHash, c.version, toText(c.state), c.savedAt.getTime(), c.expiresAt.getTime()];
}

export class PostgresCheckpoints implements CheckpointStore {
  constructor(private readonly store: Queries) {}

  async save(checkpoint: SessionCheckpoint, tokenHash: string, replaces?: CheckpointReplaces): Promise<boolean> {
    return (await this.saveMany([{ checkpoint, tokenHash, replaces }])).length === 0;
  }

  async saveMany(entries: readonly CheckpointEntry[]): Promise<string[]> {
    checkCheckpointEntries(entries);
    // A session twice in one statement would make ON CONFLICT fail: the last one wins, as saved one by one
    // (only unconditional entries can repeat a session: checked above).
    const last = new Map(entries.map((entry) => [entry.checkpoint.sessionId, entry]));
    const rows = [...last.values()];
    if (rows.length === 0) return [];
    // One transaction, as on SQLite: a call that fails wrote nothing, so a writer knows which row it left.
    return this.store.transaction(async (db) => {
      const refused: string[] = [];
      for (let from = 0; from < rows.length; from += CHECKPOINTS_PER_STATEMENT) {
        const chunk = rows.slice(from, from + CHECKPOINTS_PER_STATEMENT);
        await upsert(db, chunk.filter((entry) => entry.replaces === undefined));
        refused.push(...(await insertIfNone(db, chunk.filter((entry) => entry.replaces === null))));
        refused.push(...(await replace(db, chunk.filter((entry) => typeof entry.replaces === 'string'))));
      }
      return refused;
    });
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

  async delete(sessionId: string, tokenHash?: string): Promise<boolean> {
    checkLength('session id', sessionId, 1, STORE_LIMITS.sessionFieldMax);
    if (tokenHash !== undefined) checkTokenHash(tokenHash);
    const result = await this.store.run((db) =>
      tokenHash === undefined
        ? db.query('DELETE FROM checkpoints WHERE session_id = $1', [param(sessionId)])
        : db.query('DELETE FROM checkpoints WHERE session_id = $1 AND token_hash = $2', [param(sessionId), tokenHash]),
    );
    return (result.rowCount ?? 0) > 0;
  }

  async purgeExpired(now?: Date): Promise<number> {
    const at = timeOf(now);
    const result = await this.store.run((db) => db.query('DELETE FROM checkpoints WHERE expires_ms <= $1', [at]));
    return result.rowCount ?? 0;
  }
}

/** The entries' sessions that are not among the rows a statement returned. */
function refusedOf(entries: readonly CheckpointEntry[], written: readonly { session_id: string }[]): string[] {
  const done = new Set(written.map((row) => fromText(row.session_id)));
  return entries.map((entry) => entry.checkpoint.sessionId).filter((id) => !done.has(id));
}

/** Writes whatever the sessions have. */
async function upsert(db: Queryable, entries: readonly CheckpointEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(`${INSERT} ${tuples(entries.length, 6)} ${UPSERT_SET}`, entries.flatMap(rowValues));
}

/** Writes the sessions that have no row; those that have one, refused. */
async function insertIfNone(db: Queryable, entries: readonly CheckpointEntry[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const result = await db.query<{ session_id: string }>(
    `${INSERT} ${tuples(entries.length, 6)} ON CONFLICT (session_id) DO NOTHING RETURNING session_id`,
    entries.flatMap(rowValues),
  );
  return refusedOf(entries, result.rows);
}

/** Rewrites the sessions whose row is still under the hash each names; the others, refused. */
async function replace(db: Queryable, entries: readonly CheckpointEntry[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const values = entries.flatMap((entry) => [...rowValues(entry), entry.replaces]);
  const casts = ['::text', '::text', '::integer', '::text', '::bigint', '::bigint', '::text'];
  const result = await db.query<{ session_id: string }>(
    `UPDATE checkpoints AS c SET token_hash = v.token_hash, version = v.version, state = v.state, saved_ms = v.saved_ms, expires_ms = v.expires_ms
     FROM (VALUES ${tuples(entries.length, 7, casts)}) AS v (session_id, token_hash, version, state, saved_ms, expires_ms, replaces)
     WHERE c.session_id = v.session_id AND c.token_hash = v.replaces
     RETURNING c.session_id`,
    values,
  );
  return refusedOf(entries, result.rows);
}
