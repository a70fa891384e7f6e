/**
 * Live events between sessions: a chat line, a private-message alert, a kick.
 * One process uses InProcessBus; several gateway instances on one database
 * share PostgresBus (postgres-bus.ts, LISTEN/NOTIFY), an implementation of
 * the same interface, so services never know which one they run on. A
 * message on PostgresBus must fit in a NOTIFY (under 8000 bytes with its
 * envelope): publish keys of stored data, not the data.
 *
 * Messages are JSON values. The in-process bus copies them through JSON as a
 * remote bus would, so a service that works here does not rely on sharing
 * objects between sessions.
 */
import { StoreError } from './errors.js';
import { STORE_LIMITS } from './limits.js';

export type BusHandler = (message: unknown) => void;

export interface Bus {
  /** Delivers `message` to every subscriber of `topic`, in this process and others, in publish order. */
  publish(topic: string, message: unknown): Promise<void>;
  /** Returns the function that unsubscribes. Handlers must not throw (errors are reported to `onError`). */
  subscribe(topic: string, handler: BusHandler): () => void;
  close(): Promise<void>;
}

export interface InProcessBusOptions {
  /** A handler threw; the bus carries on with the others. */
  onError?: (error: unknown, topic: string) => void;
}

export class InProcessBus implements Bus {
  private readonly topics = new Map<string, Set<BusHandler>>();
  private closed = false;

  constructor(private readonly options: InProcessBusOptions = {}) {}

  async publish(topic: string, message: unknown): Promise<void> {
    if (this.closed) throw new StoreError('TELETEL_E_STORE_CLOSED', 'the bus is closed');
    const json = JSON.stringify(message);
    if (json === undefined) throw new StoreError('TELETEL_E_VALUE', 'a bus message must be a JSON value');
    if (json.length > STORE_LIMITS.valueBytesMax) {
      throw new StoreError('TELETEL_E_STORE_LIMIT', `a bus message is limited to ${STORE_LIMITS.valueBytesMax} characters of JSON`);
    }
    const handlers = this.topics.get(topic);
    if (handlers === undefined) return;
    // Delivered after the caller's current step, as a remote bus would; each handler gets its own copy.
    await Promise.resolve();
    for (const handler of [...handlers]) {
      try {
        handler(JSON.parse(json) as unknown);
      } catch (error) {
        this.options.onError?.(error, topic);
      }
    }
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    let handlers = this.topics.get(topic);
    if (handlers === undefined) {
      handlers = new Set();
      this.topics.set(topic, handlers);
    }
    handlers.add(handler);
    return () => {
      const set = this.topics.get(topic);
      if (set === undefined) return;
      set.delete(handler);
      if (set.size === 0) this.topics.delete(topic);
    };
  }

  /** Number of handlers on a topic (for tests and metrics). */
  subscribers(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.topics.clear();
  }
}
