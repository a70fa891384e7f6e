/**
 * Every bound the gateway puts on its clients, in one place, with its default
 * and the reason for it. A config file may override any of them (`limits` key);
 * `validateLimits` checks the result.
 *
 * The rule behind them: bad input is normal input. Each byte a client sends
 * has a defined cost, every buffer has a ceiling, and a client that breaks a
 * rule loses its own session only.
 *
 * Memory per session is therefore bounded whatever the client does: a mirror
 * and a wanted screen (two Terminals, about 9 KB each), the key parser's 8
 * pending bytes (src/videotex/key-parser.ts), at most `maxFrameBytes` of one
 * input message, at most `commandQueueBytes` of queued commands, and at most
 * `outputBufferBytes` (plus one diff, under 4 KB) waiting in the transport;
 * the telnet filter holds a few counters, never the bytes it skips, and
 * answers at most `telnetReplies` negotiations.
 */
export interface ServerLimits {
  /** Sessions across all transports. */
  maxSessions: number;
  /** Sessions from one remote address (IP; the serial line counts as one). */
  maxSessionsPerAddress: number;
  /** Largest WebSocket message accepted; `ws` refuses a bigger frame from its header, before buffering it. */
  maxFrameBytes: number;
  /** Input rate per session, in bytes per second (token bucket refill). */
  inputBytesPerSecond: number;
  /** Input burst per session, in bytes (token bucket size). */
  inputBurstBytes: number;
  /**
   * After a chunk over the input rate, the connection stops reading for the time the
   * bucket takes to refill by half, at most this long: a flood then costs the client
   * TCP backpressure instead of costing the gateway CPU to read and drop it.
   */
  inputPauseMaxMs: number;
  /** An HTTP request (and so a WebSocket upgrade) must arrive complete within this time. */
  handshakeTimeoutMs: number;
  /** Time a terminal has to answer ENQROM before it gets the Minitel 1B profile. */
  enqromTimeoutMs: number;
  /** Bytes written but not yet taken by the client; past this the client is a slow reader and is dropped. */
  outputBufferBytes: number;
  /** Unthrottled lines (speed 0) stop pulling updates while this much is still buffered. */
  outputHighWaterBytes: number;
  /** A session whose output has not moved for this long while bytes wait is dropped (a client that never reads). */
  slowReaderTimeoutMs: number;
  /** Protocole commands queued by a service and not yet sent; more is a service bug and is refused. */
  commandQueueBytes: number;
  /** No key for this long ends the session (0 = never). */
  idleTimeoutMs: number;
  /** The row-0 warning comes this long before the idle timeout (at most half the timeout; 0 = no warning). */
  idleWarningMs: number;
  /** Longest session, whatever the activity (0 = no limit). */
  maxSessionMs: number;
  /** WebSocket ping period; a client that missed the previous pong is dropped. */
  pingIntervalMs: number;
  /** On shutdown, time given to each session to show its goodbye before the socket closes. */
  shutdownGraceMs: number;
  /** A telnet subnegotiation (`IAC SB … IAC SE`) longer than this is skipped, not stored. */
  telnetSubnegotiationBytes: number;
  /** Telnet negotiations answered per connection; later ones are taken out of the input unanswered. */
  telnetReplies: number;
  /**
   * A session whose WebSocket client asked to be resumable (subprotocol
   * teletel.resume.v1) outlives a dropped link this long, waiting for the
   * client to come back with its token (0 = sessions end with their link).
   */
  resumeWindowMs: number;
  /**
   * A running session whose client holds a resume token (or code) is
   * checkpointed in the store when it changed, about this often (within half
   * a housekeeping tick), so a crash of the instance (no hand-over) loses at
   * most this much of it (0 = only when the instance stops).
   */
  checkpointEveryMs: number;
}

export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  // One process holds about 5,000 sessions in 30 KB each (bench/server.bench.ts);
  // 10,000 leaves headroom without letting a flood take all memory.
  maxSessions: 10_000,
  // A household or a classroom behind one NAT address; an attacker opening
  // thousands of sockets from one address is stopped here.
  maxSessionsPerAddress: 32,
  // A Minitel sends at most a few bytes per key; an emulator's paste of a long
  // text is the largest legitimate message. 4 KB is 34 s of 1200-baud typing.
  maxFrameBytes: 4096,
  // A 1200-baud line carries 120 bytes/s (p.47) and a Minitel 2 DIN port at
  // 9600 carries 960: 1,000 bytes/s never drops a real terminal's keys.
  inputBytesPerSecond: 1000,
  // One full message of paste at once.
  inputBurstBytes: 4096,
  // Half the default burst refills in about 2 s; a second is enough to throttle a flood
  // and short enough that a client that only pasted too much is not left waiting.
  inputPauseMaxMs: 1000,
  // Enough for a phone on a bad network; short enough that a slowloris holds nothing for long.
  handshakeTimeoutMs: 10_000,
  // A Minitel answers in a few ms at 1200 baud (5 bytes = 42 ms); a WebSocket
  // round trip across the world is under 500 ms. Longer only delays capabilities.
  enqromTimeoutMs: 1500,
  // A full Videotex page is 1–3 KB; 64 KB is twenty pages that the client has not taken.
  outputBufferBytes: 64 * 1024,
  // Two pages in flight on an unthrottled link, then updates collapse into one diff.
  outputHighWaterBytes: 8 * 1024,
  // A real line that stalls for 30 s is gone; this frees its memory and its slot.
  slowReaderTimeoutMs: 30_000,
  // Commands are a few bytes (PRO1/2/3, BEL); 4 KB is hundreds of them.
  commandQueueBytes: 4096,
  // Télétel dropped idle connections after a few minutes; 15 minutes is generous.
  idleTimeoutMs: 15 * 60_000,
  idleWarningMs: 60_000,
  // Kiosque sessions were billed by time; 4 hours bounds a forgotten browser tab.
  maxSessionMs: 4 * 3600_000,
  // Under the 60 s idle timeout of common proxies and load balancers.
  pingIntervalMs: 30_000,
  // A row-0 goodbye is ~40 bytes: a third of a second at 1200 baud.
  shutdownGraceMs: 2000,
  // Real negotiations (terminal type, window size) are under 40 bytes.
  telnetSubnegotiationBytes: 64,
  // A telnet client negotiates a dozen options when it connects. Negotiation is not
  // input the rate limit sees, and each answer is a write: past this it is a flood.
  telnetReplies: 64,
  // A WiFi bridge that reassociates, a phone moving from WiFi to 4G, a laptop lid
  // closed for a minute: two minutes covers them; a detached session still counts
  // against maxSessions, so the window also bounds what abandoned ones hold.
  resumeWindowMs: 120_000,
  // A checkpoint is a store write of about 2-8 KB: every few seconds per active user
  // is cheap next to its keys, and a crash then costs a user a few seconds of typing.
  checkpointEveryMs: 3_000,
});

/** Bounds on the bounds: what a config file may set each limit to. */
const RANGES: Readonly<Record<keyof ServerLimits, readonly [number, number]>> = {
  maxSessions: [1, 1_000_000],
  maxSessionsPerAddress: [1, 1_000_000],
  maxFrameBytes: [16, 16 * 1024 * 1024],
  inputBytesPerSecond: [1, 100_000_000],
  inputBurstBytes: [1, 100_000_000],
  inputPauseMaxMs: [0, 60_000],
  handshakeTimeoutMs: [100, 600_000],
  enqromTimeoutMs: [10, 60_000],
  outputBufferBytes: [1024, 1024 * 1024 * 1024],
  outputHighWaterBytes: [256, 1024 * 1024 * 1024],
  slowReaderTimeoutMs: [10, 3_600_000],
  commandQueueBytes: [16, 16 * 1024 * 1024],
  idleTimeoutMs: [0, 7 * 24 * 3_600_000],
  idleWarningMs: [0, 7 * 24 * 3_600_000],
  maxSessionMs: [0, 365 * 24 * 3_600_000],
  pingIntervalMs: [10, 3_600_000],
  shutdownGraceMs: [0, 600_000],
  telnetSubnegotiationBytes: [3, 65_536],
  telnetReplies: [1, 65_536],
  resumeWindowMs: [0, 24 * 3_600_000],
  checkpointEveryMs: [0, 3_600_000],
};

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof ServerLimits)[];

/**
 * The limits with `overrides` applied. Returns the problems found (unknown
 * names, values out of range) as messages that say what to fix.
 */
export function resolveLimits(overrides: unknown, where: string): { limits: ServerLimits; problems: string[] } {
  const limits: ServerLimits = { ...DEFAULT_LIMITS };
  const problems: string[] = [];
  if (overrides === undefined) return { limits, problems };
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    problems.push(`${where}: "limits" must be an object such as {"maxSessions": 2000}.`);
    return { limits, problems };
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in RANGES)) {
      problems.push(`${where}: unknown limit "${name}"; known limits: ${LIMIT_NAMES.join(', ')}.`);
      continue;
    }
    const [min, max] = RANGES[name as keyof ServerLimits];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${where}: limit "${name}" must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`);
      continue;
    }
    limits[name as keyof ServerLimits] = value;
  }
  if (limits.outputHighWaterBytes > limits.outputBufferBytes) {
    problems.push(`${where}: "outputHighWaterBytes" (${limits.outputHighWaterBytes}) must not exceed "outputBufferBytes" (${limits.outputBufferBytes}).`);
  }
  return { limits, problems };
}

/**
 * Fixed bounds on connections before and after their session (not settable:
 * they only guard against clients that do not play along).
 */
export const CONNECTION_LIMITS = {
  /** Connections the kernel queues while the process is busy (capped by net.core.somaxconn). */
  listenBacklog: 2048,
  /** Bytes of an HTTP request's headers: a WebSocket upgrade from a browser is under 1 KB; half Node's default. */
  httpHeaderBytes: 8192,
  /** Headers in one HTTP request: a browser's upgrade sends about 15. */
  httpHeaders: 64,
  /** TCP connections accepted past `maxSessions`, only to be told "Serveur complet" and closed. */
  tcpRefusalSlots: 16,
  /** A client that does not answer the close (WebSocket close frame, TCP FIN) is cut after this. */
  closeGraceMs: 5000,
  /** A refused client that does not read its answer (503, 404, "Serveur complet") is cut after this. */
  refusalGraceMs: 1000,
} as const;

/** Pacing speeds a line may be given (`--ws-speed`, `--tcp-speed`, `?speed=`), besides 0 (unthrottled), in baud. */
export const PACING_SPEED = { min: 50, max: 115_200 } as const;

/**
 * `teletel serve --dev`: how the services folder is watched
 * (service-folders.ts). Not client bounds, but bounds all the same.
 */
export const SERVICE_WATCH_LIMITS = {
  /** Quiet time after the last change in a folder before it is loaded again: an editor saves in several writes and renames. */
  debounceMs: 100,
  /** Folder levels watched inside one service folder (pages/, lib/…), where the platform has no recursive watch. */
  depth: 4,
  /** Folders watched inside one service folder: each costs an inotify watch, and Linux allows a user 8192 by default on older kernels. */
  directories: 256,
} as const;

/**
 * Session checkpoints and resume tokens (checkpoints.ts, resume-token.ts):
 * a session that lost its link may be resumed, on this instance or another
 * one sharing the database, for this long after its last checkpoint.
 */
export const RESUME_LIMITS = {
  /** A checkpoint outlives its session's link this long: a WiFi bridge that drops and reconnects, a deploy. */
  checkpointTtlMs: 5 * 60_000,
  /** A token's random part, in bytes: 256 bits, so guessing one is hopeless. */
  tokenRandomBytes: 32,
  /** The longest token text accepted from a client; a longer one is refused before it is hashed. */
  tokenMaxLength: 320,
  /**
   * A service's declared state (TerminalLink.keepState), as JSON: past this it
   * is left out of the checkpoint (the visit then starts again at the
   * service's top) rather than pushing the checkpoint past the store's limit,
   * which would cost the whole hand-over.
   */
  serviceStateBytes: 16 * 1024,
  /**
   * Resume codes (resume-code.ts), for links that cannot hold a token (TCP,
   * serial): letters typed on a Minitel keyboard, from an alphabet of 32
   * (40 bits at 8). With at most `codeFailures` wrong codes per address per
   * `codeFailureWindowMs`, finding someone's live code is hopeless within the
   * few minutes a checkpoint lives.
   */
  codeLength: 8,
  codeFailures: 5,
  codeFailureWindowMs: 15 * 60_000,
  /** Addresses whose wrong codes are remembered; past this the oldest are forgotten, so memory stays bounded. */
  codeTrackedAddresses: 10_000,
} as const;
