/**
 * The gateway: HTTP + WebSocket on one port, raw TCP/telnet on another, a
 * Minitel on a serial line, all feeding sessions (session.ts) that route to
 * services. It owns what sessions share: the timer wheel, the limits, the
 * metrics, the store, the service directory.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { encodeDiff } from '../videotex/encode.js';
import type { Service, ServiceContext, ServiceLogger } from '../sdk/service.js';
import type { Store } from '../store/store.js';
import type { ServerConfig } from './config.js';
import { DiffCache } from './diff-cache.js';
import { ServiceDirectory } from './directory.js';
import { createHttpHandler } from './http.js';
import { CONNECTION_LIMITS, type ServerLimits } from './limits.js';
import { GatewayMetrics } from './metrics.js';
import type { DiffEncoder } from './pacer.js';
import { ResumableSessions } from './resumable.js';
import { SessionCheckpoints } from './checkpoints.js';
import { OwnedCheckpoints } from './owned-checkpoints.js';
import { RunningCheckpoints } from './running-checkpoints.js';
import { hashToken } from './resume-token.js';
import { CodeFailures, readResumeCode } from './resume-code.js';
import { TakenNotices } from './taken-notices.js';
import type { Bus } from '../store/bus.js';
import { readSessionState, SESSION_STATE_VERSION } from './session-state.js';
import { Session, type Connection, type SessionHost, type SessionOptions } from './session.js';
import type { SessionState } from './session-state.js';
import type { SessionFactory } from './transports/factory.js';
import { SerialTransport } from './transports/serial.js';
import { listenError, TcpTransport } from './transports/tcp.js';
import { WebSocketTransport } from './transports/websocket.js';
import { TimerWheel } from './wheel.js';

export interface GatewayOptions {
  config: ServerConfig;
  /** The services offered (the built-ins from src/services by default; tests bring their own). */
  services: readonly Service[];
  store: Store;
  log: Logger;
  /** Screen diff encoder (src/videotex/encode.ts by default). */
  encode?: DiffEncoder;
  /** Node process metrics on /metrics (default on; tests running many gateways turn them off). */
  processMetrics?: boolean;
  /** The store's bus (shared by the instances of one PostgreSQL database): sessions taken from a checkpoint are announced on it (taken-notices.ts). */
  bus?: Bus;
}

export interface GatewayAddress {
  host: string;
  port: number;
  tcpPort: number | null;
}

/** Goodbye on row 0 when the server stops. */
const SHUTDOWN_MESSAGE = 'Serveur en maintenance. A bientôt';

export class Gateway implements SessionHost, SessionFactory {
  readonly wheel = new TimerWheel();
  readonly diffCache = new DiffCache();
  readonly encode: DiffEncoder;
  readonly limits: ServerLimits;
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  readonly store: Store;
  readonly context: ServiceContext;
  readonly startedAt = Date.now();
  stopping = false;

  /** Replaced whole by `replaceServices`, never changed in place: a lookup sees one version or the other. */
  private services: ServiceDirectory;
  private readonly sessions = new Set<Session>();
  private readonly perAddress = new Map<string, number>();
  /** Sessions whose clients hold a resume token (WebSocket, teletel.resume.v1). */
  private readonly resumes = new ResumableSessions<Session>();
  private readonly codeFailures = new CodeFailures();
  private readonly taken: TakenNotices;
  /** Sessions handed over by an instance that stopped, in the store (shared by instances on one database). */
  private readonly checkpoints: SessionCheckpoints<SessionState>;
  /** The same, for this instance's sessions: each writes and deletes only its own row (owned-checkpoints.ts). */
  private readonly owned: OwnedCheckpoints<SessionState, Session>;
  private readonly running: RunningCheckpoints<SessionState, Session>;
  private readonly http: HttpServer;
  private readonly websocket: WebSocketTransport;
  private tcp: TcpTransport | undefined;
  private serial: SerialTransport | undefined;
  private housekeepingTimer: NodeJS.Timeout | undefined;
  private housekeepingMs = 1000;
  private address: GatewayAddress | undefined;
  private emptied: (() => void) | undefined;

  constructor(private readonly options: GatewayOptions) {
    const { config } = options;
    this.limits = config.limits;
    this.log = options.log;
    this.store = options.store;
    this.encode = options.encode ?? ((from, to) => encodeDiff(from, to));
    this.metrics = new GatewayMetrics({ processMetrics: options.processMetrics });
    this.checkpoints = new SessionCheckpoints(options.store.checkpoints, {
      version: SESSION_STATE_VERSION,
      validate: readSessionState,
      ttlMs: Math.max(1, config.limits.resumeWindowMs),
    });
    this.owned = new OwnedCheckpoints(this.checkpoints);
    this.running = new RunningCheckpoints(
      this.owned,
      (session) => this.resumes.tokenHash(session),
      this.log,
      (session) => this.takenElsewhere(session),
    );
    this.taken = new TakenNotices(
      options.bus,
      (sessionId) => {
        const copy = [...this.sessions].find((session) => session.id === sessionId);
        if (copy !== undefined) this.takenElsewhere(copy);
      },
      this.log,
    );
    this.services = new ServiceDirectory(options.services);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read by the /health getters and by GUIDE
    const gateway = this;
    this.context = { store: options.store, log: serviceLogger(options.log), services: () => gateway.directory.list() };
    this.http = createServer(
      {
        // A request (and a WebSocket upgrade) must arrive whole within the handshake timeout
        // (slowloris), checked this often (Node's default is every 30 s).
        headersTimeout: config.limits.handshakeTimeoutMs,
        requestTimeout: config.limits.handshakeTimeoutMs,
        connectionsCheckingInterval: Math.max(100, Math.min(1000, config.limits.handshakeTimeoutMs / 4)),
        maxHeaderSize: CONNECTION_LIMITS.httpHeaderBytes,
      },
      createHttpHandler({
        publicDir: config.publicDir,
        metrics: this.metrics,
        status: {
          get stopping() {
            return gateway.stopping;
          },
          get sessions() {
            return gateway.sessions.size;
          },
          startedAt: this.startedAt,
        },
        log: this.log,
        tcpPort: () => this.address?.tcpPort ?? null,
      }),
    );
    this.http.maxHeadersCount = CONNECTION_LIMITS.httpHeaders;
    this.websocket = new WebSocketTransport(this.http, this, config.websocketSpeed);
  }

  /** The services offered now. */
  get directory(): ServiceDirectory {
    return this.services;
  }

  /**
   * Offers `services` from now on (`teletel serve --dev` after a change on
   * disk). Checked whole first: on a ConfigError the current list stays.
   * New visits get the new services; visits already running keep theirs.
   */
  replaceServices(services: readonly Service[]): void {
    this.services = new ServiceDirectory(services);
  }

  /** Open sessions. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Every open session's state, as a checkpoint would keep it (session-state.ts). */
  sessionStates(): SessionState[] {
    return [...this.sessions].filter((session) => !session.ended).map((session) => session.state());
  }

  /** Listens on every configured port and opens the serial line. */
  async start(): Promise<GatewayAddress> {
    const { config } = this.options;
    const port = await new Promise<number>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, config.port, config.host, '--port'));
      this.http.once('error', onError);
      this.http.listen({ port: config.port, host: config.host, backlog: CONNECTION_LIMITS.listenBacklog }, () => {
        this.http.off('error', onError);
        const address = this.http.address();
        resolve(typeof address === 'object' && address !== null ? address.port : config.port);
      });
    });
    let tcpPort: number | null = null;
    try {
      if (config.tcpPort !== null) {
        this.tcp = new TcpTransport(this, config.tcpSpeed);
        tcpPort = await this.tcp.listen(config.tcpPort, config.host);
      }
      if (config.serial !== null) {
        this.serial = new SerialTransport(this, { path: config.serial, speed: config.serialSpeed, framing: config.serialFraming }, this.log);
        await this.serial.start();
      }
    } catch (error) {
      await this.closeListeners();
      throw error;
    }
    const limits = this.limits;
    const period = Math.max(
      50,
      Math.min(1000, limits.slowReaderTimeoutMs / 4, limits.pingIntervalMs / 2, (limits.idleWarningMs || Infinity) / 4, (limits.idleTimeoutMs || Infinity) / 4),
    );
    this.housekeepingMs = period;
    this.housekeepingTimer = setInterval(() => this.housekeeping(), period);
    this.taken.start();
    this.housekeepingTimer.unref();
    this.address = { host: config.host, port, tcpPort };
    this.log.info({ host: config.host, port, tcpPort, serial: config.serial, services: this.directory.size }, 'teletel gateway listening');
    // Checkpoints whose clients never came back; the next ones expire on their own when claimed.
    this.checkpoints.purge().catch((error: unknown) => this.log.warn({ err: error }, 'expired session checkpoints not purged'));
    return this.address;
  }

  /**
   * Stops: no new connections, a goodbye on row 0 of every session, sockets
   * closed once it is shown (at most `shutdownGraceMs`), then the store.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.taken.stop();
    this.log.info({ sessions: this.sessions.size }, 'shutting down');
    clearInterval(this.housekeepingTimer);
    const allEnded = new Promise<void>((resolve) => {
      if (this.sessions.size === 0) resolve();
      else this.emptied = resolve;
    });
    // Running checkpoints being written must land before the hand-over's, which are newer.
    await this.running.stop();
    await this.handOver();
    for (const session of [...this.sessions]) session.hangUp('shutdown', SHUTDOWN_MESSAGE);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allEnded, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.limits.shutdownGraceMs + 500)))]);
    clearTimeout(timer);
    for (const session of [...this.sessions]) session.connectionLost('shutdown');
    await this.closeListeners();
    this.wheel.stop();
    for (const service of this.services.all()) {
      try {
        service.stop?.();
      } catch (error) {
        this.log.warn({ err: error, service: service.code }, 'service did not stop cleanly');
      }
    }
    try {
      await this.store.close();
    } catch (error) {
      this.log.error({ err: error }, 'store did not close cleanly');
    }
    this.log.info('stopped');
  }

  // ---- SessionFactory --------------------------------------------------------------

  admit(address: string, resumeToken?: string): string | null {
    let reason: string | null = null;
    if (this.stopping) reason = 'stopping';
    // Taking a session back adds none: the limits were met when it started.
    else if (resumeToken !== undefined && this.resumes.peek(resumeToken) !== undefined) reason = null;
    else if (this.sessions.size >= this.limits.maxSessions) reason = 'max-sessions';
    else if ((this.perAddress.get(address) ?? 0) >= this.limits.maxSessionsPerAddress) reason = 'max-sessions-per-address';
    if (reason !== null) this.metrics.rejectedConnection(reason);
    return reason;
  }

  open(connection: Connection, options: SessionOptions): Session {
    const session = new Session(this, connection, options);
    this.sessions.add(session);
    this.countAddress(connection.address, +1);
    // Before start: the home page, drawn at once when the terminal is known, shows the code.
    this.giveResumeCode(session);
    session.start();
    this.offerResume(session);
    return session;
  }

  /**
   * `*CODE` typed at the home page of `current`: the session the code names,
   * detached here or checkpointed by any instance, takes `current`'s link,
   * and `current` ends. Wrong codes count against the address (resume-code.ts).
   */
  async resumeWithCode(current: Session, typed: string): Promise<string | undefined> {
    const address = current.address;
    if (!this.codeFailures.allowed(address)) {
      this.metrics.resume('refused');
      this.log.warn({ session: current.id, address }, 'resume code refused: too many wrong codes from this address');
      return 'Trop de codes faux : réessayez plus tard';
    }
    const read = readResumeCode(typed);
    if (read === null) return this.wrongCode(current, 'malformed');
    const here = this.resumes.peekCode(typed);
    if (here !== undefined) {
      // Only a session whose link has gone: a code read over someone's shoulder does not take a live one.
      if (here === current || !here.detached) return this.wrongCode(current, 'the session is on a line');
      this.resumes.claimCode(typed);
      const connection = current.yieldLink();
      this.countAddress(here.address, -1);
      here.reattach(connection);
      connection.session = here;
      this.countAddress(connection.address, +1);
      this.metrics.resume('resumed');
      this.giveResumeCode(here);
      this.offerResume(here);
      this.running.reattached(here);
      if (here.resumeCode !== undefined) here.notify(resumedNotice(here.resumeCode));
      return undefined;
    }
    const found = await this.checkpoints.resumeCode(typed);
    if (!found.ok) {
      if (found.reason === 'unavailable') return 'Reprise impossible pour le moment';
      return this.wrongCode(current, found.reason);
    }
    // A TCP or serial line that dropped meanwhile left `current` detached (those links cannot say isOpen).
    if (current.ended || current.detached || current.connection.isOpen?.() === false || this.stopping) {
      // The user left, or this instance is stopping, while the store answered: the checkpoint goes back for the next try.
      // Only where the session has no row, as for a token (resumeCheckpoint).
      await this.checkpoints.saveUnder(found.sessionId, found.state, read.hash, null).catch((error: unknown) => {
        this.log.warn({ session: found.sessionId, err: error }, 'checkpoint claimed for a user who left could not be put back');
      });
      return undefined;
    }
    // The state must be the session the row is of (only a forged row could differ).
    if (found.state.id !== found.sessionId) return this.wrongCode(current, 'mismatch');
    this.endStaleCopy(found.sessionId);
    this.taken.announce(found.sessionId);
    const options = current.linkOptions;
    const connection = current.yieldLink();
    const session = this.open(connection, { ...options, restored: { state: found.state, at: found.savedAt } });
    connection.session = session;
    this.metrics.resume('resumed');
    this.log.info({ session: session.id, address: connection.address, handedOverMs: Date.now() - found.savedAt }, 'session resumed from a checkpoint with its code');
    if (session.resumeCode !== undefined) session.notify(resumedNotice(session.resumeCode));
    return undefined;
  }

  private wrongCode(current: Session, reason: string): string {
    this.codeFailures.failed(current.address);
    this.metrics.resume('refused');
    this.log.warn({ session: current.id, address: current.address, reason }, 'resume code refused');
    return 'Code de reprise inconnu';
  }

  /** A link that cannot hold a token gets a code its user can type on the next one. */
  private giveResumeCode(session: Session): void {
    const link = session.connection;
    // A session taken back by a code onto a link with tokens: the token replaces its code.
    if (link.resumable === true || this.limits.resumeWindowMs === 0 || session.ended) {
      session.resumeCode = undefined;
      return;
    }
    session.resumeCode = this.resumes.issueCode(session);
  }

  /**
   * A client came back with a resume token: the session it names continues
   * on `connection`. A token that names nothing (malformed, forged, used
   * already, its window passed) opens a new session whose home page says so.
   */
  resume(connection: Connection, token: string, options: SessionOptions): Session | Promise<Session | undefined> {
    const claim = this.resumes.claim(token);
    if (!claim.ok && claim.reason === 'unknown') return this.resumeCheckpoint(connection, token, options);
    // Still probing its terminal (the token came with the first page): nothing to take over yet.
    if (!claim.ok || !claim.session.canResume) return this.refuseResume(connection, claim.ok ? 'not resumable now' : claim.reason, options);
    const session = claim.session;
    this.countAddress(session.address, -1);
    session.reattach(connection);
    this.countAddress(connection.address, +1);
    this.metrics.resume('resumed');
    this.offerResume(session);
    this.running.reattached(session);
    return session;
  }

  /**
   * Before stopping: every session whose client holds a resume token is
   * checkpointed in the store under that token and ended with WebSocket 1012,
   * so the client comes back, to another instance on the same database or to
   * this one restarted, and continues there (at most `shutdownGraceMs` for
   * all). A session whose checkpoint could not be written gets the goodbye;
   * one whose client took it to another instance meanwhile (a detached copy,
   * its checkpoint claimed there) writes nothing and just ends.
   */
  private async handOver(): Promise<void> {
    const held = [...this.sessions].filter((session) => !session.ended && this.resumes.tokenHash(session) !== undefined);
    if (held.length === 0) return;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.limits.shutdownGraceMs)));
    const saves = held.map(async (session) => {
      const hash = this.resumes.tokenHash(session);
      if (hash === undefined || session.ended) return false;
      const state = session.state();
      if (!(await this.owned.save(session, state, hash))) {
        this.takenElsewhere(session);
        return false;
      }
      if (session.ended) return false;
      session.handOver();
      this.metrics.resume('handed-over');
      return true;
    });
    const outcome = await Promise.race([Promise.allSettled(saves), deadline]);
    clearTimeout(timer);
    const handed = outcome === 'late' ? undefined : outcome.filter((r) => r.status === 'fulfilled' && r.value).length;
    const failed: unknown = outcome === 'late' ? undefined : outcome.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    this.log.info({ sessions: held.length, handedOver: handed, ms: Date.now() - started, err: failed }, 'sessions handed over for their clients to resume');
  }

  /** Gives a resumable link the token that takes its session back. */
  private offerResume(session: Session): void {
    const link = session.connection;
    if (link.resumable !== true || this.limits.resumeWindowMs === 0 || session.ended) return;
    link.sendResumeToken?.(this.resumes.issue(session, session.id), this.limits.resumeWindowMs);
  }

  /** A token this instance does not hold: a session another instance (or this one, before a restart) handed over. */
  private async resumeCheckpoint(connection: Connection, token: string, options: SessionOptions): Promise<Session | undefined> {
    const found = await this.checkpoints.resume(token);
    if (found.ok && (connection.isOpen?.() === false || this.stopping)) {
      // The client left, or this instance is stopping, while the store answered: the checkpoint goes back for its next try.
      // Only where the session has no row: none can have been written since the claim but by a copy that took it over again.
      const putBack = await this.checkpoints.saveUnder(found.sessionId, found.state, hashToken(token), null).catch((error: unknown) => {
        this.log.warn({ session: found.sessionId, err: error }, 'checkpoint claimed for a client that left could not be put back');
        return true;
      });
      if (!putBack) this.log.info({ session: found.sessionId }, 'checkpoint claimed for a client that left not put back: the session was taken again meanwhile');
      if (connection.isOpen?.() !== false) connection.restart?.();
      return undefined;
    }
    if (!found.ok) return this.refuseResume(connection, found.reason, options);
    // The state must be the session the token names (only a forged row could differ).
    if (found.state.id !== found.sessionId) return this.refuseResume(connection, 'mismatch', options);
    this.endStaleCopy(found.sessionId);
    this.taken.announce(found.sessionId);
    const session = this.open(connection, { ...options, restored: { state: found.state, at: found.savedAt } });
    this.metrics.resume('resumed');
    this.log.info({ session: session.id, address: connection.address, handedOverMs: Date.now() - found.savedAt }, 'session resumed from a checkpoint');
    return session;
  }

  /** Its old instance may still hold a session just taken from its checkpoint (two instances behind one balancer): the checkpoint wins. */
  private endStaleCopy(sessionId: string): void {
    const stale = [...this.sessions].find((session) => session.id === sessionId);
    if (stale !== undefined) this.takenElsewhere(stale);
  }

  /**
   * Another instance (or a newer copy here) took this session over: its
   * client resumed there. This copy is stale: it ends, and its checkpoint,
   * which is the other's now, stays.
   */
  private takenElsewhere(session: Session): void {
    if (session.ended) return;
    this.log.info({ session: session.id, detached: session.detached }, 'session taken over elsewhere: this copy ends');
    session.keepsCheckpoint = true;
    session.hangUp('resumed elsewhere', 'Session reprise ailleurs');
  }

  private refuseResume(connection: Connection, reason: string, options: SessionOptions): Session {
    this.metrics.resume('refused');
    this.log.warn({ address: connection.address, transport: connection.transport, reason }, 'resume token refused: new session');
    return this.open(connection, { ...options, notice: 'Session précédente introuvable : nouvelle session' });
  }

  private countAddress(address: string, change: 1 | -1): void {
    const n = (this.perAddress.get(address) ?? 0) + change;
    if (n <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, n);
  }

  // ---- SessionHost -------------------------------------------------------------------

  sessionEnded(session: Session): void {
    if (!this.sessions.delete(session)) return;
    this.running.ended(session);
    this.resumes.forget(session);
    this.countAddress(session.address, -1);
    if (this.sessions.size === 0) this.emptied?.();
  }

  private housekeeping(): void {
    const now = Date.now();
    const monotonic = performance.now();
    for (const session of this.sessions) session.housekeeping(now, monotonic);
    this.websocket.pingDue(monotonic, this.housekeepingMs, this.limits.pingIntervalMs);
    this.running.tick(this.sessions, monotonic, this.housekeepingMs, this.limits.checkpointEveryMs, this.limits.resumeWindowMs / 2);
  }

  private async closeListeners(): Promise<void> {
    this.websocket.close();
    await this.tcp?.close();
    await this.serial?.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/** Row 0 after a code resume: the code changed (each works once), and this is the one for next time. */
const resumedNotice = (code: string): string => `Session reprise. Code : *${code}`;

/** The service-facing logger: structured lines through the gateway's pino logger. */
function serviceLogger(log: Logger): ServiceLogger {
  const child = log.child({ component: 'service' });
  return {
    info: (message, fields) => child.info(fields ?? {}, message),
    warn: (message, fields) => child.warn(fields ?? {}, message),
    error: (message, fields) => child.error(fields ?? {}, message),
  };
}
