/** Checks shared by every Store implementation, so they refuse the same inputs with the same messages. */
import { StoreError } from './errors.js';
import { STORE_LIMITS } from './limits.js';
import type { AccountRole, CheckpointEntry, NewMailMessage, SessionCheckpoint, SessionRecord } from './store.js';

/** Letters, digits, '-', '_' and '.', starting with a letter or digit. */
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkLength(what: string, value: unknown, min: number, max: number): asserts value is string {
  if (typeof value !== 'string') throw new StoreError('TELETEL_E_VALUE', `${what} must be a string`);
  if (value.length < min) throw new StoreError('TELETEL_E_VALUE', `${what} must have at least ${min} character${min > 1 ? 's' : ''}`);
  if (value.length > max) {
    throw new StoreError('TELETEL_E_STORE_LIMIT', `${what} has ${value.length} characters; the limit is ${max}`);
  }
}

export function checkAccountName(name: unknown): asserts name is string {
  if (
    typeof name !== 'string' ||
    name.length < STORE_LIMITS.accountNameMin ||
    name.length > STORE_LIMITS.accountNameMax ||
    !ACCOUNT_NAME.test(name)
  ) {
    throw new StoreError(
      'TELETEL_E_ACCOUNT_NAME',
      `an account name has ${STORE_LIMITS.accountNameMin} to ${STORE_LIMITS.accountNameMax} letters, digits, '-', '_' or '.', starting with a letter or digit`,
    );
  }
}

export function checkPassword(password: unknown): asserts password is string {
  checkLength('password', password, STORE_LIMITS.passwordMin, STORE_LIMITS.passwordMax);
}

/** The case-insensitive key of an account name. */
export function nameKey(name: string): string {
  return typeof name === 'string' ? name.toLowerCase() : '';
}

export function checkListOptions(options: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const limit = options.limit ?? STORE_LIMITS.listMax;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0) throw new StoreError('TELETEL_E_VALUE', `limit must be a whole number ≥ 0, not ${String(limit)}`);
  if (!Number.isInteger(offset) || offset < 0) throw new StoreError('TELETEL_E_VALUE', `offset must be a whole number ≥ 0, not ${String(offset)}`);
  return { limit: Math.min(limit, STORE_LIMITS.listMax), offset };
}

/**
 * A kiosque record is checked before it is stored, so both stores refuse
 * the same bad records (a NaN date, a negative byte count) with the same
 * error instead of each failing its own way.
 */
export function checkSessionRecord(record: SessionRecord): void {
  if (typeof record !== 'object' || record === null) throw new StoreError('TELETEL_E_VALUE', 'a session record must be an object');
  checkLength('session id', record.id, 1, STORE_LIMITS.sessionFieldMax);
  checkLength('transport', record.transport, 1, STORE_LIMITS.sessionFieldMax);
  checkLength('address', record.address, 0, STORE_LIMITS.sessionFieldMax);
  if (record.service !== null) checkLength('service', record.service, 1, STORE_LIMITS.sessionFieldMax);
  checkLength('currency', record.currency, 0, STORE_LIMITS.sessionFieldMax);
  for (const [what, date] of [
    ['start', record.start],
    ['end', record.end],
  ] as const) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new StoreError('TELETEL_E_VALUE', `${what} must be a valid Date`);
  }
  for (const [what, n] of [
    ['bytesIn', record.bytesIn],
    ['bytesOut', record.bytesOut],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw new StoreError('TELETEL_E_VALUE', `${what} must be a whole number ≥ 0, not ${String(n)}`);
  }
  if (typeof record.cost !== 'number' || !Number.isFinite(record.cost)) {
    throw new StoreError('TELETEL_E_VALUE', `cost must be a finite number, not ${String(record.cost)}`);
  }
}

/** A message about to be sent, checked; its subject ('' when none is given). */
export function checkNewMail(message: NewMailMessage): string {
  checkLength('mailbox', message.mailbox, 1, STORE_LIMITS.mailboxMax);
  checkLength('sender', message.from, 1, STORE_LIMITS.senderMax);
  const subject = message.subject ?? '';
  checkLength('subject', subject, 0, STORE_LIMITS.subjectMax);
  checkLength('body', message.body, 0, STORE_LIMITS.bodyMax);
  return subject;
}

export function checkRole(role: AccountRole): void {
  if (role !== 'user' && role !== 'operator') {
    throw new StoreError('TELETEL_E_VALUE', `unknown account role '${String(role)}' (use 'user' or 'operator')`);
  }
}

export function accountExists(name: string): StoreError {
  return new StoreError('TELETEL_E_ACCOUNT_EXISTS', `the name '${name}' is already registered`);
}

export function accountUnknown(name: string): StoreError {
  return new StoreError('TELETEL_E_ACCOUNT_UNKNOWN', `no account named '${name}'`);
}

/** Message ids are decimal row numbers; anything else matches no message (and never reaches SQL as a number it is not). */
export function isMessageId(id: unknown): id is string {
  return typeof id === 'string' && /^[1-9][0-9]{0,15}$/.test(id);
}

/** A key-value value as the JSON text both stores keep, or the error saying why it cannot be kept. */
export function serialise(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new StoreError('TELETEL_E_VALUE', `the value cannot be stored as JSON: ${messageOf(error)}`, { cause: error });
  }
  if (json === undefined) throw new StoreError('TELETEL_E_VALUE', 'the value cannot be stored as JSON (undefined or a function)');
  if (Buffer.byteLength(json) > STORE_LIMITS.valueBytesMax) {
    throw new StoreError(
      'TELETEL_E_STORE_LIMIT',
      `the value is ${Buffer.byteLength(json)} bytes as JSON; the limit is ${STORE_LIMITS.valueBytesMax}`,
    );
  }
  return json;
}

export function clampLimit(limit: number): number {
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, STORE_LIMITS.listMax) : STORE_LIMITS.listMax;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A checkpoint and its token hash, checked before anything is written (limits.ts). */
export function checkCheckpoint(checkpoint: SessionCheckpoint, tokenHash: string): void {
  if (typeof checkpoint !== 'object' || checkpoint === null) throw new StoreError('TELETEL_E_VALUE', 'a checkpoint must be an object');
  checkLength('session id', checkpoint.sessionId, 1, STORE_LIMITS.sessionFieldMax);
  checkTokenHash(tokenHash);
  if (!Number.isSafeInteger(checkpoint.version) || checkpoint.version < 0) {
    throw new StoreError('TELETEL_E_VALUE', 'a checkpoint version must be a whole number from 0');
  }
  if (typeof checkpoint.state !== 'string') throw new StoreError('TELETEL_E_VALUE', 'a checkpoint state must be JSON text');
  const bytes = Buffer.byteLength(checkpoint.state);
  if (bytes > STORE_LIMITS.checkpointBytesMax) {
    throw new StoreError('TELETEL_E_STORE_LIMIT', `the checkpoint is ${bytes} bytes; the limit is ${STORE_LIMITS.checkpointBytesMax}`);
  }
  for (const [what, date] of [
    ['savedAt', checkpoint.savedAt],
    ['expiresAt', checkpoint.expiresAt],
  ] as const) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new StoreError('TELETEL_E_VALUE', `${what} must be a valid Date`);
  }
}

/**
 * The entries of a saveMany, checked whole before anything is written. A
 * conditional entry must be its session's only one: its condition is about
 * the row before the call, which a second entry would have changed.
 */
export function checkCheckpointEntries(entries: readonly CheckpointEntry[]): void {
  const seen = new Map<string, boolean>();
  for (const { checkpoint, tokenHash, replaces } of entries) {
    checkCheckpoint(checkpoint, tokenHash);
    if (replaces !== undefined && replaces !== null) checkTokenHash(replaces);
    const conditional = replaces !== undefined;
    const before = seen.get(checkpoint.sessionId);
    if (before !== undefined && (before || conditional)) {
      throw new StoreError('TELETEL_E_VALUE', `session ${checkpoint.sessionId} is given twice, with a condition on its row`);
    }
    seen.set(checkpoint.sessionId, conditional);
  }
}

/** A token hash as the gateway makes them: SHA-256 in lowercase hex. */
export function checkTokenHash(tokenHash: unknown): asserts tokenHash is string {
  if (typeof tokenHash !== 'string' || tokenHash.length !== STORE_LIMITS.tokenHashLength || !/^[0-9a-f]+$/.test(tokenHash)) {
    throw new StoreError('TELETEL_E_VALUE', `a token hash is ${STORE_LIMITS.tokenHashLength} lowercase hex digits`);
  }
}

/** A time given to claim/purge: now when omitted. */
export function timeOf(now: Date | undefined): number {
  const ms = (now ?? new Date()).getTime();
  if (Number.isNaN(ms)) throw new StoreError('TELETEL_E_VALUE', 'now must be a valid Date');
  return ms;
}
