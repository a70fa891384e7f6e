/**
 * Every bound the converter puts on its input, named in one place. A PNG's
 * header states its size; a small file can claim a huge picture (a
 * decompression bomb), so the size is checked before any pixel is decoded.
 */
export const CONVERT_LIMITS = {
  /** Pixels per picture: 40 megapixels is a large camera photo (160 MB of RGBA). */
  maxPixels: 40_000_000,
  /** Width or height: PNG allows 2^31 − 1; no real picture needs more. */
  maxSide: 65_535,
  /** Bytes per picture file in folder mode, the same bound as any CLI input (cli/files.ts). */
  maxFileBytes: 64 * 1024 * 1024,
} as const;
