/**
 * The storage interface services and the gateway use. Asynchronous, so that
 * the SQLite implementation (default, embedded: sqlite.ts) and a PostgreSQL
 * one are interchangeable without touching services. Nothing here names a
 * driver, a SQL dialect or a file: those stay in the implementations.
 *
 * Durability contract: every write method resolves only once the change is
 * committed. A service may tell the user "message envoyé" as soon as
 * `mail.send` resolves: a crash after that point does not lose it.
 *
 * Limits on sizes are in limits.ts; breaking one throws a StoreError with
 * code TELETEL_E_STORE_LIMIT before anything is written.
 */

/** One connection's kiosque record (issue "gateway": service, start, end, bytes, cost). */
export interface SessionRecord {
  id: string;
  transport: string;
  address: string;
  /** The service code, or null when the user never left the home page. */
  service: string | null;
  start: Date;
  end: Date;
  bytesIn: number;
  bytesOut: number;
  /** Amount charged, in `currency`. */
  cost: number;
  currency: string;
}

export interface SessionLog {
  record(record: SessionRecord): Promise<void>;
  /** The latest records, newest first. */
  recent(limit: number): Promise<SessionRecord[]>;
}

/** What an account may do: operators moderate (CHAT kick, ban, delete). */
export type AccountRole = 'user' | 'operator';

/**
 * A registered name, shared by every service of the server (a pseudonym in
 * CHAT, a sender in a mailbox). Names are unique without regard to case:
 * "Ana" and "ANA" are the same account; `name` keeps the spelling given at
 * creation.
 */
export interface Account {
  name: string;
  role: AccountRole;
  createdAt: Date;
  /** Last successful `verify`, or null. */
  lastSeenAt: Date | null;
}

export interface AccountStore {
  /**
   * Registers a name with a password (hashed with scrypt, never stored in
   * clear). Throws TELETEL_E_ACCOUNT_EXISTS when the name is taken and
   * TELETEL_E_ACCOUNT_NAME when it is not a valid name (limits.ts).
   */
  create(name: string, password: string, options?: { role?: AccountRole }): Promise<Account>;
  get(name: string): Promise<Account | null>;
  /**
   * The account when `password` is right, null otherwise (unknown name or
   * wrong password take the same time, so a caller cannot tell them apart).
   */
  verify(name: string, password: string): Promise<Account | null>;
  setPassword(name: string, password: string): Promise<void>;
  setRole(name: string, role: AccountRole): Promise<void>;
  delete(name: string): Promise<boolean>;
  /** Accounts in name order. */
  list(options?: { limit?: number; offset?: number }): Promise<Account[]>;
}

/**
 * A message left in a mailbox (a BAL, boîte aux lettres). Mailboxes are
 * plain keys chosen by the service ("CHAT:ana"); they need no creation.
 */
export interface MailMessage {
  /** Opaque, unique in the store. */
  id: string;
  mailbox: string;
  from: string;
  subject: string;
  body: string;
  sentAt: Date;
  readAt: Date | null;
}

export interface NewMailMessage {
  mailbox: string;
  from: string;
  subject?: string;
  body: string;
}

export interface MailStore {
  /** Stores the message; resolves once it is committed (durable). */
  send(message: NewMailMessage): Promise<MailMessage>;
  /** Messages of a mailbox, newest first. */
  list(mailbox: string, options?: { unreadOnly?: boolean; limit?: number; offset?: number }): Promise<MailMessage[]>;
  get(mailbox: string, id: string): Promise<MailMessage | null>;
  count(mailbox: string): Promise<{ total: number; unread: number }>;
  markRead(mailbox: string, id: string): Promise<void>;
  delete(mailbox: string, id: string): Promise<boolean>;
}

export interface KeyValueEntry<T = unknown> {
  key: string;
  value: T;
}

/**
 * A service's own small data: settings, ban lists, form submissions. Values
 * are JSON (what JSON.stringify keeps); each namespace is separate.
 */
export interface KeyValueStore {
  readonly namespace: string;
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Entries in key order, optionally only those whose key starts with `prefix`. */
  list<T = unknown>(options?: { prefix?: string; limit?: number; offset?: number }): Promise<KeyValueEntry<T>[]>;
  /** Adds `by` (default 1) to a numeric value (missing = 0) atomically; returns the new value. */
  increment(key: string, by?: number): Promise<number>;
}

/**
 * A session's checkpoint: what a gateway needs to resume it after a dropped
 * link or on another instance. The state is the gateway's own JSON; the
 * store keeps it opaque, bounded (STORE_LIMITS.checkpointBytesMax) and
 * reachable only through the hash of the resume token that goes with it.
 */
export interface SessionCheckpoint {
  sessionId: string;
  /** The version of the state's schema, so a gateway can refuse one it does not know. */
  version: number;
  /** The state, as JSON text. */
  state: string;
  savedAt: Date;
  /** After this, the checkpoint is as good as gone: claim() does not return it. */
  expiresAt: Date;
}

/**
 * What a conditional checkpoint write expects to find in the store: the
 * token hash of the row it replaces (the one its writer wrote last), or null
 * for no row of that session at all. Left out, the write replaces whatever
 * is there (tools and tests; a gateway always says).
 */
export type CheckpointReplaces = string | null;

export interface CheckpointEntry {
  checkpoint: SessionCheckpoint;
  tokenHash: string;
  replaces?: CheckpointReplaces;
}

export interface CheckpointStore {
  /**
   * Saves the session's checkpoint, replacing the one it had: the previous
   * token stops working at once. `tokenHash` is the hash of the token the
   * client holds (never the token itself). With `replaces` (see
   * CheckpointReplaces), nothing is written unless the row is as expected:
   * false then. So a copy of a session whose checkpoint another instance
   * claimed (its row gone, or rewritten under a new token) cannot put its
   * older state back.
   */
  save(checkpoint: SessionCheckpoint, tokenHash: string, replaces?: CheckpointReplaces): Promise<boolean>;
  /**
   * Saves several checkpoints in one write: one transaction (and one sync to
   * disk on SQLite; statements of 500 rows in it on PostgreSQL), so a call
   * that fails wrote none of them. Every checkpoint is
   * checked first: one invalid checkpoint fails the call before anything is
   * written. A session given twice keeps the last; given twice with a
   * condition, it fails the call (TELETEL_E_VALUE). Resolves with the
   * sessions whose condition did not hold, which were not written.
   */
  saveMany(entries: readonly CheckpointEntry[]): Promise<string[]>;
  /**
   * Takes the checkpoint of this token hash, deleting it in the same
   * statement, so a token resumes a session once, even when two instances
   * claim it at the same moment. Null when unknown, already taken, or
   * expired at `now`.
   */
  claim(tokenHash: string, now?: Date): Promise<SessionCheckpoint | null>;
  /** The session's checkpoint without taking it (for operators and tests), or null. */
  get(sessionId: string): Promise<SessionCheckpoint | null>;
  /**
   * Forgets the session's checkpoint (the session ended); whether there was
   * one. With `tokenHash`, only the row written under it: a copy of the
   * session deletes its own row, never the one of an instance that took the
   * session over.
   */
  delete(sessionId: string, tokenHash?: string): Promise<boolean>;
  /** Deletes the checkpoints expired at `now`; how many. */
  purgeExpired(now?: Date): Promise<number>;
}

export interface Store {
  /** The gateway's kiosque log. */
  readonly sessions: SessionLog;
  /** Session checkpoints, for resuming sessions. */
  readonly checkpoints: CheckpointStore;
  readonly accounts: AccountStore;
  readonly mail: MailStore;
  /** A key-value space; by convention services use their code ("CHAT"). */
  keyValue(namespace: string): KeyValueStore;
  /** Waits for pending writes, then releases the storage. Calls made afterwards throw TELETEL_E_STORE_CLOSED. */
  close(): Promise<void>;
}
