/**
 * The decoder against fuzzed and mutated Videotex streams: slices of the
 * real pages of the corpus with bits flipped, bytes inserted (escape, US,
 * repetition with huge counts, CSI with long parameters, SS2, DRCS headers),
 * chunks doubled and cut, and plain random bytes. Each stream goes through a
 * Terminal; an exception is a failure. Every stream is timed: the slowest
 * per KB, timed again after the run to rule out a garbage-collector pause,
 * shows a quadratic path if there is one.
 */
import { corpusAvailable, corpusPages, readCorpusPage } from '../src/test-support/reference-pages.js';
import { Terminal } from '../src/videotex/terminal.js';
import { stripFilePadding } from '../src/videotex/vdt-file.js';

export interface FuzzResult {
  streams: number;
  bytes: number;
  seconds: number;
  failures: string[];
  /** Median decoding cost, ns per byte. */
  medianNsPerByte: number;
  slowest: { nsPerByte: number; length: number; kind: string; hexStart: string; stream: Uint8Array } | undefined;
  /** The slowest stream repeated 1, 4 and 16 times: ns per byte stays flat when the cost is linear. */
  scaling: [number, number][];
  corpus: boolean;
}

/** xorshift32: reproducible streams from a seed. */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

const INSERTS = [
  [0x1b],
  [0x1f],
  [0x12, 0x7f], // REP 63
  [0x1b, 0x5b, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x3b], // CSI with a long parameter
  [0x19],
  [0x1f, 0x23, 0x20, 0x20, 0x20, 0x42, 0x49], // DRCS header
  [0x1b, 0x39],
  [0x1b, 0x3a, 0x32],
  [0x1b, 0x3b],
  [0x0c],
  [0x0e],
  [0x0f],
  [0x18],
  [0x1b, 0x28, 0x20, 0x42],
  [0x00],
  [0xff],
];

const MIN_TIMED_BYTES = 256;

export function fuzzDecoder(count: number, seed = 1): FuzzResult {
  const random = generator(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const corpus = corpusAvailable() ? corpusPages().map((name) => stripFilePadding(readCorpusPage(name))) : [];
  const failures: string[] = [];
  // Costs in ns/byte, bucketed by 1/8 ns for the median, and the ten slowest streams kept for the re-timing.
  const buckets = new Uint32Array(8 * 1000);
  let timed = 0;
  let top: { nsPerByte: number; stream: Uint8Array; kind: string }[] = [];
  let bytes = 0;
  let terminal = new Terminal();
  const start = performance.now();

  const make = (): { stream: Uint8Array; kind: string } => {
    if (corpus.length === 0 || random() < 0.1) {
      const stream = new Uint8Array(16 + int(2048));
      for (let i = 0; i < stream.length; i++) stream[i] = int(256);
      return { stream, kind: 'random bytes' };
    }
    const page = corpus[int(corpus.length)];
    const from = int(page.length);
    const slice = Array.from(page.subarray(from, from + 32 + int(2048)));
    const mutations = 1 + int(8);
    const kinds: string[] = [];
    for (let m = 0; m < mutations; m++) {
      const at = int(slice.length + 1);
      switch (int(4)) {
        case 0:
          if (slice.length > 0) slice[Math.min(at, slice.length - 1)] ^= 1 << int(8);
          kinds.push('bit flip');
          break;
        case 1:
          slice.splice(at, 0, ...INSERTS[int(INSERTS.length)]);
          kinds.push('insert');
          break;
        case 2: {
          const piece = slice.slice(at, at + 1 + int(64));
          for (let r = 1 + int(16); r > 0; r--) slice.splice(at, 0, ...piece);
          kinds.push('repeat');
          break;
        }
        default:
          slice.length = Math.min(slice.length, at);
          kinds.push('cut');
      }
    }
    return { stream: Uint8Array.from(slice), kind: `corpus slice, ${kinds.join(' + ')}` };
  };

  for (let i = 0; i < count; i++) {
    const { stream, kind } = make();
    // A fresh terminal now and then, a reset otherwise: streams start from the power-on state either way.
    if (i % 256 === 0) terminal = new Terminal();
    else terminal.reset();
    const t0 = process.hrtime.bigint();
    try {
      terminal.write(stream);
    } catch (error) {
      if (failures.length < 20) failures.push(`${kind}: ${(error as Error).message} on ${Buffer.from(stream).toString('hex').slice(0, 120)}`);
      terminal = new Terminal();
    }
    const ns = Number(process.hrtime.bigint() - t0);
    bytes += stream.length;
    if (stream.length >= MIN_TIMED_BYTES) {
      const perByte = ns / stream.length;
      buckets[Math.min(buckets.length - 1, Math.floor(perByte * 8))]++;
      timed++;
      if (top.length < 10 || perByte > top[top.length - 1].nsPerByte) {
        top.push({ nsPerByte: perByte, stream, kind });
        top.sort((a, b) => b.nsPerByte - a.nsPerByte);
        top = top.slice(0, 10);
      }
    }
  }
  const seconds = (performance.now() - start) / 1000;

  let seen = 0;
  let median = 0;
  for (let b = 0; b < buckets.length; b++) {
    seen += buckets[b];
    if (seen >= timed / 2) {
      median = b / 8;
      break;
    }
  }
  // The slowest streams again, best of five: what stays slow is the decoder's, not a pause of the process.
  let slowest: FuzzResult['slowest'];
  for (const candidate of top) {
    const best = bestOf(candidate.stream);
    if (slowest === undefined || best > slowest.nsPerByte) {
      slowest = {
        nsPerByte: best,
        length: candidate.stream.length,
        kind: candidate.kind,
        hexStart: Buffer.from(candidate.stream.subarray(0, 24)).toString('hex'),
        stream: candidate.stream,
      };
    }
  }
  const scaling: [number, number][] = [];
  if (slowest !== undefined) {
    for (const copies of [1, 4, 16]) {
      const stream = new Uint8Array(slowest.stream.length * copies);
      for (let c = 0; c < copies; c++) stream.set(slowest.stream, c * slowest.stream.length);
      scaling.push([copies, bestOf(stream)]);
    }
  }
  return { streams: count, bytes, seconds, failures, medianNsPerByte: median, slowest, scaling, corpus: corpus.length > 0 };
}

/** Best of five decodings of `stream` by a fresh terminal, in ns per byte. */
function bestOf(stream: Uint8Array): number {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = new Terminal();
    const t0 = process.hrtime.bigint();
    t.write(stream);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / stream.length);
  }
  return best;
}
