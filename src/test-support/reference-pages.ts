/**
 * Reference pages for tests and benchmarks: the shared corpus of real Minitel pages (../shared/corpus/pages), read in
 * place and never copied into the repository. TELETEL_CORPUS overrides the
 * folder. When it is absent, corpus tests skip and say so.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repository = resolve(here, '..', '..');

export const CORPUS_DIR = process.env.TELETEL_CORPUS ?? resolve(repository, '..', 'shared', 'corpus', 'pages');

export function corpusAvailable(): boolean {
  return existsSync(CORPUS_DIR) && statSync(CORPUS_DIR).isDirectory();
}

/** Page file names, sorted, so runs are reproducible. */
export function corpusPages(): string[] {
  if (!corpusAvailable()) return [];
  return readdirSync(CORPUS_DIR)
    .filter((name) => statSync(join(CORPUS_DIR, name)).isFile())
    .sort();
}

export function readCorpusPage(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS_DIR, name)));
}

export const CORPUS_SKIP_MESSAGE = `corpus folder ${CORPUS_DIR} not found: corpus tests skipped (set TELETEL_CORPUS to run them)`;
