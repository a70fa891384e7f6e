/** Small helpers shared by the SDK's and services' tests. */
import { SdkError, type SdkErrorCode } from './errors.js';

export function isSdkErrorWithCode(error: unknown, code: SdkErrorCode): boolean {
  return error instanceof SdkError && error.code === code;
}
