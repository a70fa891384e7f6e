/**
 * The `teletel serve` processes running on a data folder, as files in
 * DATA/instances/ (one per HTTP port: several instances may share one data
 * folder during a rolling restart on one machine): what `teletel drain`
 * reads to find the process to stop. A file whose process is gone (a crash,
 * SIGKILL) is stale: it is ignored and removed when seen.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface InstanceRecord {
  pid: number;
  port: number;
  tcpPort: number | null;
  /** ms since the epoch. */
  startedAt: number;
}

const folderOf = (dataDir: string): string => join(dataDir, 'instances');
const fileOf = (dataDir: string, port: number): string => join(folderOf(dataDir), `${port}.json`);

/** Records this process as serving on `record.port`; returns the function that removes the record. */
export function recordInstance(dataDir: string, record: InstanceRecord): () => void {
  mkdirSync(folderOf(dataDir), { recursive: true });
  const file = fileOf(dataDir, record.port);
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  return () => {
    // Only our own record: another process may have taken the port since.
    if (readRecord(file)?.pid === record.pid) rmSync(file, { force: true });
  };
}

/** The instances whose process is alive, by port; stale records are removed. */
export function liveInstances(dataDir: string): InstanceRecord[] {
  let names: string[];
  try {
    names = readdirSync(folderOf(dataDir));
  } catch {
    return [];
  }
  const live: InstanceRecord[] = [];
  for (const name of names.filter((n) => /^\d+\.json$/.test(n))) {
    const file = join(folderOf(dataDir), name);
    const record = readRecord(file);
    if (record !== undefined && isAlive(record.pid)) live.push(record);
    else rmSync(file, { force: true });
  }
  return live.sort((a, b) => a.port - b.port);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A record file as written by recordInstance, or undefined (missing, half written, or not ours). */
function readRecord(file: string): InstanceRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, port, tcpPort, startedAt } = value as Record<string, unknown>;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
  if (!whole(pid) || !whole(port) || !(tcpPort === null || whole(tcpPort)) || !whole(startedAt)) return undefined;
  return { pid, port, tcpPort, startedAt };
}
