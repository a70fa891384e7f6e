/**
 * Parsing of `<minitel-terminal>` attributes. Lenient, as HTML attributes are:
 * a value the element cannot use falls back to the default rather than throw.
 */
import type { TerminalModel } from '../videotex/protocol.js';
import type { ColourMode } from '../render/palette.js';
import { FRAME_MODES, type FrameMode } from './framing.js';
import { LIMITS } from './limits.js';
import { DEFAULT_SPEED, UNTHROTTLED, isLineSpeed } from './pacer.js';

export const MODELS: readonly TerminalModel[] = ['minitel2', 'minitel1b', 'emulator'];
/** 640×500 CSS pixels: the screen at twice its size, readable on any display. */
export const DEFAULT_SCALE = 2;

/** Parses the `speed` attribute: a baud rate, or 0 / max / unthrottled for no pacing. */
export function parseSpeed(value: string | null): number {
  if (value === null || value.trim() === '') return DEFAULT_SPEED;
  const text = value.trim().toLowerCase();
  if (text === 'max' || text === 'unthrottled' || text === 'off' || text === 'none') return UNTHROTTLED;
  const baud = Number(text);
  return Number.isInteger(baud) && isLineSpeed(baud) ? baud : DEFAULT_SPEED;
}

export function parseModel(value: string | null): TerminalModel {
  const model = (value ?? '').trim().toLowerCase() as TerminalModel;
  return MODELS.includes(model) ? model : 'minitel2';
}

export function parseColour(value: string | null): ColourMode {
  const text = (value ?? '').trim().toLowerCase();
  return text === 'grey' || text === 'gray' || text === 'mono' || text === 'monochrome' ? 'grey' : 'colour';
}

/** The `scale` attribute: 'auto', or a whole number of CSS pixels per Minitel pixel. */
export function parseScale(value: string | null): number | 'auto' {
  if (value === null || value.trim() === '') return DEFAULT_SCALE;
  if (value.trim().toLowerCase() === 'auto') return 'auto';
  const scale = Number(value);
  return Number.isInteger(scale) && scale >= 1 && scale <= LIMITS.maxScale ? scale : DEFAULT_SCALE;
}

export function parseFrames(value: string | null): FrameMode {
  const text = (value ?? '').trim().toLowerCase() as FrameMode;
  return FRAME_MODES.includes(text) ? text : 'auto';
}
