/**
 * "This session was taken here": what an instance says on the bus when a
 * client resumes a session from its checkpoint, so the instance the client
 * left ends its own copy at once (a detached copy waiting for a reattach
 * that will not come, or one on a link that only looks alive). Without it
 * that copy lingers until its resume window closes: a CHAT member that still
 * beats its presence, a pseudonym taken on that instance. The conditional
 * checkpoint writes (owned-checkpoints.ts) keep such a copy from doing harm
 * in the store either way; this makes it go. Instances on SQLite files share
 * no bus: there the copy ends when its window closes.
 *
 *   teletel.session.taken  { id: "<session id>", by: "<instance>" }
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Bus } from '../store/bus.js';

export const SESSION_TAKEN_TOPIC = 'teletel.session.taken';
/** The session ids our sessions have (session.ts), as resume-token.ts reads them. */
const SESSION_ID = /^[0-9a-z-]{1,64}$/;

export class TakenNotices {
  /** This gateway's name on the bus: its own notices are not for it. */
  readonly instance = randomUUID();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly bus: Bus | undefined,
    /** Another instance took the session of this id: its copy here, if any, ends. */
    private readonly onTaken: (sessionId: string) => void,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.bus === undefined || this.unsubscribe !== undefined) return;
    this.unsubscribe = this.bus.subscribe(SESSION_TAKEN_TOPIC, (message) => {
      const { id, by } = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
      // Checked as any input: anyone on the bus may publish.
      if (typeof id !== 'string' || !SESSION_ID.test(id) || by === this.instance) return;
      this.onTaken(id);
    });
  }

  /** The session `sessionId` was resumed here from its checkpoint. */
  announce(sessionId: string): void {
    this.bus?.publish(SESSION_TAKEN_TOPIC, { id: sessionId, by: this.instance }).catch((error: unknown) => {
      // The copy elsewhere then ends when its window closes, and cannot write over this one's checkpoint.
      this.log.warn({ session: sessionId, err: error }, 'session taken: notice not sent on the bus');
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
