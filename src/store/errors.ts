/** Errors the store throws, each with a stable code a caller can test. */

export type StoreErrorCode =
  | 'TELETEL_E_STORE_CLOSED'
  | 'TELETEL_E_STORE_LIMIT'
  | 'TELETEL_E_STORE_OPEN'
  | 'TELETEL_E_STORE_VERSION'
  | 'TELETEL_E_STORE_UNSUPPORTED'
  /** The database server did not answer or dropped the connection (PostgreSQL); the call may be retried. */
  | 'TELETEL_E_STORE_UNAVAILABLE'
  /** A bus message from another instance was not one Teletel sends; it was dropped. */
  | 'TELETEL_E_BUS_MESSAGE'
  | 'TELETEL_E_ACCOUNT_EXISTS'
  | 'TELETEL_E_ACCOUNT_NAME'
  | 'TELETEL_E_ACCOUNT_UNKNOWN'
  | 'TELETEL_E_VALUE';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
