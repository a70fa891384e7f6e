/**
 * What the router and a service visit may ask of the session they run in,
 * as small interfaces the session implements. They import this file, never
 * session.ts: a keypress goes session → router → visit → service, and no
 * file on that path imports one before it.
 *
 *   SessionLine    the line to one terminal: what it shows (the mirror), how
 *                  a wanted screen and commands reach it, hanging up;
 *   RouterContext  the line plus what the router shares with the gateway:
 *                  the service directory, the kiosque meter, logs, metrics;
 *   VisitContext   the line plus a log and the way to another service.
 */
import type { Logger } from 'pino';
import type { TerminalCapabilities } from '../sdk/link.js';
import type { ServiceContext } from '../sdk/service.js';
import type { SessionRecord } from '../store/store.js';
import type { Terminal } from '../videotex/terminal.js';
import type { ServiceDirectory } from './directory.js';
import type { KiosqueMeter } from './kiosque.js';
import type { TransportName } from './metrics.js';

export interface SessionLine {
  readonly id: string;
  readonly transport: TransportName;
  readonly address: string;
  readonly capabilities: TerminalCapabilities;
  /** What the user's terminal shows, as far as the bytes already sent go. */
  readonly mirror: Terminal;
  /** Makes `wanted` the screen to show: what differs from the mirror goes out as the line allows. */
  show(wanted: Terminal): void;
  /** The screen shown changed: send the difference. */
  update(): void;
  /** Bytes that are not screen state, after what is queued; throws CommandQueueFull past the queue's bound. */
  queueCommand(bytes: Uint8Array): void;
  /** Resolves once everything queued so far is on the line. */
  drained(): Promise<void>;
  /** Répétition: the page again from a cleared screen. */
  redraw(): void;
  /** Ends the session: `message` on row 0, then the connection closes. */
  hangUp(reason: string, message?: string): void;
}

export interface RouterContext {
  readonly line: SessionLine;
  readonly directory: ServiceDirectory;
  readonly kiosque: KiosqueMeter;
  readonly log: Logger;
  /** What every service runs with (store, log, the service list). */
  readonly services: ServiceContext;
  /** A command the router sends on its own account; dropped with a log line if the queue is full. */
  sendCommand(bytes: Uint8Array): void;
  /** Stores a kiosque record; a store failure is logged, never fatal. */
  record(record: SessionRecord): void;
  /** The session is now in `service` (HOME_SERVICE at the home page), for the metrics. */
  movedTo(service: string): void;
  /** The code that takes this session back on another link (shown on the home page), if it has one. */
  resumeCode(): string | undefined;
  /** `*CODE` typed at the home page: another session takes this link; else what to say on row 0. */
  resumeWithCode(typed: string): Promise<string | undefined>;
}

export interface VisitContext {
  readonly line: SessionLine;
  readonly log: Logger;
  /** Ends this visit and opens the service of `code`, as GUIDE's connect key does; false when it cannot. */
  goTo(code: string): boolean;
}
