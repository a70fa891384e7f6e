/**
 * A folder of pictures into a folder of pages. Each picture is converted on
 * its own; a failure is recorded for that file and the next one goes on.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join, parse } from 'node:path';
import { convertPng, type ConvertOptions } from './convert.js';
import { ImageError } from './image.js';
import { CONVERT_LIMITS } from './limits.js';

/** Names taken as pictures. Only PNG is decoded; the others get a clear message. */
export const PICTURE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.webp'] as const;

export interface BatchResult {
  /** The picture's file name inside the input folder. */
  name: string;
  /** The page written, inside the output folder, when it succeeded. */
  output?: string;
  bytes?: number;
  error?: string;
}

export interface BatchProgress {
  done: number;
  total: number;
  name: string;
}

export function isPictureName(name: string): boolean {
  return (PICTURE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase()) && !name.startsWith('.');
}

/** The page name for a picture: photo.png → photo.vdt. */
export function pageName(picture: string): string {
  return `${parse(picture).name}.vdt`;
}

/** Converts every picture in `input` (not recursive, sorted by name) into `output`, created if missing. */
export async function convertFolder(
  input: string,
  output: string,
  options: ConvertOptions,
  onProgress: (progress: BatchProgress) => void = () => {},
): Promise<BatchResult[]> {
  const names = (await readdir(input, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && isPictureName(entry.name))
    .map((entry) => entry.name)
    .sort();
  await mkdir(output, { recursive: true });
  const results: BatchResult[] = [];
  /** Page name → the picture it was written from: photo.png and photo.PNG would both give photo.vdt. */
  const written = new Map<string, string>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    onProgress({ done: i, total: names.length, name });
    const earlier = written.get(pageName(name));
    if (earlier !== undefined) {
      results.push({ name, error: `its page ${pageName(name)} is already written from ${earlier}` });
      continue;
    }
    const result = await convertOne(join(input, name), name, output, options);
    if (result.output !== undefined) written.set(result.output, name);
    results.push(result);
  }
  onProgress({ done: names.length, total: names.length, name: '' });
  return results;
}

async function convertOne(path: string, name: string, output: string, options: ConvertOptions): Promise<BatchResult> {
  try {
    const info = await stat(path);
    if (info.size > CONVERT_LIMITS.maxFileBytes) return { name, error: `${info.size} bytes; the limit is ${CONVERT_LIMITS.maxFileBytes} bytes` };
    const conversion = convertPng(new Uint8Array(await readFile(path)), options);
    const target = join(output, pageName(name));
    await writeFile(target, conversion.bytes);
    return { name, output: pageName(name), bytes: conversion.bytes.length };
  } catch (error) {
    if (error instanceof ImageError) return { name, error: error.message };
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code !== undefined) return { name, error: `${code}: ${(error as Error).message}` };
    throw error;
  }
}
