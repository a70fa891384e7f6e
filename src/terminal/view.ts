/**
 * The screen on a canvas. The canvas holds the Minitel's own 320×250 picture
 * (p.28, p.32), drawn by render/raster.ts into the canvas's ImageData; CSS
 * scales it by whole device pixels with `image-rendering: pixelated`, so
 * every Minitel pixel stays a sharp square at any zoom.
 *
 * Painting is batched: whatever happens (bytes decoded, a blink phase, a
 * typed key), at most one paint runs per animation frame, and it redraws and
 * uploads only the rows that changed.
 */
import { Raster, SCREEN_HEIGHT, SCREEN_WIDTH, type BlinkPhase } from '../render/raster.js';
import { GLYPH_HEIGHT } from '../render/glyphs.js';
import type { ColourMode } from '../render/palette.js';
import { COLUMNS, ROWS } from '../videotex/codes.js';
import type { Screen } from '../videotex/screen.js';

/**
 * One blink phase: STUM1B gives "about 0.5 Hz" (p.84, docs §9.1), a
 * two-second cycle, on for one second and off for the next. The cursor
 * flashes on the same clock, as the video chip drives both from one flash
 * signal.
 */
export const BLINK_PHASE_MS = 1000;

/** The blink phase at a time: even seconds 'on', odd seconds 'off'. */
export function blinkPhaseAt(timeMs: number): BlinkPhase {
  return Math.floor(timeMs / BLINK_PHASE_MS) % 2 === 0 ? 'on' : 'off';
}

export interface ViewScheduler {
  now(): number;
  requestFrame(callback: () => void): unknown;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

const BROWSER_SCHEDULER: ViewScheduler = {
  now: () => performance.now(),
  requestFrame: (callback) => requestAnimationFrame(() => callback()),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class CanvasView {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly image: ImageData;
  private readonly scheduler: ViewScheduler;
  private raster: Raster;
  private current: Screen;
  private mode: ColourMode;
  private phase: BlinkPhase;
  private blinking = true;

  private frameRequested = false;
  private blinkTimer: unknown = undefined;
  private running = false;

  // What the canvas shows, to know which rows a paint must upload.
  private wholeFrameStale = true;
  private paintedPhase: BlinkPhase = 'on';
  private paintedGlobalMask = true;
  private paintedDrcsVersion = -1;
  private paintedCursorRow = -1;
  private paintedCursorColumn = -1;

  /** Rows drawn since creation, for tests and benchmarks. */
  rowsPainted = 0;

  constructor(canvas: HTMLCanvasElement, screen: Screen, options: { colour?: ColourMode; scheduler?: ViewScheduler } = {}) {
    this.canvas = canvas;
    canvas.width = SCREEN_WIDTH;
    canvas.height = SCREEN_HEIGHT;
    const context = canvas.getContext('2d', { alpha: false });
    if (context === null) throw new Error('this browser cannot draw on a canvas (no 2D context)');
    this.context = context;
    this.image = context.createImageData(SCREEN_WIDTH, SCREEN_HEIGHT);
    this.scheduler = options.scheduler ?? BROWSER_SCHEDULER;
    this.current = screen;
    this.mode = options.colour ?? 'colour';
    this.phase = blinkPhaseAt(this.scheduler.now());
    this.raster = new Raster({ colour: this.mode }, this.image);
  }

  get screen(): Screen {
    return this.current;
  }

  /** Shows another screen (the element swapped its Terminal): a full repaint. */
  set screen(screen: Screen) {
    this.current = screen;
    this.invalidate();
  }

  get colour(): ColourMode {
    return this.mode;
  }

  /** Colour, or the grey levels of a monochrome Minitel (p.32). */
  set colour(mode: ColourMode) {
    if (mode === this.mode) return;
    this.mode = mode;
    // The raster's palette is fixed at construction; it draws into the same ImageData.
    this.raster = new Raster({ colour: mode }, this.image);
    this.invalidate();
  }

  /** Blinking text and cursor flash (default); false freezes the 'on' phase, for screenshots and tests. */
  get blink(): boolean {
    return this.blinking;
  }

  set blink(value: boolean) {
    this.blinking = value;
    this.phase = value ? blinkPhaseAt(this.scheduler.now()) : 'on';
    this.requestPaint();
  }

  /** Starts the blink clock (the element is on the page). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleBlink();
    this.requestPaint();
  }

  /** Stops the blink clock (the element left the page). */
  stop(): void {
    this.running = false;
    if (this.blinkTimer !== undefined) this.scheduler.clearTimer(this.blinkTimer);
    this.blinkTimer = undefined;
  }

  /** Forgets what the canvas shows: the next paint redraws everything. */
  invalidate(): void {
    this.wholeFrameStale = true;
    this.current.markAllDirty();
    this.requestPaint();
  }

  /** Asks for a paint in the next animation frame; many calls make one paint. */
  requestPaint(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.scheduler.requestFrame(() => {
      this.frameRequested = false;
      this.paint();
    });
  }

  /**
   * Redraws the rows that changed and uploads them to the canvas, now.
   * Returns the number of rows drawn.
   */
  paint(): number {
    const screen = this.current;
    const raster = this.raster;
    raster.blinkPhase = this.phase;
    raster.cursor = this.phase === 'on';
    const cursorShown =
      raster.cursor &&
      screen.cursorVisible &&
      screen.cursorRow >= 0 &&
      screen.cursorRow < ROWS &&
      screen.cursorColumn >= 1 &&
      screen.cursorColumn <= COLUMNS;
    const cursorRow = cursorShown ? screen.cursorRow : -1;
    const cursorColumn = cursorShown ? screen.cursorColumn : -1;

    // The raster redraws rows for the same reasons; a phase, mask or DRCS change may touch any row.
    const whole =
      this.wholeFrameStale ||
      this.paintedPhase !== this.phase ||
      this.paintedGlobalMask !== screen.globalMask ||
      this.paintedDrcsVersion !== screen.drcsVersion;
    let first = ROWS;
    let last = -1;
    if (!whole) {
      for (let row = 0; row < ROWS; row++) {
        if (screen.dirty[row]) {
          if (row < first) first = row;
          last = row;
        }
      }
      if (cursorRow !== this.paintedCursorRow || cursorColumn !== this.paintedCursorColumn) {
        for (const row of [cursorRow, this.paintedCursorRow]) {
          if (row < 0) continue;
          if (row < first) first = row;
          if (row > last) last = row;
        }
      }
    }

    const drawn = raster.update(screen);
    this.rowsPainted += drawn;
    if (whole) {
      this.context.putImageData(this.image, 0, 0);
    } else if (drawn > 0 && last >= first) {
      this.context.putImageData(
        this.image,
        0,
        0,
        0,
        first * GLYPH_HEIGHT,
        SCREEN_WIDTH,
        (last - first + 1) * GLYPH_HEIGHT,
      );
    }
    this.wholeFrameStale = false;
    this.paintedPhase = this.phase;
    this.paintedGlobalMask = screen.globalMask;
    this.paintedDrcsVersion = screen.drcsVersion;
    this.paintedCursorRow = cursorRow;
    this.paintedCursorColumn = cursorColumn;
    return drawn;
  }

  /** The picture as a PNG (canvas.toBlob), as the screen shows it now. */
  toPng(): Promise<Blob> {
    this.paint();
    return new Promise((resolve, reject) => {
      this.canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))), 'image/png');
    });
  }

  private scheduleBlink(): void {
    if (!this.running) return;
    const now = this.scheduler.now();
    const next = (Math.floor(now / BLINK_PHASE_MS) + 1) * BLINK_PHASE_MS;
    this.blinkTimer = this.scheduler.setTimer(() => {
      this.blinkTimer = undefined;
      if (this.blinking) {
        const phase = blinkPhaseAt(this.scheduler.now());
        if (phase !== this.phase) {
          this.phase = phase;
          this.requestPaint();
        }
      }
      this.scheduleBlink();
    }, next - now + 1);
  }
}
