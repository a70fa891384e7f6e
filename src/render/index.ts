/** `teletel/render`: glyphs, screen → RGBA raster, PNG and ANSI output. */
export * from './glyphs.js';
export * from './palette.js';
export * from './raster.js';
export * from './png.js';
export * from './ansi.js';
