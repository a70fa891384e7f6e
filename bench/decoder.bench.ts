/** Decoder throughput over the corpus (MB/s), the figure issue "Videotex core" targets at ≥ 50 MB/s. */
import { corpusAvailable, corpusPages, readCorpusPage, CORPUS_SKIP_MESSAGE } from '../src/test-support/reference-pages.js';
import { Terminal } from '../src/videotex/terminal.js';
import { stripFilePadding } from '../src/videotex/vdt-file.js';

function throughput(pages: Uint8Array[], seconds: number): number {
  const terminal = new Terminal();
  let bytes = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (const page of pages) {
      terminal.write(page);
      bytes += page.length;
    }
    elapsed = performance.now() - start;
  }
  return bytes / 1e6 / (elapsed / 1000);
}

export default function run(): void {
  if (!corpusAvailable()) {
    console.log(CORPUS_SKIP_MESSAGE);
    return;
  }
  const pages = corpusPages().map((name) => stripFilePadding(readCorpusPage(name)));
  const total = pages.reduce((sum, page) => sum + page.length, 0);
  throughput(pages, 1); // warm-up: let the JIT settle
  const figures = [throughput(pages, 2), throughput(pages, 2), throughput(pages, 2)].sort((a, b) => a - b);
  console.log(`decoder: ${figures[1].toFixed(1)} MB/s (median of 3 runs; ${pages.length} corpus pages, ${(total / 1e6).toFixed(2)} MB)`);

  const random = new Uint8Array(4 << 20);
  let seed = 1;
  for (let i = 0; i < random.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    random[i] = seed >>> 24;
  }
  const t = new Terminal();
  const start = performance.now();
  t.write(random);
  console.log(`decoder on random bytes: ${(random.length / 1e6 / ((performance.now() - start) / 1000)).toFixed(1)} MB/s`);
}
