/**
 * The instances of a soak run: A on its own SQLite file, B and C sharing one
 * PostgreSQL database (through the cuttable proxy) so CHAT spans them, and
 * the database made for the run and dropped after it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PgProxyProcess } from './pg-proxy.js';
import { ServeProcess } from './serve.js';

/** The test database of the machine (as the store tests use it); the run makes its own database beside it. */
const ADMIN_URL = process.env.TELETEL_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface Cluster {
  sqlite: ServeProcess;
  postgres: ServeProcess[];
  proxy: PgProxyProcess | undefined;
  database: string | undefined;
  config: string;
  /** Ends the PostgreSQL backends of the run's database, as a restart of the server does to its clients. */
  restartPostgres(): Promise<number>;
  dropDatabase(): Promise<void>;
}

/** A database for the run, or undefined when PostgreSQL does not answer (the run then has no PostgreSQL faults, and says so). */
async function createDatabase(): Promise<string | undefined> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `teletel_soak_${process.pid}_${Date.now().toString(36)}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    return name;
  } finally {
    await admin.end();
  }
}

export async function startCluster(root: string): Promise<Cluster> {
  // Thousands of simulated Minitels come from 127.0.0.1: the per-address limit is for real networks.
  const config = join(root, 'soak-config.json');
  writeFileSync(config, JSON.stringify({ limits: { maxSessionsPerAddress: 1_000_000, maxSessions: 50_000 } }));
  const data = (name: string): string => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const sqlite = new ServeProcess({ name: 'A (SQLite)', data: data('a'), config });
  const database = await createDatabase();
  let proxy: PgProxyProcess | undefined;
  const postgres: ServeProcess[] = [];
  if (database !== undefined) {
    const target = new URL(ADMIN_URL);
    proxy = new PgProxyProcess();
    const port = await proxy.listen({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(ADMIN_URL);
    url.port = String(port);
    url.pathname = `/${database}`;
    postgres.push(new ServeProcess({ name: 'B (PostgreSQL)', data: data('b'), database: url.href, config }));
    postgres.push(new ServeProcess({ name: 'C (PostgreSQL)', data: data('c'), database: url.href, config }));
  }
  // One at a time: each compiles the sources through tsx, and the first on PostgreSQL runs the migrations.
  await sqlite.start();
  for (const server of postgres) await server.start();

  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    sqlite,
    postgres,
    proxy,
    database,
    config,
    restartPostgres: async () => {
      if (database === undefined) return 0;
      const result = await admin((c) =>
        c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]),
      );
      return result.rowCount ?? 0;
    },
    dropDatabase: async () => {
      if (database === undefined) return;
      await proxy?.close();
      await admin(async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
        await c.query(`DROP DATABASE IF EXISTS ${database}`);
      });
    },
  };
}

/** Message ids (ZM + 6 digits, at the start of each soak body) still in a PostgreSQL database's BALs. */
export async function storedIdsPostgres(database: string): Promise<Set<string>> {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    const { rows } = await client.query<{ body: string }>('SELECT body FROM mail');
    return idsOf(rows.map((r) => r.body));
  } finally {
    await client.end();
  }
}

export function idsOf(bodies: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const body of bodies) {
    const match = /^ZM\d{6}\b/.exec(body);
    if (match) ids.add(match[0]);
  }
  return ids;
}
