/**
 * Prometheus metrics (`/metrics`). Hot paths only bump plain numbers; the
 * prom-client objects read them when scraped, so a byte sent costs an
 * addition, not a label lookup.
 *
 * Each gateway has its own registry, so several gateways (tests) can run in
 * one process.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { minipaviRegistry } from './minipavi/metrics.js';

export type TransportName = 'websocket' | 'tcp' | 'serial';
export const TRANSPORTS: readonly TransportName[] = ['websocket', 'tcp', 'serial'];

/** Label used for sessions on the gateway's own pages. */
export const HOME_SERVICE = '-';

interface PerTransport {
  bytesIn: number;
  bytesOut: number;
  sessions: number;
  droppedInput: number;
}

/** What happened to a resumable session's link (session.ts, gateway.ts). */
export type ResumeOutcome = 'detached' | 'resumed' | 'refused' | 'expired' | 'handed-over';

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly transports = new Map<TransportName, PerTransport>(
    TRANSPORTS.map((t) => [t, { bytesIn: 0, bytesOut: 0, sessions: 0, droppedInput: 0 }]),
  );
  /** Open sessions by transport and service code. */
  private readonly open = new Map<string, number>();
  private readonly rejected = new Map<string, number>();
  private readonly resumes = new Map<ResumeOutcome, number>();
  private readonly lag: Histogram;

  constructor(options: { processMetrics?: boolean } = {}) {
    const open = this.open;
    const rejected = this.rejected;
    const transports = this.transports;
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'teletel_' });
    new Gauge({
      name: 'teletel_sessions',
      help: 'Open sessions by transport and service ("-" = the home page).',
      labelNames: ['transport', 'service'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [key, n] of open) {
          const [transport, service] = key.split('\u0000');
          this.set({ transport, service }, n);
        }
      },
    });
    counterFrom(this.registry, 'teletel_sessions_total', 'Sessions started, by transport.', (t) => t.sessions, transports);
    counterFrom(this.registry, 'teletel_bytes_in_total', 'Bytes received from terminals, by transport.', (t) => t.bytesIn, transports);
    counterFrom(this.registry, 'teletel_bytes_out_total', 'Bytes sent to terminals, by transport.', (t) => t.bytesOut, transports);
    counterFrom(this.registry, 'teletel_input_dropped_bytes_total', 'Input bytes dropped by the per-session rate limit.', (t) => t.droppedInput, transports);
    new Counter({
      name: 'teletel_connections_rejected_total',
      help: 'Connections refused or dropped by a limit, by reason.',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, n] of rejected) this.inc({ reason }, n);
      },
    });
    const resumes = this.resumes;
    new Counter({
      name: 'teletel_session_resumes_total',
      help: 'Resumable sessions: links lost (detached), taken back (resumed), tokens refused, windows passed (expired), checkpointed at shutdown (handed-over).',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [outcome, n] of resumes) this.inc({ outcome }, n);
      },
    });
    this.lag = new Histogram({
      name: 'teletel_pacer_lag_seconds',
      help: 'Time a screen update waited for its line before its diff was sent.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  sessionStarted(transport: TransportName): void {
    this.transports.get(transport)!.sessions++;
  }

  /** A session moved from one service to another (null = not counted: new or gone). */
  moved(transport: TransportName, from: string | null, to: string | null): void {
    if (from !== null) {
      const key = `${transport}\u0000${from}`;
      const n = (this.open.get(key) ?? 1) - 1;
      if (n <= 0) this.open.delete(key);
      else this.open.set(key, n);
    }
    if (to !== null) {
      const key = `${transport}\u0000${to}`;
      this.open.set(key, (this.open.get(key) ?? 0) + 1);
    }
  }

  bytesIn(transport: TransportName, n: number): void {
    this.transports.get(transport)!.bytesIn += n;
  }

  bytesOut(transport: TransportName, n: number): void {
    this.transports.get(transport)!.bytesOut += n;
  }

  inputDropped(transport: TransportName, n: number): void {
    this.transports.get(transport)!.droppedInput += n;
  }

  rejectedConnection(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  resume(outcome: ResumeOutcome): void {
    this.resumes.set(outcome, (this.resumes.get(outcome) ?? 0) + 1);
  }

  pacerLag(ms: number): void {
    this.lag.observe(ms / 1000);
  }

  /** The gateway's metrics, then the MiniPavi services' (minipavi/metrics.ts). */
  async text(): Promise<string> {
    return `${await this.registry.metrics()}\n${await minipaviRegistry.metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function counterFrom(
  registry: Registry,
  name: string,
  help: string,
  read: (t: PerTransport) => number,
  transports: Map<TransportName, PerTransport>,
): void {
  new Counter({
    name,
    help,
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [transport, t] of transports) this.inc({ transport }, read(t));
    },
  });
}
