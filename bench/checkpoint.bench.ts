/**
 * Session checkpoints (issue "sessions that outlive their instance"): how big
 * a screen mirror is once snapshotted, over every corpus page, and what
 * saving and claiming a checkpoint costs on SQLite (synchronous FULL, the
 * default) and on PostgreSQL when one answers on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusAvailable, corpusPages, readCorpusPage, CORPUS_SKIP_MESSAGE } from '../src/test-support/reference-pages.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import pg from 'pg';
import { openPostgresStore } from '../src/store/postgres.js';
import type { CheckpointStore, Store } from '../src/store/store.js';
import { SessionCheckpoints } from '../src/server/checkpoints.js';
import { snapshotScreen, type ScreenSnapshot } from '../src/videotex/screen-snapshot.js';
import { Terminal } from '../src/videotex/terminal.js';
import { stripFilePadding } from '../src/videotex/vdt-file.js';

const SESSIONS = 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Saves then claims one checkpoint per session; milliseconds per operation, median and p99. */
async function saveAndClaim(checkpoints: CheckpointStore, states: ScreenSnapshot[]): Promise<string> {
  const book = new SessionCheckpoints(checkpoints, { version: 1, validate: (value) => value as ScreenSnapshot });
  const saves: number[] = [];
  const tokens: string[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const start = performance.now();
    tokens.push(await book.save(`bench-${i}`, states[i % states.length]));
    saves.push(performance.now() - start);
  }
  const claims: number[] = [];
  const started = performance.now();
  for (const token of tokens) {
    const start = performance.now();
    const result = await book.resume(token);
    if (!result.ok) throw new Error(`resume failed: ${result.reason}`);
    claims.push(performance.now() - start);
  }
  const all = performance.now() - started;
  saves.sort((a, b) => a - b);
  claims.sort((a, b) => a - b);
  return (
    `save p50 ${percentile(saves, 50).toFixed(2)} ms, p99 ${percentile(saves, 99).toFixed(2)} ms; ` +
    `claim+parse p50 ${percentile(claims, 50).toFixed(2)} ms, p99 ${percentile(claims, 99).toFixed(2)} ms; ` +
    `${SESSIONS} resumes one after another in ${all.toFixed(0)} ms`
  );
}

export default async function run(): Promise<void> {
  if (!corpusAvailable()) {
    console.log(CORPUS_SKIP_MESSAGE);
    return;
  }
  const states = corpusPages().map((name) => {
    const terminal = new Terminal();
    terminal.write(stripFilePadding(readCorpusPage(name)));
    return snapshotScreen(terminal.screen);
  });
  const sizes = states.map((s) => JSON.stringify(s).length).sort((a, b) => a - b);
  console.log(
    `screen snapshot (JSON) over ${sizes.length} corpus pages: median ${percentile(sizes, 50)} B, p99 ${percentile(sizes, 99)} B, max ${sizes[sizes.length - 1]} B`,
  );

  const folder = mkdtempSync(join(tmpdir(), 'teletel-bench-'));
  const sqlite = openSqliteStore(join(folder, 'bench.db'));
  try {
    console.log(`SQLite (synchronous FULL): ${await saveAndClaim(sqlite.checkpoints, states)}`);
  } finally {
    await sqlite.close();
    rmSync(folder, { recursive: true, force: true });
  }

  const database = 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_checkpoint_${process.pid}`;
  let postgres: Store | undefined;
  try {
    postgres = await openPostgresStore(database, { schema, connectTimeoutMs: 2000 });
  } catch {
    console.log('PostgreSQL: no server on 127.0.0.1:5432, skipped');
  }
  if (postgres) {
    try {
      console.log(`PostgreSQL: ${await saveAndClaim(postgres.checkpoints, states)}`);
    } finally {
      await postgres.close();
      const client = new pg.Client({ connectionString: database });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`);
      await client.end();
    }
  }
}
