/** What a transport needs from the gateway to turn a connection into a session. */
import type { Logger } from 'pino';
import type { ServerLimits } from '../limits.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Connection, Session, SessionOptions } from '../session.js';

export interface SessionFactory {
  readonly limits: ServerLimits;
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  /** null when a new session from `address` is allowed, else why not (it is counted). */
  admit(address: string): string | null;
  /** Creates and starts the session. */
  open(connection: Connection, options: SessionOptions): Session;
}
