/**
 * `teletel/videotex`: the Videotex core. No DOM and no Node: it runs
 * unchanged in browsers, Node and workers.
 */
export * from './codes.js';
export * from './cell.js';
export * from './charset.js';
export { Screen, cellChar, describeCell, visualKey, DRCS_SHAPE_BYTES, DRCS_FIRST_CODE, DRCS_CODES } from './screen.js';
export type { CharSetName, CellAppearance, TextOptions } from './screen.js';
export { Terminal } from './terminal.js';
export type { TerminalOptions } from './terminal.js';
export { ENQROM_IDENTITY } from './protocol.js';
export type { TerminalModel, TerminalModes, Link } from './protocol.js';
export * from './keyboard.js';
export * from './key-parser.js';
export * from './builder.js';
export * from './text.js';
export { encodeScreen, encodeDiff } from './encode.js';
export type { EncodeOptions } from './encode.js';
export { stripFilePadding } from './vdt-file.js';
export { snapshotScreen, restoreScreen, ScreenSnapshotError, type ScreenSnapshot } from './screen-snapshot.js';
export { LIMITS } from './limits.js';
