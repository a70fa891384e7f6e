/** Reading inputs and writing outputs for commands: files, or stdin/stdout for '-'. */
import { readFile, writeFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, type CliIo } from './command.js';

/** Bigger inputs are refused with a clear message rather than read into memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export async function readInput(path: string, io: CliIo): Promise<Uint8Array> {
  if (path === '-') return readStream(io.stdin);
  const full = resolve(io.cwd, path);
  let info;
  try {
    info = await stat(full);
  } catch (error) {
    throw new CliError(describeFsError(error, path));
  }
  if (info.isDirectory()) throw new CliError(`${path} is a folder, not a file.`);
  if (info.size > MAX_INPUT_BYTES) {
    throw new CliError(`${path} is ${info.size} bytes; the limit is ${MAX_INPUT_BYTES} bytes.`);
  }
  try {
    return new Uint8Array(await readFile(full));
  } catch (error) {
    throw new CliError(describeFsError(error, path));
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    total += bytes.length;
    if (total > MAX_INPUT_BYTES) throw new CliError(`standard input is over the ${MAX_INPUT_BYTES}-byte limit.`);
    chunks.push(bytes);
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

/** Writes to a file, or to stdout for '-'. */
export async function writeOutput(path: string, data: Uint8Array | string, io: CliIo): Promise<void> {
  if (path === '-') {
    await new Promise<void>((done, fail) => io.stdout.write(data, (error) => (error ? fail(error) : done())));
    return;
  }
  try {
    await writeFile(resolve(io.cwd, path), data);
  } catch (error) {
    throw new CliError(describeFsError(error, path));
  }
}

export function describeFsError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `${path}: no such file or folder.`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied.`;
    case 'EISDIR':
      return `${path} is a folder, not a file.`;
    case 'ENOTDIR':
      return `${path}: a part of this path is not a folder.`;
    case 'ENOSPC':
      return `${path}: no space left on the device.`;
    default:
      return `${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
