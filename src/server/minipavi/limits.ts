/**
 * Every bound the MiniPavi adapter puts on a remote service, with why. A
 * service is a program on someone else's server: slow, broken or hostile
 * answers are expected, and each costs the session one clear message.
 */
export const MINIPAVI_LIMITS = {
  /** A service that has not answered in this long has failed this call (the user waits on a blank screen meanwhile). */
  timeoutMs: 5000,
  /** The whole HTTP answer: a full Videotex page is under 4 KB; 64 KB of context and some commands fit with room to spare. */
  answerBytes: 512 * 1024,
  /** Decoded Videotex content of one answer. */
  contentBytes: 256 * 1024,
  /** The context a service keeps between calls, as the protocol defines it. */
  contextCharacters: 65_000,
  /** Redirects followed for one call, each to an allowed host. */
  redirects: 3,
  /**
   * Direct calls in a row (directcall: yes) the gateway makes; then it waits
   * for the user, as MiniPavi does after 5, with a log line: MiniPaviCli
   * answers directcall yes whenever a service leaves it unset, so a chain
   * that never ends is a service's habit, not a failure.
   */
  directCalls: 5,
  /** Keys typed while the service is being called, kept to be handled after its answer (MiniPavi leaves them in the socket). */
  queuedKeys: 64,
  /** Fields of one InputForm. */
  formFields: 24,
  /** Messages of one PushServiceMsg. */
  pushMessages: 100,
  /** A pushed message fits row 0 three times over; a uniqueId is a session id (a UUID), with room. */
  pushTextCharacters: 120,
  pushIdCharacters: 64,
  /** URLPARAMS keys kept from a service URL's query. */
  urlParams: 32,
  /** A `next` URL longer than this is refused (allowedUrl), and never logged whole. */
  urlCharacters: 2048,
  /** A connectToWs or connectToTln host longer than this is refused: a name and a port fit many times over. */
  onwardHostCharacters: 300,
  /** A connectToTln startseq: a login line or a few keys, never a page. */
  startSequenceBytes: 256,
  /** An onward server that has not connected (TCP, and the WebSocket handshake) in this long has failed, as MiniPavi's 5 s. */
  onwardConnectMs: 5000,
  /** An onward connection ends after this long, as on MiniPavi (one hour): the service then has the user back. */
  onwardMaxMs: 3_600_000,
  /**
   * Bytes from the onward server written into the visit's screen and not yet
   * sent to the user: past this the server's socket is paused until the line
   * has drained. The screen keeps only its latest state, so this is not a
   * buffer that grows: it bounds the decoding work a flooding server causes
   * (a 1200-baud line takes 120 bytes a second; 16 KiB is over two minutes).
   */
  onwardPendingBytes: 16 * 1024,
  /** One WebSocket message from the onward server: a full page is under 4 KB; more closes the connection. */
  onwardMessageBytes: 64 * 1024,
  /** A WebSocket onward server that does not answer the close handshake in this long is cut. */
  onwardCloseMs: 1000,
  /** Key bytes typed while the onward connection is being made, sent once it is up (past this, later keys are dropped: a few seconds of typing). */
  onwardEarlyKeyBytes: 256,
  /**
   * BackgroundCall (background.ts): entries read from one command; the rest
   * are refused with a log line. MiniPaviCli services schedule a handful.
   */
  backgroundEntries: 50,
  /**
   * Background calls waiting, per service and per instance: past this a new
   * one is refused (log line, metric), so a service cannot fill the
   * gateway's memory with timers. They are held in memory only: a restart
   * loses them.
   */
  backgroundPending: 1000,
  /** How far ahead a background call may be scheduled; a later time is refused (a past one runs at once). */
  backgroundAheadMs: 24 * 3_600_000,
  /**
   * Tries of one background call (simulate false) that fails to get an
   * answer; MiniPavi tries 5 times in a row. Fewer here: each try may wait
   * the whole timeout, and nobody is waiting for the answer.
   */
  backgroundTries: 3,
} as const;
