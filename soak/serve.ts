/**
 * One `teletel serve` process, as a user runs it: the build that `npm start`
 * runs, WebSocket on a free port, its JSON log read line by line.
 * The soak kills and restarts it; an exit the soak did not ask for is a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const START_MS = 90_000;

export interface ServeOptions {
  name: string;
  data: string;
  /** A PostgreSQL URL: accounts, mail and live CHAT shared with every instance on it. */
  database?: string;
  /** A JSON config file (the soak's limits). */
  config?: string;
  serial?: string;
  /** Largest file the process may write, in 512-byte blocks (`ulimit -f`): a full disk for SQLite. */
  fileSizeBlocks?: number;
}

export interface LogEntry {
  level?: number;
  msg?: string;
  [field: string]: unknown;
}

export class ServeProcess {
  port = 0;
  tcpPort = 0;
  /** Exits the soak did not cause (SIGKILL it sent, or the end of the run, are not crashes). */
  crashes: string[] = [];
  starts = 0;
  /** Log lines at warn (40) and above, counted by message. */
  readonly warnings = new Map<string, number>();
  readonly errors = new Map<string, number>();
  /** The first few error lines by message, whole, to see the cause. */
  readonly errorExamples = new Map<string, LogEntry[]>();
  private child: ChildProcess | undefined;
  private expectingExit = false;
  private readonly listeners: ((entry: LogEntry) => void)[] = [];

  constructor(readonly options: ServeOptions) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  onLog(listener: (entry: LogEntry) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const { options } = this;
    // The soak's own settings only: TELETEL_* of the caller's environment would change them.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TELETEL_')));
    // SOAK_SERVE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": Node flags for the servers, to profile them under the soak.
    const nodeArgs = (process.env.SOAK_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // What `npm start` runs: the build (index.ts builds it first), not the sources through tsx.
    const args = [...nodeArgs, 'dist/cli/main.js', 'serve', '--port', '0', '--tcp-port', '0', '--host', '127.0.0.1', '--data', options.data];
    if (options.database) args.push('--database', options.database);
    if (options.config) args.push('--config', options.config);
    if (options.serial) args.push('--serial', options.serial, '--serial-framing', '8n1');
    const command =
      options.fileSizeBlocks === undefined
        ? spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
        : // SIGXFSZ ignored: a write past the limit fails with EFBIG, as on a full disk, instead of killing the process.
          spawn('bash', ['-c', `trap '' XFSZ; ulimit -f ${options.fileSizeBlocks}; exec "$0" "$@"`, process.execPath, ...args], {
            cwd: root,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
    const child = command;
    this.child = child;
    this.expectingExit = false;
    this.starts++;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    let pending = '';
    const listening = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.name}: not listening after ${START_MS} ms: ${stderr}`)), START_MS);
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('{')) continue;
          let entry: LogEntry;
          try {
            entry = JSON.parse(line) as LogEntry;
          } catch {
            continue;
          }
          this.count(entry);
          if (entry.msg === 'teletel gateway listening' && typeof entry.port === 'number') {
            clearTimeout(timer);
            if (typeof entry.tcpPort === 'number') this.tcpPort = entry.tcpPort;
            resolve(entry.port);
          }
          for (const listener of this.listeners) listener(entry);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${options.name}: ended (${code ?? signal}) before listening: ${stderr}`));
      });
    });
    child.once('exit', (code, signal) => {
      if (!this.expectingExit) this.crashes.push(`${options.name} exited (${code ?? signal}) unasked: ${stderr.slice(-600)}`);
    });
    this.port = await listening;
  }

  /** kill -9: no flush, no goodbye. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the graceful stop (SIGKILL after 20 s). */
  async stop(): Promise<void> {
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 20_000);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  async metrics(): Promise<Map<string, number>> {
    const response = await fetch(`http://127.0.0.1:${this.port}/metrics`, { signal: AbortSignal.timeout(10_000) });
    const values = new Map<string, number>();
    for (const line of (await response.text()).split('\n')) {
      if (line.startsWith('#') || line === '') continue;
      const space = line.lastIndexOf(' ');
      values.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    return values;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    this.expectingExit = true;
    const ended = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await ended;
  }

  private count(entry: LogEntry): void {
    const level = entry.level ?? 30;
    if (level < 40) return;
    const map = level >= 50 ? this.errors : this.warnings;
    const key = String(entry.msg ?? '?');
    map.set(key, (map.get(key) ?? 0) + 1);
    if (level >= 50) {
      const examples = this.errorExamples.get(key) ?? [];
      if (examples.length < 3) examples.push(entry);
      this.errorExamples.set(key, examples);
    }
  }
}
