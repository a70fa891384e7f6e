/** In-process streams and inputs for CLI tests: runCli(argv, io) without spawning a process. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../cli/command.js';

export interface FakeIo extends CliIo {
  /** Everything written to stdout, as bytes. */
  stdoutBytes(): Uint8Array;
  stdoutText(): string;
  stderrText(): string;
}

class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    done();
  }
}

/** Streams that record what a command writes; stdin yields `input` (empty by default). */
export function fakeIo(options: { cwd?: string; input?: Uint8Array } = {}): FakeIo {
  const stdout = new Collector();
  const stderr = new Collector();
  return {
    stdin: Readable.from(options.input ? [Buffer.from(options.input)] : []),
    stdout,
    stderr,
    cwd: options.cwd ?? process.cwd(),
    env: {},
    stdoutBytes: () => new Uint8Array(Buffer.concat(stdout.chunks)),
    stdoutText: () => Buffer.concat(stdout.chunks).toString('utf8'),
    stderrText: () => Buffer.concat(stderr.chunks).toString('utf8'),
  };
}

/** A fresh empty folder under the system temp folder. */
export function tempFolder(prefix = 'teletel-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Reproducible pseudo-random bytes (mulberry32), so a failing input can be replayed. */
export function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}
