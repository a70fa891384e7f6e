/** Checks shared by every Store implementation, so they refuse the same inputs with the same messages. */
import { StoreError } from './errors.js';
import { STORE_LIMITS } from './limits.js';

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
