/**
 * PostgreSQL for tests: where the test server is, whether it answers, and
 * a schema of its own for each test, so parallel runs (vitest workers, CI
 * jobs on one server) never see each other's tables.
 *
 * The server is TELETEL_TEST_DATABASE_URL, or by default the one this
 * machine and CI run: postgres://postgres@127.0.0.1:5432/test (trust auth).
 * When it does not answer within a second, PostgreSQL tests are skipped with
 * a message saying so; they never fail or hang for want of a server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../postgres.js';
import { messageOf } from '../validate.js';

export const TEST_DATABASE_URL = process.env.TELETEL_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** How long the server has to answer before the tests are skipped. */
const PROBE_TIMEOUT_MS = 1000;

/** null when the server answers `SELECT 1` in time, otherwise why not. */
export async function probePostgres(url = TEST_DATABASE_URL, timeoutMs = PROBE_TIMEOUT_MS): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  // A hard deadline too: name resolution or TLS could outlast the driver's own timeouts.
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs + 200);
  });
  const started = Date.now();
  const attempt = (async (): Promise<string | null> => {
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (error) {
      if (Date.now() - started >= timeoutMs) return `no answer within ${timeoutMs} ms`;
      return messageOf(error) || codeText(error);
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    void client.end().catch(() => {});
  }
}

/** The line printed when the tests are skipped. */
export function skippedMessage(reason: string, url = TEST_DATABASE_URL): string {
  return `PostgreSQL not reachable at ${redactUrl(url)}: PostgreSQL store tests skipped (${reason})`;
}

/** A new schema name, unique to this process and call: teletel_test_<pid>_<random>. */
export function testSchemaName(): string {
  return `teletel_test_${process.pid}_${randomBytes(5).toString('hex')}`;
}

/** Schemas made by this process, and the means to drop them all afterwards. */
export class TestSchemas {
  private readonly made = new Set<string>();

  constructor(readonly url = TEST_DATABASE_URL) {}

  /** A new name; the schema itself is created by the store that opens it (or by `create`). */
  name(): string {
    const name = testSchemaName();
    this.made.add(name);
    return name;
  }

  /** Runs SQL on the test database with `schema` first in the search path. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(schema: string | null, text: string, values: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => {});
    await client.connect();
    try {
      if (schema !== null) await client.query("SELECT set_config('search_path', $1, false)", [client.escapeIdentifier(schema)]);
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Drops every schema this object named. */
  async dropAll(): Promise<void> {
    if (this.made.size === 0) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => {});
    await client.connect();
    try {
      for (const name of this.made) await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(name)} CASCADE`);
      this.made.clear();
    } finally {
      await client.end();
    }
  }
}

/** The driver's error code when it has a string one, for a skip message. */
function codeText(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unknown error';
}
