/**
 * BEL (p.98): a short beep, "less than one second". Synthesised with Web
 * Audio (no sound file): a square wave, the timbre of a small piezo buzzer,
 * with a quick fade in and out so it does not click. A BEL that arrives while
 * the beep sounds adds nothing, as on a buzzer that is already on: a server
 * sending thousands of BEL gets one beep at a time, not thousands of
 * oscillators summed into a roar.
 */

/** Pitch and length of the beep: a Minitel beep is short and high; STUM1B only bounds it below 1 s. */
export const BELL_HZ = 1000;
export const BELL_MS = 200;

type AudioContextClass = typeof AudioContext;

export class Bell {
  private context: AudioContext | undefined;
  /** The context's time at which the beep sounding now ends. */
  private soundingUntil = 0;
  /** Beeps rung, including muted ones, for tests. */
  rings = 0;
  muted = false;

  /**
   * Browsers only start audio after a user gesture: call this from one (a key
   * press, a tap) so the first BEL from the server can sound.
   */
  unlock(): void {
    const context = this.audio();
    if (context !== undefined && context.state === 'suspended') void context.resume().catch(() => undefined);
  }

  ring(): void {
    this.rings++;
    if (this.muted) return;
    // No context before a gesture: the browser would refuse to play and complain.
    const context = this.context;
    if (context === undefined || context.state !== 'running') return;
    const start = context.currentTime;
    if (start < this.soundingUntil) return;
    const end = start + BELL_MS / 1000;
    this.soundingUntil = end;
    const oscillator = context.createOscillator();
    oscillator.type = 'square';
    oscillator.frequency.value = BELL_HZ;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(0.15, start + 0.005);
    gain.gain.setValueAtTime(0.15, end - 0.02);
    gain.gain.linearRampToValueAtTime(0, end);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(end);
  }

  close(): void {
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
    this.soundingUntil = 0;
  }

  private audio(): AudioContext | undefined {
    if (this.context !== undefined) return this.context;
    const globals = globalThis as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass };
    const Context = globals.AudioContext ?? globals.webkitAudioContext;
    if (Context === undefined) return undefined;
    try {
      this.context = new Context();
    } catch {
      return undefined;
    }
    return this.context;
  }
}
