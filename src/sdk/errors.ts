/**
 * Errors of the service SDK, each with a stable code. Two of them are not
 * failures but ways out of a visit, thrown through the author's code and
 * caught by the SDK's top level:
 *
 * - SessionClosedError: the user hung up (the link's `closed` aborted); every
 *   pending `await s.…` rejects with it. The SDK ends the visit quietly.
 * - SommaireSignal: the user pressed Sommaire where the service did not
 *   handle it; the SDK starts the service's handler again (its summary).
 * - LeaveSignal: the user pressed Connexion/Fin, or the service called
 *   `s.leave()`; the visit ends normally.
 *
 * An author who catches errors should rethrow these (see `isControlSignal`).
 */

export type SdkErrorCode =
  | 'TELETEL_E_SESSION_CLOSED'
  | 'TELETEL_E_SOMMAIRE'
  | 'TELETEL_E_LEAVE'
  | 'TELETEL_E_SERVICE_DEFINITION'
  | 'TELETEL_E_PAGE'
  | 'TELETEL_E_FIELD'
  | 'TELETEL_E_INPUT_BUSY'
  | 'TELETEL_E_SERVICE_FOLDER'
  | 'TELETEL_E_RESTART_LOOP'
  | 'TELETEL_E_TEST_TIMEOUT';

export class SdkError extends Error {
  constructor(
    readonly code: SdkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SdkError';
  }
}

export class SessionClosedError extends SdkError {
  constructor(reason?: unknown) {
    super('TELETEL_E_SESSION_CLOSED', 'the user left: the session is closed', { cause: reason });
    this.name = 'SessionClosedError';
  }
}

export class SommaireSignal extends SdkError {
  constructor() {
    super('TELETEL_E_SOMMAIRE', 'Sommaire: back to the start of the service');
    this.name = 'SommaireSignal';
  }
}

export class LeaveSignal extends SdkError {
  constructor() {
    super('TELETEL_E_LEAVE', 'the visit is over');
    this.name = 'LeaveSignal';
  }
}

/** One problem in a services folder, located as precisely as known. */
export interface FolderProblem {
  /** The file at fault (service.json, a .vdt page…), as a path. */
  file: string;
  message: string;
  line?: number;
  column?: number;
}

/** A service folder that cannot be loaded, with every problem found in it. */
export class ServiceFolderError extends SdkError {
  constructor(
    readonly folder: string,
    readonly problems: readonly FolderProblem[],
  ) {
    super('TELETEL_E_SERVICE_FOLDER', problems.map(formatProblem).join('\n'));
    this.name = 'ServiceFolderError';
  }
}

export function formatProblem(problem: FolderProblem): string {
  const where =
    problem.line === undefined ? problem.file : `${problem.file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return `${where}: ${problem.message}`;
}

/** True for the errors the SDK uses to leave or restart a visit; code that catches errors should rethrow these. */
export function isControlSignal(error: unknown): boolean {
  return error instanceof SessionClosedError || error instanceof SommaireSignal || error instanceof LeaveSignal;
}

export function isSessionClosed(error: unknown): error is SessionClosedError {
  return error instanceof SessionClosedError;
}

/** A file-system error's code (ENOENT, EACCES…), or its message when it has none. */
export function codeOf(error: unknown): string {
  return (error as { code?: unknown } | undefined)?.code?.toString() ?? messageOf(error);
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
