/**
 * Every bound the store enforces, in one place, with why. A write that breaks
 * one is refused with TELETEL_E_STORE_LIMIT before anything is stored, so a
 * misbehaving service cannot fill the disk one huge value at a time.
 */
export const STORE_LIMITS = {
  /** Account names: a Minitel pseudonym fits in a 16-column zone. */
  accountNameMin: 2,
  accountNameMax: 16,
  /** Passwords: long enough for a passphrase, short enough to bound scrypt input. */
  passwordMin: 1,
  passwordMax: 128,
  /** Mailbox keys ("CHAT:ana") and senders. */
  mailboxMax: 64,
  senderMax: 64,
  subjectMax: 120,
  /** A message body: 12 full Minitel pages of text (12 × 24 × 40 = 11,520). */
  bodyMax: 11_520,
  /** Key-value namespaces and keys. */
  namespaceMax: 64,
  keyMax: 256,
  /** A value, once serialised to JSON. */
  valueBytesMax: 64 * 1024,
  /** Rows a list call returns at most, whatever the caller asks. */
  listMax: 1000,
  /** Text fields of a kiosque record (id, transport, address, service, currency). */
  sessionFieldMax: 256,
  /** Bus topics ("chat.room"). */
  busTopicMax: 128,
  /**
   * A session checkpoint's state, as JSON: a screen mirror (1,000 cells and
   * two DRCS tables, a few KB once encoded), an input zone, a service's own
   * declared state and the meter fit well inside; a service that keeps more
   * belongs in the key-value store.
   */
  checkpointBytesMax: 64 * 1024,
  /** A resume token's hash: SHA-256 in hex. */
  tokenHashLength: 64,
} as const;

/**
 * Bounds of the PostgreSQL store and bus (postgres.ts, postgres-bus.ts).
 */
export const POSTGRES_LIMITS = {
  /**
   * A NOTIFY payload must be shorter than 8000 bytes (PostgreSQL's default
   * build); ours carries the message in a small envelope (sender, sequence,
   * topic), all counted here. A larger message is refused, not split: keep
   * big content in the store and publish its key.
   */
  notifyPayloadBytesMax: 7999,
  /**
   * Connections in a store's pool: enough for a gateway's bursts. Each
   * instance also holds two for its bus, so N instances need N × 12 under
   * the server's max_connections (100 by default).
   */
  poolSize: 10,
  /** How long opening a connection may take before the call fails (a firewall that drops packets would otherwise hang it). */
  connectTimeoutMs: 5000,
  /**
   * How long a call waits for a pooled connection while all are busy. Longer
   * than connectTimeoutMs on purpose: a full pool during a login wave (an
   * instance restarted, hundreds of Minitels dialling back) is load, not a
   * fault, and failing those calls after 5 s sent users home, who dialled
   * again and kept the queue long for minutes (the soak's recorded run).
   */
  poolWaitMs: 20_000,
  /** A query that has not answered in this long fails with TELETEL_E_STORE_UNAVAILABLE instead of holding a session forever. */
  queryTimeoutMs: 30_000,
  /** Bus reconnection: first wait, doubled after each failure up to the maximum, with jitter so instances do not reconnect in step. */
  reconnectFirstMs: 100,
  reconnectMaxMs: 10_000,
  /** The bus listener runs `SELECT 1` this often, so a connection that died silently (NAT, failover) is noticed. */
  listenerPingMs: 30_000,
  /** publish() waits at most this long for its own message to come back to local subscribers; past this it delivers it to them directly. */
  echoTimeoutMs: 2000,
  /**
   * Bus messages waiting to be sent (postgres-bus.ts): past this, publish
   * fails at once with TELETEL_E_STORE_UNAVAILABLE instead of growing
   * memory while the database is away. At 8,000 bytes at most each, 80 MB.
   */
  publishQueueMax: 10_000,
  /** Messages in one NOTIFY batch (one transaction), and their bytes: a batch stays a small query. */
  publishBatchMax: 500,
  publishBatchBytes: 512 * 1024,
  /** Own messages delivered directly (listener down or lost, echo late), remembered so a late echo is not delivered twice. */
  localDeliveriesMax: 1000,
} as const;

/** scrypt cost (node:crypto). N = 2^14 uses 16 MiB and about 50 ms per hash on a laptop. */
export const SCRYPT = {
  N: 16_384,
  r: 8,
  p: 1,
  keyBytes: 32,
  saltBytes: 16,
  /** Node's default maxmem (32 MiB) is enough for N = 2^14, r = 8; this leaves room. */
  maxmem: 64 * 1024 * 1024,
} as const;
