/**
 * `teletel serve` as a child process for tests that need the real thing
 * (signals, a process that dies, a restart on the same data): started
 * through tsx on a free port, resolved once it logs that port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Generous: each server starts through tsx, and CI machines can be slow. */
export const START_MS = 60_000;
export const STOP_MS = 15_000;

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** How the process ended: its exit code, or the signal that killed it. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every JSON log line it wrote so far. */
  logs: { msg?: string; [field: string]: unknown }[];
}

/** `teletel serve` on `dataDir`, WebSocket on a free port, no TCP, with `args` added. */
export async function startServeProcess(dataDir: string, args: string[] = []): Promise<ServeProcess> {
  // TELETEL_* settings of the environment (a CI's PostgreSQL URL, say) would override the defaults: not here.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TELETEL_')));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--tcp-port', 'off', '--host', '127.0.0.1', '--data', dataDir, ...args],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const server: ServeProcess = { child, port: 0, ended, logs: [] };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  server.port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`teletel serve did not listen within ${START_MS} ms: ${stderr}`)), START_MS);
    let pending = '';
    // Reading stdout to the end also keeps the pipe from filling and blocking the server's logger.
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        server.logs.push(entry);
        if (entry.msg === 'teletel gateway listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      }
    });
    void ended.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`teletel serve ended (${code ?? signal}) before listening: ${stderr}`));
    });
  });
  return server;
}

/** Ends a server still running: SIGTERM for a clean stop, SIGKILL if it lingers. */
export async function stopServeProcess(server: ServeProcess): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
  await server.ended;
  clearTimeout(timer);
}
