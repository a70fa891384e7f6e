/**
 * A Minitel on a serial cable during the soak: a socat pty pair, an instance
 * with --serial on one end, a test Minitel on the other going to GUIDE and
 * back. Unplugging kills socat (both ends vanish); plugging back starts it
 * again at the same paths, and the home page must come back by itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SerialMinitel } from '../src/server/test-support/minitel.js';
import { ServeProcess } from './serve.js';

export const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

export interface SerialResult {
  rounds: number;
  unplugs: number;
  /** Seconds from plugging back to the home page on the Minitel, per unplug. */
  backAfter: number[];
  failures: string[];
}

export class SerialLine {
  readonly result: SerialResult = { rounds: 0, unplugs: 0, backAfter: [], failures: [] };
  readonly server: ServeProcess;
  private socat: ChildProcess | undefined;
  private minitel: SerialMinitel | undefined;
  private readonly gatewaySide: string;
  private readonly minitelSide: string;
  private unplugged = false;
  private stopped = false;

  constructor(
    private readonly dir: string,
    config: string,
  ) {
    mkdirSync(join(dir, 'data'), { recursive: true });
    this.gatewaySide = join(dir, 'gateway');
    this.minitelSide = join(dir, 'minitel');
    this.server = new ServeProcess({ name: 'S (serial, SQLite)', data: join(dir, 'data'), config, serial: this.gatewaySide });
  }

  async start(): Promise<void> {
    await this.plug();
    this.minitel = await SerialMinitel.open(this.minitelSide);
    await this.server.start();
  }

  /** GUIDE and back, again and again, until `until`; pauses while unplugged. */
  async run(until: number): Promise<void> {
    while (!this.stopped && Date.now() < until) {
      const m = this.minitel;
      if (this.unplugged || m === undefined || m.closed) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      try {
        await m.waitFor(/Tapez le code du service/, 30_000);
        m.type('GUIDE');
        m.key('Envoi');
        await m.waitFor(/Tapez un mot/, 30_000);
        m.key('ConnexionFin');
        await m.waitFor(/Tapez le code du service/, 30_000);
        this.result.rounds++;
      } catch (error) {
        // A wait on the Minitel of before an unplug ends in a timeout: that is the unplug, not a failure.
        const replaced = m !== this.minitel || m.closed;
        if (!replaced && !this.unplugged && !this.stopped && this.result.failures.length < 10) {
          this.result.failures.push(`${(error as Error).message.split('\n')[0]} ${m.text.trim().slice(0, 200)}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Pulls the cable for `ms`, plugs it back and waits for the home page. */
  async unplug(ms: number): Promise<void> {
    this.unplugged = true;
    this.result.unplugs++;
    const socat = this.socat;
    if (socat) {
      const ended = new Promise((resolve) => socat.once('exit', resolve));
      socat.kill();
      await ended;
    }
    this.minitel?.close();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.plug();
    const pluggedAt = Date.now();
    this.minitel = await SerialMinitel.open(this.minitelSide);
    try {
      await this.minitel.waitFor(/Tapez le code du service/, 30_000);
      this.result.backAfter.push((Date.now() - pluggedAt) / 1000);
    } catch {
      this.result.failures.push('no home page within 30 s of plugging the cable back');
    }
    this.unplugged = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.server.stop();
    this.minitel?.close();
    this.socat?.kill();
  }

  private async plug(): Promise<void> {
    this.socat = spawn('socat', [`pty,raw,echo=0,link=${this.gatewaySide}`, `pty,raw,echo=0,link=${this.minitelSide}`], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(existsSync(this.gatewaySide) && existsSync(this.minitelSide)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
