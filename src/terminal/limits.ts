/**
 * Every bound the browser emulator puts on what it holds, in one place
 * (ARCHITECTURE.md: one limits file per module). A server cannot be slowed
 * down from a browser (the WebSocket API has no backpressure), so each queue
 * is capped and says what happens at the cap.
 */
export const LIMITS = {
  /**
   * Bytes waiting in the line pacer. At 1200 baud a server that sends faster
   * than 120 chars/s builds a queue; past this many bytes the oldest are
   * decoded at once (drawn late but never lost). 4 MiB is 9 hours at 1200
   * baud, far beyond any real session, and a few MB of memory.
   */
  pacerQueueBytes: 4 * 1024 * 1024,
  /** Bytes kept by a session recording (.vdt); recording stops at the cap. 16 MiB ≈ 38 h at 1200 baud. */
  recordingBytes: 16 * 1024 * 1024,
  /** A dropped .vdt file larger than this is refused: corpus pages are a few kB. */
  replayFileBytes: 16 * 1024 * 1024,
  /** Characters typed or pasted at once through the phone keyboard's input element. */
  inputCharacters: 1024,
  /**
   * Reconnecting after a dropped line (teletel.resume.v1): the first retry
   * waits this long, each next one twice as long up to the maximum, until the
   * server's resume window has passed.
   */
  reconnectFirstMs: 250,
  reconnectMaxMs: 5000,
  /** A control message (a text frame on teletel.resume.v1) longer than this is ignored. */
  controlMessageCharacters: 1024,
  /** Largest device-pixel scale of the screen: 16 × 320 = 5120 px, a 5K display. */
  maxScale: 16,
} as const;
