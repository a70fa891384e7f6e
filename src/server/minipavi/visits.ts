/**
 * The visits of one MiniPavi service, by the uniqueId the service knows them
 * by, for PushServiceMsg: a row-0 message to another user of the same
 * service (sanitised, so no control byte crosses). Pushes go through the
 * bus, on a topic of the service's own, so a user on another instance behind
 * the same database gets them too, and a service can never reach the users
 * of another service, whatever uniqueIds it names. A BackgroundCall with
 * simulate (background.ts) types into the visit it names the same way: here
 * at once when the visit is on this instance, else offered on the service's
 * simulate topic to the instance that has it.
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

/** "Typed" data for a visit (BGCALL-SIMU): a URL's worth of characters at most. */
interface SimulateMessage {
  uniqueId: string;
  data: string;
}

/** What a visit does with typed data from a background call (service.ts). */
export type Typed = (data: string) => void;

function isSimulateMessage(value: unknown): value is SimulateMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { uniqueId, data } = value as Record<string, unknown>;
  return typeof uniqueId === 'string' && typeof data === 'string' && uniqueId.length <= MINIPAVI_LIMITS.pushIdCharacters && data.length <= MINIPAVI_LIMITS.urlCharacters;
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
  private readonly typed = new Map<string, Typed>();
  private readonly topic: string;
  private readonly simulateTopic: string;

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
    this.simulateTopic = `minipavi.simulate.${code}`;
    this.bus.subscribe(this.simulateTopic, (message) => {
      // The instance that sent it had no such visit: only the one that has it acts, the others ignore it.
      if (isSimulateMessage(message)) this.type(message.uniqueId, message.data);
    });
  }

  /** A visit opens; `typed` is how it takes a background call's simulated typing. */
  add(uniqueId: string, link: TerminalLink, typed?: Typed): void {
    this.links.set(uniqueId, link);
    if (typed !== undefined) this.typed.set(uniqueId, typed);
  }

  remove(uniqueId: string): void {
    this.links.delete(uniqueId);
    this.typed.delete(uniqueId);
  }

  /**
   * Types `data` into that user's visit, as a background call with simulate
   * does: 'here' when the visit is on this instance; otherwise 'sent', offered
   * over the bus to the instance that has it (none has it: nothing happens).
   */
  simulate(uniqueId: string, data: string): 'here' | 'sent' {
    if (this.type(uniqueId, data)) return 'here';
    const message: SimulateMessage = { uniqueId, data: data.slice(0, MINIPAVI_LIMITS.urlCharacters) };
    this.bus.publish(this.simulateTopic, message).catch(this.onError);
    return 'sent';
  }

  private type(uniqueId: string, data: string): boolean {
    const typed = this.typed.get(uniqueId);
    const link = this.links.get(uniqueId);
    if (typed === undefined || link === undefined || link.closed.aborted) return false;
    typed(data);
    return true;
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
