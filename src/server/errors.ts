/**
 * Errors the gateway raises, each with a stable `code` so scripts and tests
 * can tell them apart, and a message that says what to do about it.
 */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The configuration cannot work: a bad port, an unwritable data folder, a missing serial device… */
export class ConfigError extends ServerError {
  constructor(
    message: string,
    /** Every problem found, one message each (the message joins them). */
    readonly problems: readonly string[] = [message],
  ) {
    super(message, 'TELETEL_E_CONFIG');
  }
}

/** A port could not be opened (in use, no permission). */
export class ListenError extends ServerError {
  constructor(message: string) {
    super(message, 'TELETEL_E_LISTEN');
  }
}

/** The serial line could not be opened or no Minitel answered on it. */
export class SerialError extends ServerError {
  constructor(message: string) {
    super(message, 'TELETEL_E_SERIAL');
  }
}

/** A service queued more Protocole commands than `commandQueueBytes`. */
export class CommandQueueFull extends ServerError {
  constructor(limit: number) {
    super(`A service queued more than ${limit} bytes of commands without them being sent; check it waits for drained().`, 'TELETEL_E_COMMAND_QUEUE');
  }
}
