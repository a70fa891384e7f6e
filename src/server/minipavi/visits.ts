/**
 * The visits of one MiniPavi service, by the uniqueId the service knows them
 * by, for PushServiceMsg: a row-0 message to another user of the same
 * service (sanitised, so no control byte crosses). Pushes go through the
 * bus, on a topic of the service's own, so a user on another instance behind
 * the same database gets them too, and a service can never reach the users
 * of another service, whatever uniqueIds it names.
 */
import type { TerminalLink } from '../../sdk/link.js';
import type { Bus } from '../../store/bus.js';
import { InProcessBus } from '../../store/bus.js';
import { sanitizeText } from '../../videotex/text.js';
import { rowZeroMessage } from '../pages.js';
import { MINIPAVI_LIMITS } from './limits.js';

interface PushMessage {
  uniqueId: string;
  text: string;
}

/** A push as another instance may send it: anything else on the topic is ignored. */
function isPushMessage(value: unknown): value is PushMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { uniqueId, text } = value as Record<string, unknown>;
  return (
    typeof uniqueId === 'string' &&
    typeof text === 'string' &&
    uniqueId.length <= MINIPAVI_LIMITS.pushIdCharacters &&
    text.length <= MINIPAVI_LIMITS.pushTextCharacters
  );
}

export class MiniPaviVisits {
  private readonly links = new Map<string, TerminalLink>();
  private readonly topic: string;

  /**
   * `code` names the service's topic; without a bus (tests, a lone
   * gateway) pushes stay in this process.
   */
  constructor(
    code: string,
    private readonly bus: Bus = new InProcessBus(),
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.topic = `minipavi.push.${code}`;
    this.bus.subscribe(this.topic, (message) => {
      if (isPushMessage(message)) this.show(message);
    });
  }

  add(uniqueId: string, link: TerminalLink): void {
    this.links.set(uniqueId, link);
  }

  remove(uniqueId: string): void {
    this.links.delete(uniqueId);
  }

  /** Sends `text` to row 0 of that user's screen, on whichever instance the visit is open; nobody there, nothing shown. */
  push(uniqueId: string, text: string): void {
    const message: PushMessage = {
      uniqueId: uniqueId.slice(0, MINIPAVI_LIMITS.pushIdCharacters),
      text: text.slice(0, MINIPAVI_LIMITS.pushTextCharacters),
    };
    // The service gets no answer for a push either way; a bus that cannot carry it is logged.
    this.bus.publish(this.topic, message).catch(this.onError);
  }

  private show({ uniqueId, text }: PushMessage): void {
    const link = this.links.get(uniqueId);
    if (link === undefined || link.closed.aborted) return;
    link.wanted.write(rowZeroMessage(sanitizeText(text)));
    link.update();
  }
}
