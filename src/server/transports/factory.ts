/** What a transport needs from the gateway to turn a connection into a session. */
import type { Logger } from 'pino';
import type { ServerLimits } from '../limits.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Connection, Session, SessionOptions } from '../session.js';

export interface SessionFactory {
  readonly limits: ServerLimits;
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  /**
   * null when a new session from `address` is allowed, else why not (it is
   * counted). A resume token of a session still held is admitted whatever
   * the count: it adds no session.
   */
  admit(address: string, resumeToken?: string): string | null;
  /** Creates and starts the session. */
  open(connection: Connection, options: SessionOptions): Session;
  /**
   * Continues the session `token` names on `connection` (held here, or
   * checkpointed by an instance that handed it over: then the answer comes
   * from the store), or opens a new one saying the token named none.
   */
  resume(connection: Connection, token: string, options: SessionOptions): Session | Promise<Session | undefined>;
}
