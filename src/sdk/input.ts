/**
 * A session's keys, from the link's input events to the one `await` that
 * wants them. Keys typed while the service is busy wait here (typing ahead
 * is normal on a 1200-baud line), up to INPUT_LIMITS.queuedKeys; beyond
 * that they are dropped, so a flood cannot grow memory.
 */
import type { InputEvent } from '../videotex/key-parser.js';
import type { Key } from '../videotex/keyboard.js';
import type { TerminalLink } from './link.js';
import { SdkError, SessionClosedError } from './errors.js';

export const INPUT_LIMITS = {
  /** Keys kept while the service is busy: two full screens of typing. */
  queuedKeys: 2048,
} as const;

/**
 * Observers of "the service is waiting for a key and none is queued", keyed
 * by link. The virtual Minitel (testing.ts) uses it to know when a service has
 * finished reacting to a key, without sleeping.
 */
const idleObservers = new WeakMap<TerminalLink, () => void>();

export function observeIdle(link: TerminalLink, observer: () => void): void {
  idleObservers.set(link, observer);
}

const queues = new WeakMap<TerminalLink, InputQueue>();

/** True when the service on `link` is waiting for a key and none is queued. */
export function waitingForInput(link: TerminalLink): boolean {
  const queue = queues.get(link);
  return queue !== undefined && queue.waiting;
}

function isKey(event: InputEvent): event is Key {
  return event.type !== 'status' && event.type !== 'reply';
}

export class InputQueue {
  private readonly keys: Key[] = [];
  private waiter: { resolve: (key: Key) => void; reject: (error: unknown) => void } | null = null;
  private readonly unsubscribe: () => void;
  private readonly onAbort: () => void;
  /** An error for the next read, set by interrupt() while nobody was waiting. */
  private interruption: unknown;

  constructor(private readonly link: TerminalLink) {
    this.unsubscribe = link.onInput((event) => {
      if (isKey(event)) this.push(event);
    });
    this.onAbort = () => {
      const waiter = this.waiter;
      this.waiter = null;
      waiter?.reject(new SessionClosedError(link.closed.reason));
    };
    link.closed.addEventListener('abort', this.onAbort, { once: true });
    queues.set(link, this);
  }

  /** Someone waits for a key and none is queued. */
  get waiting(): boolean {
    return this.waiter !== null;
  }

  push(key: Key): void {
    if (this.waiter !== null) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter.resolve(key);
      return;
    }
    // Past the limit, keys are dropped (see the file comment).
    if (this.keys.length < INPUT_LIMITS.queuedKeys) this.keys.push(key);
  }

  /** The next key; rejects with SessionClosedError when the user leaves. */
  next(): Promise<Key> {
    if (this.link.closed.aborted) return Promise.reject(new SessionClosedError(this.link.closed.reason));
    if (this.interruption !== undefined) {
      const error: unknown = this.interruption;
      this.interruption = undefined;
      return Promise.reject(error);
    }
    const key = this.keys.shift();
    if (key !== undefined) return Promise.resolve(key);
    if (this.waiter !== null) {
      return Promise.reject(
        new SdkError('TELETEL_E_INPUT_BUSY', 'two parts of the service wait for a key at once; only one may read the keyboard'),
      );
    }
    const promise = new Promise<Key>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
    idleObservers.get(this.link)?.();
    return promise;
  }

  /** Makes the pending read (or the next one) fail with `error`: an event from elsewhere ends what the service waits for. */
  interrupt(error: unknown): void {
    const waiter = this.waiter;
    if (waiter === null) {
      this.interruption = error;
      return;
    }
    this.waiter = null;
    waiter.reject(error);
  }

  dispose(): void {
    if (queues.get(this.link) === this) queues.delete(this.link);
    this.unsubscribe();
    this.link.closed.removeEventListener('abort', this.onAbort);
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(new SessionClosedError('disposed'));
  }
}
