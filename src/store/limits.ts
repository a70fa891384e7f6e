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
