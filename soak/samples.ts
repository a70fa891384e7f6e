/**
 * Memory, descriptors, handles and timers of each instance over time, read
 * from its /metrics, and the trend once warm: the slope of a least-squares
 * line through the samples of one process life after its warm-up. A leak is
 * a slope that stays up; a sawtooth of the garbage collector is not.
 */
import type { ServeProcess } from './serve.js';

export interface Sample {
  at: number;
  /** Which start of the process it came from (a restart begins a new life). */
  life: number;
  rss: number;
  heap: number;
  fds: number;
  handles: number;
  timers: number;
  sessions: number;
  /** Event-loop lag, p99 over prom-client's window, in seconds: a process starved of CPU shows here first. */
  lagP99: number;
}

const sum = (values: Map<string, number>, name: string): number => {
  let total = 0;
  for (const [key, value] of values) if (key === name || key.startsWith(`${name}{`)) total += value;
  return total;
};

export async function sample(server: ServeProcess): Promise<Sample | undefined> {
  if (!server.running) return undefined;
  try {
    const values = await server.metrics();
    return {
      at: Date.now(),
      life: server.starts,
      rss: sum(values, 'teletel_process_resident_memory_bytes'),
      heap: sum(values, 'teletel_nodejs_heap_size_used_bytes'),
      fds: sum(values, 'teletel_process_open_fds'),
      handles: sum(values, 'teletel_nodejs_active_handles_total'),
      timers: values.get('teletel_nodejs_active_resources{type="Timeout"}') ?? 0,
      sessions: sum(values, 'teletel_sessions'),
      lagP99: values.get('teletel_nodejs_eventloop_lag_p99_seconds') ?? 0,
    };
  } catch {
    return undefined;
  }
}

/** Least-squares slope of y against x. */
export function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export interface Trend {
  samples: number;
  minutes: number;
  /** Per hour, from the slope after warm-up. */
  rssPerHour: number;
  heapPerHour: number;
  fdsPerHour: number;
  handlesPerHour: number;
  timersPerHour: number;
  rss: [number, number];
  heap: [number, number];
  fds: [number, number];
  handles: [number, number];
  timers: [number, number];
  sessions: [number, number];
  /** Worst event-loop lag p99 seen, in seconds. */
  lagMax: number;
}

/**
 * The trend of the longest process life, skipping its first `warmupMs`.
 * Normalised by sessions would hide a leak per session that ends: the raw
 * figures are what an operator's graphs show.
 */
export function trend(samples: readonly Sample[], warmupMs: number): Trend | undefined {
  const lives = new Map<number, Sample[]>();
  for (const s of samples) {
    const life = lives.get(s.life);
    if (life) life.push(s);
    else lives.set(s.life, [s]);
  }
  let longest: Sample[] = [];
  for (const life of lives.values()) if (life.length > longest.length) longest = life;
  if (longest.length < 3) return undefined;
  const start = longest[0].at + warmupMs;
  const warm = longest.filter((s) => s.at >= start);
  if (warm.length < 3) return undefined;
  const hour = 3_600_000;
  const per = (field: keyof Sample): number => slope(warm.map((s) => [s.at, s[field]])) * hour;
  const range = (field: keyof Sample): [number, number] => [warm[0][field], warm[warm.length - 1][field]];
  return {
    samples: warm.length,
    minutes: (warm[warm.length - 1].at - warm[0].at) / 60_000,
    rssPerHour: per('rss'),
    heapPerHour: per('heap'),
    fdsPerHour: per('fds'),
    handlesPerHour: per('handles'),
    timersPerHour: per('timers'),
    rss: range('rss'),
    heap: range('heap'),
    fds: range('fds'),
    handles: range('handles'),
    timers: range('timers'),
    sessions: range('sessions'),
    lagMax: Math.max(...warm.map((s) => s.lagP99)),
  };
}
