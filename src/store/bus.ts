/**
 * Live events between sessions: a chat line, a private-message alert, a kick.
 * One process uses InProcessBus; several gateway instances on one database
 * share PostgresBus (postgres-bus.ts, LISTEN/NOTIFY), an implementation of
 * the same interface, so services never know which one they run on. A
 * message must fit in a NOTIFY (under 8000 bytes with its envelope):
 * publish keys of stored data, not the data.
 *
 * Messages are JSON values. Both buses check them alike (encodeBusMessage)
 * and the in-process one copies them through JSON as a remote bus would, so
 * a service that works here works on PostgreSQL, and does not rely on
 * sharing objects between sessions.
 */
import { StoreError } from './errors.js';
import { POSTGRES_LIMITS, STORE_LIMITS } from './limits.js';

export type BusHandler = (message: unknown) => void;

export interface Bus {
  /** Delivers `message` to every subscriber of `topic`, in this process and others, in publish order. */
  publish(topic: string, message: unknown): Promise<void>;
  /** Returns the function that unsubscribes. Handlers must not throw (errors are reported to `onError`). */
  subscribe(topic: string, handler: BusHandler): () => void;
  close(): Promise<void>;
}

export function isBusTopic(topic: unknown): topic is string {
  return typeof topic === 'string' && topic.length > 0 && topic.length <= STORE_LIMITS.busTopicMax;
}

/**
 * A message as JSON, and as the NOTIFY payload that carries it between
 * instances: {"v":1,"from":"<instance>","seq":<n>,"topic":"<topic>","message":<JSON>}.
 * Throws the StoreError saying why no bus carries it: a topic that is not 1
 * to STORE_LIMITS.busTopicMax characters, a value that is not JSON, or a
 * payload over POSTGRES_LIMITS.notifyPayloadBytesMax bytes.
 */
export function encodeBusMessage(from: string, seq: number, topic: string, message: unknown): { json: string; payload: string } {
  if (!isBusTopic(topic)) throw new StoreError('TELETEL_E_VALUE', `a bus topic is a text of 1 to ${STORE_LIMITS.busTopicMax} characters`);
  let json: string | undefined;
  try {
    json = JSON.stringify(message);
  } catch (error) {
    throw new StoreError('TELETEL_E_VALUE', `a bus message must be a JSON value: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  if (json === undefined) throw new StoreError('TELETEL_E_VALUE', 'a bus message must be a JSON value');
  const payload = `{"v":1,"from":${JSON.stringify(from)},"seq":${seq},"topic":${JSON.stringify(topic)},"message":${json}}`;
  const bytes = Buffer.byteLength(payload);
  if (bytes > POSTGRES_LIMITS.notifyPayloadBytesMax) {
    throw new StoreError(
      'TELETEL_E_STORE_LIMIT',
      `a bus message on '${topic}' is ${bytes} bytes with its envelope; PostgreSQL NOTIFY carries at most ${POSTGRES_LIMITS.notifyPayloadBytesMax}: keep large content in the store and publish its key`,
    );
  }
  return { json, payload };
}

/** The envelope at its largest (a UUID sender, the largest sequence number): what InProcessBus counts a message in. */
const LARGEST_SENDER = '00000000-0000-0000-0000-000000000000';

/** Handlers by topic: the part of a Bus that every implementation keeps alike. */
export class Subscribers {
  private readonly topics = new Map<string, Set<BusHandler>>();

  /** Adds a handler; returns the function that removes it. */
  add(topic: string, handler: BusHandler): () => void {
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

  /** The handlers of a topic now, as a copy: one may unsubscribe while the others run. */
  of(topic: string): BusHandler[] {
    const handlers = this.topics.get(topic);
    return handlers === undefined ? [] : [...handlers];
  }

  count(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  clear(): void {
    this.topics.clear();
  }
}

export interface InProcessBusOptions {
  /** A handler threw; the bus carries on with the others. */
  onError?: (error: unknown, topic: string) => void;
}

export class InProcessBus implements Bus {
  private readonly handlers = new Subscribers();
  private closed = false;

  constructor(private readonly options: InProcessBusOptions = {}) {}

  async publish(topic: string, message: unknown): Promise<void> {
    if (this.closed) throw new StoreError('TELETEL_E_STORE_CLOSED', 'the bus is closed');
    const { json } = encodeBusMessage(LARGEST_SENDER, Number.MAX_SAFE_INTEGER, topic, message);
    if (this.handlers.count(topic) === 0) return;
    // Delivered after the caller's current step, as a remote bus would; each handler gets its own copy.
    await Promise.resolve();
    for (const handler of this.handlers.of(topic)) {
      try {
        handler(JSON.parse(json) as unknown);
      } catch (error) {
        this.options.onError?.(error, topic);
      }
    }
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    return this.handlers.add(topic, handler);
  }

  /** Number of handlers on a topic (for tests and metrics). */
  subscribers(topic: string): number {
    return this.handlers.count(topic);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}
