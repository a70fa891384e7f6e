/**
 * The Bus across instances, on PostgreSQL LISTEN/NOTIFY: every gateway on
 * the same database and channel gets every message, its own included.
 *
 * - One dedicated connection LISTENs (a pooled one would be handed to other
 *   queries); it is pinged now and then and reconnected with backoff when
 *   it fails. Messages sent while it is down are not replayed: the bus
 *   carries live events, and what must survive (mail, accounts) is in the
 *   store. Services that keep state from the bus (CHAT presence) refresh it
 *   with heartbeats.
 * - Publishing goes through one more connection (a pool of one, which
 *   reconnects by itself), so messages of one process keep their order.
 *   Everyone, this process included, receives them in the order PostgreSQL
 *   committed them, so every instance sees the same sequence. Messages
 *   published while a NOTIFY is out wait in an outbox and leave together,
 *   as one transaction of several NOTIFYs (delivered in the order sent):
 *   one round trip and one commit for the lot, so hundreds of CHAT users
 *   on one instance do not queue one commit each behind the others (a
 *   queue that outgrew the pool's wait timeout failed publishes). The
 *   outbox is bounded (POSTGRES_LIMITS.publishQueueMax). The connection
 *   commits asynchronously: notifications are not durable anyway, and an
 *   fsync per batch would only slow them.
 * - publish() resolves once local subscribers have the message, as with
 *   InProcessBus: when it is back on this process's listener, or, when it
 *   is not back after POSTGRES_LIMITS.echoTimeoutMs, when the listener is
 *   lost meanwhile, or when it is down, delivered to them directly (and an
 *   echo that comes later is not delivered again).
 * - A NOTIFY payload must be under 8000 bytes: a bigger message is refused
 *   with TELETEL_E_STORE_LIMIT before anything is sent.
 * - Whatever arrives on the channel is untrusted: any session of the
 *   database may NOTIFY it. Payloads are size-checked, parsed inside a try,
 *   checked for shape, and dropped (reported to onError) when wrong; the
 *   messages themselves are checked again by the subscribers (CHAT's hub).
 *
 * Envelope: {"v":1,"from":"<instance>","seq":<n>,"topic":"<topic>","message":<JSON>}
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { encodeBusMessage, isBusTopic, Subscribers, type Bus, type BusHandler } from './bus.js';
import { StoreError } from './errors.js';
import { POSTGRES_LIMITS } from './limits.js';
import { isConnectionError, isPostgresUrl, redactUrl, schemaFromUrl } from './postgres.js';
import { messageOf } from './validate.js';

export interface PostgresBusOptions {
  /**
   * The NOTIFY channel: instances that talk together use the same one
   * (default 'teletel'). LISTEN/NOTIFY channels belong to the database, not
   * a schema: sites sharing one database use one channel each.
   */
  channel?: string;
  /** How long connecting may take, in ms (default POSTGRES_LIMITS.connectTimeoutMs). */
  connectTimeoutMs?: number;
  /** application_name of the bus connections, as pg_stat_activity shows them (default 'teletel-bus'). */
  applicationName?: string;
  /** Reconnection backoff of the listener, in ms (defaults POSTGRES_LIMITS.reconnectFirstMs, reconnectMaxMs). */
  reconnect?: { firstMs?: number; maxMs?: number };
  /** How often the listener checks its connection, in ms (default POSTGRES_LIMITS.listenerPingMs). */
  pingMs?: number;
  /** How long publish() waits for its own message to come back, in ms (default POSTGRES_LIMITS.echoTimeoutMs). */
  echoTimeoutMs?: number;
  /**
   * A handler threw (with its topic), a message from elsewhere was dropped
   * (TELETEL_E_BUS_MESSAGE), or the listener lost its connection
   * (TELETEL_E_STORE_UNAVAILABLE, then it reconnects). The bus carries on.
   */
  onError?: (error: unknown, topic: string | null) => void;
  /** The listener is listening again, or not: for logs and health checks. */
  onStatus?: (status: 'listening' | 'reconnecting') => void;
}

export type PostgresBusStatus = 'connecting' | 'listening' | 'reconnecting' | 'closed';

const CHANNEL = /^[A-Za-z0-9_.:-]{1,63}$/;
const INSTANCE = /^[A-Za-z0-9-]{1,64}$/;

export function checkChannelName(channel: unknown): asserts channel is string {
  if (typeof channel !== 'string' || !CHANNEL.test(channel)) {
    throw new StoreError('TELETEL_E_VALUE', "a bus channel has 1 to 63 letters, digits, '_', '.', ':' or '-'");
  }
}

interface OutboxEntry {
  payload: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Envelope {
  from: string;
  seq: number;
  topic: string;
  message: unknown;
}

/**
 * The envelope in a NOTIFY payload, or the reason it is not one of ours.
 * Exported for tests: it is the one door for input from other instances.
 */
export function parseEnvelope(payload: unknown): Envelope | string {
  if (typeof payload !== 'string') return 'no payload';
  if (Buffer.byteLength(payload) > POSTGRES_LIMITS.notifyPayloadBytesMax) return 'payload too long';
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const e = value as Record<string, unknown>;
  if (e.v !== 1) return `unknown envelope version ${JSON.stringify(e.v) ?? 'undefined'}`;
  if (typeof e.from !== 'string' || !INSTANCE.test(e.from)) return 'bad sender';
  if (typeof e.seq !== 'number' || !Number.isSafeInteger(e.seq) || e.seq < 1) return 'bad sequence number';
  if (!isBusTopic(e.topic)) return 'bad topic';
  if (!Object.prototype.hasOwnProperty.call(e, 'message')) return 'no message';
  return { from: e.from, seq: e.seq, topic: e.topic, message: e.message };
}

/** Opens the bus and waits until it listens; throws TELETEL_E_STORE_OPEN when the database cannot be reached. */
export async function openPostgresBus(url: string, options: PostgresBusOptions = {}): Promise<PostgresBus> {
  const bus = new PostgresBus(url, options);
  try {
    await bus.ready();
  } catch (error) {
    await bus.close();
    throw error;
  }
  return bus;
}

export class PostgresBus implements Bus {
  /** This process's name on the channel, to know its own messages. */
  readonly instance = randomUUID();
  readonly channel: string;
  /** The database, without its password, for messages. */
  readonly location: string;
  private readonly handlers = new Subscribers();
  private readonly publisher: pg.Pool;
  private listener: pg.Client | undefined;
  private state: PostgresBusStatus = 'connecting';
  private attempts = 0;
  private seq = 0;
  /** Own messages awaiting their echo: settled with true when it came (and was delivered), false otherwise. */
  private readonly echoes = new Map<number, (came: boolean) => void>();
  /** Own messages delivered directly while not listening: their echo, if it comes, is not delivered again. */
  private readonly deliveredLocally = new Set<number>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private readonly first: Promise<void>;
  /** Payloads waiting for the NOTIFY under way to finish, sent together after it. */
  private outbox: OutboxEntry[] = [];
  private sending = false;

  private readonly url: string;

  constructor(
    url: string,
    private readonly options: PostgresBusOptions = {},
  ) {
    if (!isPostgresUrl(url)) throw new StoreError('TELETEL_E_STORE_OPEN', 'a PostgreSQL database is given as a postgres:// URL');
    this.channel = options.channel ?? 'teletel';
    checkChannelName(this.channel);
    this.location = redactUrl(url);
    // The store's ?schema= means nothing to the bus (channels belong to the database); pg must not see it.
    this.url = schemaFromUrl(url).url;
    this.publisher = new pg.Pool({
      connectionString: this.url,
      max: 1,
      connectionTimeoutMillis: this.connectTimeoutMs,
      query_timeout: POSTGRES_LIMITS.queryTimeoutMs,
      application_name: options.applicationName ?? 'teletel-bus',
      keepAlive: true,
      options: '-c synchronous_commit=off',
    });
    this.publisher.on('error', (error) => this.report(this.unavailable(error), null));
    this.first = this.listen();
    this.first.catch(() => {});
  }

  /** Resolves once listening the first time; rejects with TELETEL_E_STORE_OPEN when that failed (it keeps trying). */
  ready(): Promise<void> {
    return this.first;
  }

  get status(): PostgresBusStatus {
    return this.state;
  }

  async publish(topic: string, message: unknown): Promise<void> {
    if (this.state === 'closed') throw new StoreError('TELETEL_E_STORE_CLOSED', 'the bus is closed');
    const seq = this.seq + 1;
    const { json, payload } = encodeBusMessage(this.instance, seq, topic, message);
    this.seq = seq;
    const listening = this.state === 'listening';
    const echo = listening ? this.expectEcho(seq) : undefined;
    try {
      await this.send(payload);
    } catch (error) {
      echo?.cancel();
      // Closed while the query was out (TypeScript keeps the narrowing from before the await).
      if ((this.state as PostgresBusStatus) === 'closed') throw new StoreError('TELETEL_E_STORE_CLOSED', 'the bus is closed');
      throw isConnectionError(error) ? this.unavailable(error) : error;
    }
    if (echo !== undefined && (await echo.arrived)) return;
    // Not listening, the listener lost, or the echo late: our own subscribers have not heard of it. Deliver it
    // here, and skip its echo should it still come.
    if ((this.state as PostgresBusStatus) === 'closed') return;
    this.deliveredLocally.add(seq);
    if (this.deliveredLocally.size > POSTGRES_LIMITS.localDeliveriesMax) {
      this.deliveredLocally.delete(this.deliveredLocally.values().next().value as number);
    }
    this.deliver(topic, JSON.parse(json) as unknown);
  }

  /** Queues a payload for the next NOTIFY batch; resolves once PostgreSQL has committed it. */
  private send(payload: string): Promise<void> {
    if (this.outbox.length >= POSTGRES_LIMITS.publishQueueMax) {
      return Promise.reject(
        new StoreError('TELETEL_E_STORE_UNAVAILABLE', `the bus has ${POSTGRES_LIMITS.publishQueueMax} messages waiting for ${this.location}: not taking more`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.outbox.push({ payload, resolve, reject });
      if (!this.sending) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.sending = true;
    try {
      while (this.outbox.length > 0) {
        let bytes = 0;
        let count = 0;
        while (count < this.outbox.length && count < POSTGRES_LIMITS.publishBatchMax && bytes < POSTGRES_LIMITS.publishBatchBytes) {
          bytes += this.outbox[count].payload.length;
          count++;
        }
        const batch = this.outbox.slice(0, count);
        this.outbox = this.outbox.slice(count);
        try {
          // One simple query of several statements runs as one transaction: one commit, NOTIFYs in this order.
          const channel = pg.escapeLiteral(this.channel);
          await this.publisher.query(batch.map((entry) => `SELECT pg_notify(${channel}, ${pg.escapeLiteral(entry.payload)})`).join(';\n'));
          for (const entry of batch) entry.resolve();
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.sending = false;
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
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    for (const settle of this.echoes.values()) settle(false);
    this.echoes.clear();
    this.handlers.clear();
    const listener = this.listener;
    this.listener = undefined;
    await Promise.allSettled([listener?.end(), this.publisher.end()]);
  }

  // ---- listening ------------------------------------------------------------------

  private get connectTimeoutMs(): number {
    const ms = this.options.connectTimeoutMs;
    return ms !== undefined && ms > 0 ? ms : POSTGRES_LIMITS.connectTimeoutMs;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.connectTimeoutMs,
      query_timeout: this.connectTimeoutMs,
      application_name: this.options.applicationName ?? 'teletel-bus',
      keepAlive: true,
    });
    // The listener from the start, so a failure at any step goes through lost() once, and a
    // notification that arrives with LISTEN's answer is not dropped.
    this.listener = client;
    // Registered before connect: an 'error' event without a listener is thrown as an uncaught exception.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (notification) => {
      if (this.listener === client && notification.channel === this.channel) this.receive(notification.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch (error) {
      this.lost(client, error);
      throw new StoreError('TELETEL_E_STORE_OPEN', `cannot listen on the PostgreSQL database ${this.location}: ${messageOf(error)}`, { cause: error });
    }
    if (this.listener !== client) throw new StoreError('TELETEL_E_STORE_OPEN', `the bus connection to ${this.location} closed while opening`);
    this.state = 'listening';
    this.attempts = 0;
    const pingMs = this.options.pingMs !== undefined && this.options.pingMs > 0 ? this.options.pingMs : POSTGRES_LIMITS.listenerPingMs;
    this.pingTimer = setInterval(() => {
      client.query('SELECT 1').catch((error: unknown) => this.lost(client, error));
    }, pingMs);
    this.pingTimer.unref();
    this.options.onStatus?.('listening');
  }

  /** The listener failed: drop it and reconnect later. Own messages awaited will not come back on it. */
  private lost(client: pg.Client, error: unknown): void {
    if (this.listener !== client || this.state === 'closed') return;
    this.listener = undefined;
    clearInterval(this.pingTimer);
    client.removeAllListeners('notification');
    client.end().catch(() => {});
    for (const settle of this.echoes.values()) settle(false);
    this.echoes.clear();
    this.retry(this.unavailable(error));
  }

  private retry(error: StoreError): void {
    this.state = 'reconnecting';
    this.report(error, null);
    this.options.onStatus?.('reconnecting');
    const first = this.options.reconnect?.firstMs ?? POSTGRES_LIMITS.reconnectFirstMs;
    const max = this.options.reconnect?.maxMs ?? POSTGRES_LIMITS.reconnectMaxMs;
    const delay = Math.min(max, first * 2 ** Math.min(this.attempts, 20));
    this.attempts++;
    clearTimeout(this.reconnectTimer);
    // Jitter: instances cut off together do not all come back in the same millisecond.
    this.reconnectTimer = setTimeout(
      () => {
        this.listen().catch(() => {});
      },
      delay / 2 + Math.random() * (delay / 2),
    );
    this.reconnectTimer.unref();
  }

  private receive(payload: string | undefined): void {
    const envelope = parseEnvelope(payload);
    if (typeof envelope === 'string') {
      this.report(new StoreError('TELETEL_E_BUS_MESSAGE', `dropped a message on channel ${this.channel}: ${envelope}`), null);
      return;
    }
    if (envelope.from === this.instance) {
      if (this.deliveredLocally.delete(envelope.seq)) return;
      this.deliver(envelope.topic, envelope.message);
      this.echoes.get(envelope.seq)?.(true);
      return;
    }
    this.deliver(envelope.topic, envelope.message);
  }

  private deliver(topic: string, message: unknown): void {
    const list = this.handlers.of(topic);
    for (let i = 0; i < list.length; i++) {
      try {
        // Each handler its own copy, as InProcessBus gives: a handler that changes it cannot change what the next sees.
        list[i](i === list.length - 1 ? message : structuredClone(message));
      } catch (error) {
        this.report(error, topic);
      }
    }
  }

  /** `arrived` resolves with true when the echo came back (and was delivered), with false when it did not in time or cannot. */
  private expectEcho(seq: number): { arrived: Promise<boolean>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      const settle = (came: boolean): void => {
        clearTimeout(timer);
        this.echoes.delete(seq);
        resolve(came);
      };
      this.echoes.set(seq, settle);
      const ms = this.options.echoTimeoutMs ?? POSTGRES_LIMITS.echoTimeoutMs;
      timer = setTimeout(() => settle(false), ms);
      timer.unref();
    });
    return {
      arrived,
      cancel: () => {
        clearTimeout(timer);
        this.echoes.delete(seq);
      },
    };
  }

  private report(error: unknown, topic: string | null): void {
    try {
      this.options.onError?.(error, topic);
    } catch {
      // A failing error reporter must not take the listener down with it.
    }
  }

  private unavailable(error: unknown): StoreError {
    return new StoreError('TELETEL_E_STORE_UNAVAILABLE', `the bus lost its PostgreSQL connection to ${this.location}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}
