/**
 * Values between our Store's types and PostgreSQL's: text that PostgreSQL
 * cannot hold as is, and BIGINT columns that node-postgres returns as strings.
 * Shared by postgres.ts and the tables (postgres-tables.ts).
 */
import type pg from 'pg';

/** What queries run on: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** How a table reaches the database: PostgresStore's error mapping and transactions, without the store itself. */
export interface Queries {
  run<T>(operation: (db: Queryable) => Promise<T>): Promise<T>;
  transaction<T>(operation: (db: Queryable) => Promise<T>): Promise<T>;
}

/**
 * PostgreSQL text cannot hold U+0000, SQLite's can, and a mail body or a
 * key may contain anything. We store U+0000 as U+0001 U+0001 and U+0001 as
 * U+0001 U+0002: a prefix-free code whose words sort in the order of the
 * characters they replace, so equality, ORDER BY and prefix ranges give the
 * same answers as SQLite on the original text. Any other text is stored as
 * is, readable in psql.
 */
export function toText(text: string): string {
  return /[\u0000\u0001]/.test(text) ? text.replace(/[\u0000\u0001]/g, (c) => (c === '\u0000' ? '\u0001\u0001' : '\u0001\u0002')) : text;
}

export function fromText(text: string): string {
  return text.includes('\u0001') ? text.replace(/\u0001([\u0001\u0002])/g, (_, c: string) => (c === '\u0001' ? '\u0000' : '\u0001')) : text;
}

/** A parameter compared with a text column: encoded when it is text; anything else is bound as given and matches nothing. */
export function param(value: unknown): unknown {
  return typeof value === 'string' ? toText(value) : value;
}

/** BIGINT and COUNT come back as decimal strings (they may exceed 2^53); ours are milliseconds and counts, well inside. */
export function int(value: string | number): number {
  return Number(value);
}

export function intOrNull(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}
