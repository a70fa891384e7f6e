/**
 * One terminal's line, whatever carries it: the input parser, the mirror,
 * the line pacer, the ENQROM probe, and the limits that apply to one client.
 * Typed input goes to one place, the router, which decides what the user
 * sees; the router and the service visits it opens see this session only as
 * the SessionLine and RouterContext of line.ts.
 *
 * Transports (websocket.ts, tcp.ts, serial.ts) own the socket and hand bytes
 * to `receive`; the session writes back through its Connection.
 */
import type { Logger } from 'pino';
import { KeyParser, parseEnqrom, type InputEvent } from '../videotex/key-parser.js';
import { Terminal } from '../videotex/terminal.js';
import type { TerminalCapabilities } from '../sdk/link.js';
import type { ServiceContext } from '../sdk/service.js';
import type { Store } from '../store/store.js';
import { capabilitiesOf, ENQROM_REQUEST } from './capabilities.js';
import type { DiffCache } from './diff-cache.js';
import type { ServiceDirectory } from './directory.js';
import { KiosqueMeter } from './kiosque.js';
import type { ServerLimits } from './limits.js';
import { HOME_SERVICE, type GatewayMetrics, type TransportName } from './metrics.js';
import type { RouterContext, SessionLine } from './line.js';
import type { SessionState } from './session-state.js';
import { restoreScreen, snapshotScreen } from '../videotex/screen-snapshot.js';
import { LinePacer, type DiffEncoder, type PacerSink } from './pacer.js';
import { rowZeroMessage } from './pages.js';
import { Router } from './router.js';
import type { TimerWheel } from './wheel.js';

/** A transport's side of a session. */
export interface Connection {
  readonly transport: TransportName;
  /** Remote IP, or the serial device path. */
  readonly address: string;
  /** Sends bytes now, unpaced. */
  write(bytes: Uint8Array): void;
  /** Bytes written that the client has not taken yet. */
  bufferedBytes(): number;
  /** Closes once what was written has gone; idempotent. */
  close(): void;
  /** Drops the connection at once; idempotent. */
  destroy(): void;
  /** Stops reading input for `ms` (backpressure on a flood); transports that cannot, ignore it. */
  pauseInput?(ms: number): void;
  /**
   * The client asked for a session that outlives this link (a WebSocket with
   * the teletel.resume.v1 subprotocol): it is given tokens through
   * `sendResumeToken`, and a drop detaches the session instead of ending it.
   */
  readonly resumable?: boolean;
  sendResumeToken?(token: string, windowMs: number): void;
  /** Closes telling the client to come back, to this address or another behind it (WebSocket 1012, Service Restart). */
  restart?(): void;
  /** The session its input goes to (a resume code typed on it gives it to another session). */
  session?: Session;
  /** Still open (false once the client has gone); transports that cannot tell leave it out. */
  isOpen?(): boolean;
}

/** What every session of a gateway shares. */
export interface SessionHost {
  readonly wheel: TimerWheel;
  readonly encode: DiffEncoder;
  readonly limits: ServerLimits;
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  readonly store: Store;
  readonly directory: ServiceDirectory;
  readonly context: ServiceContext;
  /** Diffs shared between sessions. */
  readonly diffCache?: DiffCache;
  /** Called once, when the session is over. */
  sessionEnded(session: Session): void;
  /**
   * The user typed `*CODE` at the home page of `session`: the session that
   * code names takes this link over. Undefined once it has (`session` is
   * then over), else what to tell the user on row 0.
   */
  resumeWithCode(session: Session, typed: string): Promise<string | undefined>;
}

export interface SessionOptions {
  /** Line speed for pacing, in baud (0 = unthrottled). */
  speed: number;
  /** Known capabilities (the serial transport probes its own); otherwise ENQROM is sent. */
  capabilities?: TerminalCapabilities;
  /** Open this service at once (`/?url=CODE`, `/CODE/ws`). */
  serviceCode?: string;
  /** A row-0 message on the first page (why a resume was refused). */
  notice?: string;
  /** Continue the session a checkpoint kept (another instance handed it over), as it was at `at`. */
  restored?: { state: SessionState; at: number };
}

const enum Phase {
  PROBING,
  RUNNING,
  /** The link dropped; the session waits for its client to come back (resumable links only). */
  DETACHED,
  ENDING,
  ENDED,
}

/** Row 0 cleared (`US 40 41`, CAN, LF, p.97), then FF for rows 1–24 (p.95), cursor off (p.99). */
const CLEAR_SCREEN = Uint8Array.of(0x1f, 0x40, 0x41, 0x18, 0x0a, 0x0c, 0x14);

/** CR is the ⏎ key; PC clients press it for Envoi, so it is read as Envoi (MiniPavi does the same). */
const ENVOI: InputEvent = Object.freeze({ type: 'function', name: 'Envoi' });

/** Row 0 of a Minitel whose instance stops: how to take the session back on the next call. */
const handOverNotice = (code: string): string => `Rappelez, tapez *${code} Envoi`;

let sequence = 0;

/** A short id, unique in this process and unlikely to repeat across restarts. */
function newId(): string {
  sequence = (sequence + 1) % 0x1000000;
  return `${Date.now().toString(36)}-${sequence.toString(36)}`;
}

export class Session implements PacerSink, SessionLine {
  readonly id: string;
  readonly startedAt: number;
  readonly mirror: Terminal;
  readonly pacer: LinePacer;
  readonly kiosque: KiosqueMeter;
  readonly router: Router;
  capabilities: TerminalCapabilities;
  bytesIn = 0;
  /** Wall-clock time of the last key (not of status replies). */
  lastKeyAt = Date.now();
  /** Bumped by every key and every link reattached: a running checkpoint is due when it moved (running-checkpoints.ts). */
  changes = 0;
  /** Ended so that its client comes back to its checkpoint (handed over, or detached until the window closed). */
  keepsCheckpoint = false;
  /** The service code shown in metrics ('-' on the home page). */
  metricService: string = HOME_SERVICE;
  /** The code its user types to take it back from another link (links without resume tokens: TCP, serial), shown on the home page. */
  resumeCode: string | undefined;

  private readonly parser = new KeyParser();
  private phase = Phase.PROBING;
  private probeTimer: NodeJS.Timeout | undefined;
  private idleWarned = false;
  private redrawPending = false;
  private tokens: number;
  private tokensAt = Date.now();
  private droppedLogged = false;
  private link: Connection;
  private detachTimer: NodeJS.Timeout | undefined;
  private detachedAt = 0;

  constructor(
    readonly host: SessionHost,
    connection: Connection,
    private readonly options: SessionOptions,
  ) {
    this.link = connection;
    const restored = options.restored?.state;
    this.id = restored?.id ?? newId();
    this.startedAt = restored?.startedAt ?? Date.now();
    const limits = host.limits;
    this.tokens = limits.inputBurstBytes;
    // The mirror decodes as a Minitel 2 until the probe says otherwise: a superset, and only
    // diffs of a wanted screen of the right model are ever sent, so it never shows more.
    this.mirror = new Terminal({ model: 'minitel2' });
    // A restored session knows its terminal already: no second ENQROM.
    if (restored !== undefined) this.options = { ...options, capabilities: restored.capabilities };
    this.capabilities = this.options.capabilities ?? capabilitiesOf(null, options.speed);
    this.pacer = new LinePacer(this.mirror, host.encode, this, host.wheel, options.speed, limits.outputHighWaterBytes, limits.commandQueueBytes, host.diffCache);
    this.kiosque = new KiosqueMeter(this.id, connection.transport, connection.address, this.startedAt, this);
    if (restored !== undefined) {
      this.bytesIn = restored.bytesIn;
      this.kiosque.restore(restored.meter, options.restored!.at);
    }
    this.router = new Router(this.routerContext());
  }

  /** What the router may use of this session and of the gateway. */
  private routerContext(): RouterContext {
    const host = this.host;
    return {
      line: this,
      directory: host.directory,
      kiosque: this.kiosque,
      log: host.log,
      services: host.context,
      sendCommand: (bytes) => this.sendCommand(bytes),
      record: (record) => this.record(record),
      movedTo: (service) => {
        host.metrics.moved(this.transport, this.metricService, service);
        this.metricService = service;
      },
      resumeCode: () => this.resumeCode,
      resumeWithCode: (typed) => host.resumeWithCode(this, typed),
    };
  }

  /** How another session on this session's link starts (a resume code typed here). */
  get linkOptions(): SessionOptions {
    return { speed: this.options.speed, capabilities: { ...this.capabilities } };
  }

  /** The link the session talks through now (another one after a resume). */
  get connection(): Connection {
    return this.link;
  }

  get transport(): TransportName {
    return this.link.transport;
  }

  /** A client may take it over now: running, or detached (not while it still probes the terminal, nor once ending). */
  get canResume(): boolean {
    return this.phase === Phase.RUNNING || this.phase === Phase.DETACHED;
  }

  get address(): string {
    return this.connection.address;
  }

  get bytesOut(): number {
    return this.pacer.bytesSent;
  }

  /** Its link dropped; it waits for its client (resumeWindowMs). */
  get detached(): boolean {
    return this.phase === Phase.DETACHED;
  }

  get ended(): boolean {
    return this.phase >= Phase.ENDING;
  }

  /** The session as one plain value, for a checkpoint (session-state.ts). */
  state(): SessionState {
    return {
      id: this.id,
      startedAt: this.startedAt,
      transport: this.transport,
      address: this.address,
      capabilities: { ...this.capabilities },
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      router: this.router.position(),
      meter: this.kiosque.state(),
      screen: snapshotScreen(this.mirror.screen),
    };
  }

  /** Starts the session: the ENQROM probe, then the home page (or the service asked for). */
  start(): void {
    this.host.metrics.sessionStarted(this.transport);
    this.host.metrics.moved(this.transport, null, this.metricService);
    this.host.log.info({ session: this.id, transport: this.transport, address: this.address }, 'session started');
    if (this.options.capabilities !== undefined) {
      this.run();
      return;
    }
    this.pacer.sendCommand(ENQROM_REQUEST);
    this.probeTimer = setTimeout(() => this.probed(null), this.host.limits.enqromTimeoutMs);
  }

  /** Bytes from the terminal. */
  receive(chunk: Uint8Array): void {
    if (this.phase >= Phase.ENDING || chunk.length === 0) return;
    this.bytesIn += chunk.length;
    this.host.metrics.bytesIn(this.transport, chunk.length);
    if (!this.takeTokens(chunk.length)) {
      // What the parser holds of a key was to go on in the bytes dropped: read without it, it would join the next key.
      this.parser.reset();
      return;
    }
    let events: InputEvent[];
    try {
      events = this.parser.push(chunk);
    } catch (error) {
      // The parser is total and should never throw; if it does, only this session pays.
      this.fail('input parser failed', error);
      return;
    }
    for (const event of events) {
      if (this.phase >= Phase.ENDING) return;
      this.dispatch(event.type === 'enter' ? ENVOI : event);
    }
  }

  /** What the router asks the line to show. */
  show(wanted: Terminal): void {
    this.pacer.source = wanted;
    this.pacer.update();
  }

  update(): void {
    this.pacer.update();
  }

  queueCommand(bytes: Uint8Array): void {
    this.pacer.sendCommand(bytes);
  }

  drained(): Promise<void> {
    return this.pacer.drained();
  }

  /** Ends the session: the reason on row 0, then the socket closes. */
  hangUp(reason: string, message?: string): void {
    void this.end(reason, message);
  }

  /**
   * The transport lost its connection (the client left, or the network
   * failed). A resumable link that dropped without the client saying goodbye
   * (`deliberate`: a normal WebSocket close) detaches the session: it goes
   * on without a line for `resumeWindowMs`, then ends. `from` is the link
   * that was lost: one the session no longer uses (taken over by a resume)
   * changes nothing.
   */
  connectionLost(reason: string, from?: Connection, deliberate = false): void {
    if (this.phase === Phase.ENDED || (from !== undefined && from !== this.link)) return;
    // That link was lost already (a missed pong, then its close event): the session waits on.
    if (this.phase === Phase.DETACHED && from !== undefined) return;
    const window = this.host.limits.resumeWindowMs;
    const comesBack = this.link.resumable === true || this.resumeCode !== undefined;
    if (this.phase === Phase.RUNNING && comesBack && !deliberate && window > 0) {
      this.detach(reason, window);
      return;
    }
    this.phase = Phase.ENDING;
    this.finish(reason);
  }

  /**
   * A client came back with this session's token: it takes the session over
   * through `connection`, whatever link it had (a link still open is cut).
   * The screen is drawn again from a cleared page, so the client shows what
   * the mirror holds whatever it showed before; the service never knew.
   */
  reattach(connection: Connection): void {
    if (this.phase !== Phase.RUNNING && this.phase !== Phase.DETACHED) throw new Error(`session ${this.id} cannot be resumed: it has ended`);
    const old = this.link;
    const detachedFor = this.phase === Phase.DETACHED ? Date.now() - this.detachedAt : 0;
    this.link = connection;
    if (old !== connection) old.destroy();
    clearTimeout(this.detachTimer);
    this.detachTimer = undefined;
    // Time without a line is not billed.
    this.kiosque.pause(detachedFor);
    this.detachedAt = 0;
    this.phase = Phase.RUNNING;
    this.parser.reset();
    this.lastKeyAt = Date.now();
    this.changes++;
    this.idleWarned = false;
    this.host.log.info({ session: this.id, address: connection.address, detachedMs: detachedFor }, 'session resumed');
    this.sendCommand(CLEAR_SCREEN);
    this.pacer.update();
  }

  /** Called about once a second by the gateway: idle, session length, slow readers. */
  housekeeping(now: number, monotonicNow: number): void {
    if (this.phase !== Phase.RUNNING) return;
    const limits = this.host.limits;
    const buffered = this.connection.bufferedBytes();
    if (buffered > limits.outputBufferBytes) {
      this.host.metrics.rejectedConnection('slow-reader');
      this.host.log.warn({ session: this.id, buffered }, 'slow reader: output buffer full, session dropped');
      this.drop('slow reader');
      return;
    }
    const blockedSince = this.pacer.blockedSince;
    if (blockedSince !== 0 && monotonicNow - blockedSince > limits.slowReaderTimeoutMs) {
      this.host.metrics.rejectedConnection('slow-reader');
      this.host.log.warn({ session: this.id, buffered }, 'slow reader: no output taken, session dropped');
      this.drop('slow reader');
      return;
    }
    if (limits.maxSessionMs > 0 && now - this.startedAt >= limits.maxSessionMs) {
      this.hangUp('session length limit', 'Durée maximale atteinte. Au revoir');
      return;
    }
    if (limits.idleTimeoutMs > 0) {
      const idle = now - this.lastKeyAt;
      // At most half the timeout: with a short --idle-timeout, the default 60 s warning would show at once, and after every key.
      const warning = Math.min(limits.idleWarningMs, limits.idleTimeoutMs / 2);
      if (idle >= limits.idleTimeoutMs) {
        this.hangUp('idle', 'Déconnexion : pas d\'activité. Au revoir');
      } else if (!this.idleWarned && warning > 0 && idle >= limits.idleTimeoutMs - warning) {
        this.idleWarned = true;
        const seconds = Math.ceil((limits.idleTimeoutMs - idle) / 1000);
        this.notifyOnScreen(`Sans action, déconnexion dans ${seconds} s`);
      }
    }
  }

  /**
   * Répétition ("répète la page"): the terminal may show a garbled page (line
   * noise, a Minitel switched off and on) while the mirror believes it is
   * right. Clearing row 0 and the page goes into the mirror like any byte
   * sent, so the next diff is the whole wanted screen drawn from blank.
   * Pressed again before that redraw has gone out, it is the same redraw:
   * each would otherwise queue a whole page (up to 25 s at 1200 baud).
   */
  redraw(): void {
    if (this.phase !== Phase.RUNNING || this.redrawPending) return;
    this.sendCommand(CLEAR_SCREEN);
    this.pacer.update();
    this.redrawPending = true;
    void this.pacer.drained().then(() => {
      this.redrawPending = false;
    });
  }

  /** A message on row 0, in order with the screen updates. */
  notify(text: string): void {
    this.sendCommand(rowZeroMessage(text));
  }

  /**
   * A row-0 message that stays: written into the screen the router shows, so the
   * next diff keeps it instead of erasing it as a difference from what is wanted.
   */
  private notifyOnScreen(text: string): void {
    const wanted = this.pacer.source;
    if (wanted === undefined) {
      this.notify(text);
      return;
    }
    wanted.write(rowZeroMessage(text));
    this.pacer.update();
  }

  sendCommand(bytes: Uint8Array): void {
    try {
      this.pacer.sendCommand(bytes);
    } catch (error) {
      this.host.log.warn({ session: this.id, err: error }, 'command dropped');
    }
  }

  // ---- PacerSink ----------------------------------------------------------------

  writeLine(bytes: Uint8Array): void {
    this.host.metrics.bytesOut(this.transport, bytes.length);
    this.connection.write(bytes);
  }

  bufferedBytes(): number {
    return this.connection.bufferedBytes();
  }

  onDiffSent(_bytes: number, lagMs: number): void {
    this.host.metrics.pacerLag(lagMs);
  }

  onPacerError(error: unknown): void {
    this.fail('screen encoder failed', error);
  }

  // ---- inside ---------------------------------------------------------------------

  private dispatch(event: InputEvent): void {
    if (event.type !== 'status' && event.type !== 'reply') {
      this.lastKeyAt = Date.now();
      this.changes++;
      this.idleWarned = false;
    }
    if (this.phase === Phase.PROBING) {
      if (event.type === 'reply') {
        const info = parseEnqrom(event.bytes);
        if (info !== null) this.probed(info);
      }
      // Keys typed before the first page are dropped, as on a Minitel still connecting.
      return;
    }
    this.router.input(event);
  }

  private probed(info: ReturnType<typeof parseEnqrom>): void {
    if (this.phase !== Phase.PROBING) return;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.capabilities = capabilitiesOf(info, this.options.speed);
    this.host.log.debug({ session: this.id, capabilities: this.capabilities }, info ? 'terminal identified' : 'no ENQROM reply: Minitel 1B profile');
    this.run();
  }

  private run(): void {
    this.phase = Phase.RUNNING;
    // What the terminal shows at the start is unknown (a Minitel keeps its screen across
    // connections, p.88; a DIN-port Minitel shows the last session's goodbye). Clearing row 0
    // and the page makes it match the fresh mirror, so the first diffs are right.
    this.pacer.sendCommand(CLEAR_SCREEN);
    const restored = this.options.restored?.state;
    if (restored !== undefined) this.router.resume(restored.router, restoreScreen(restored.screen));
    else this.router.start(this.options.serviceCode);
    if (this.options.notice !== undefined) this.notifyOnScreen(this.options.notice);
  }

  /** Token bucket: false when the chunk is over the session's input rate (it is dropped). */
  private takeTokens(n: number): boolean {
    const limits = this.host.limits;
    const now = Date.now();
    this.tokens = Math.min(limits.inputBurstBytes, this.tokens + ((now - this.tokensAt) * limits.inputBytesPerSecond) / 1000);
    this.tokensAt = now;
    if (n <= this.tokens) {
      this.tokens -= n;
      this.droppedLogged = false;
      return true;
    }
    this.host.metrics.inputDropped(this.transport, n);
    // Read nothing more until half the burst is back: the flood waits in the client's socket.
    const refillMs = Math.ceil(((limits.inputBurstBytes / 2 - this.tokens) * 1000) / limits.inputBytesPerSecond);
    const pauseMs = Math.min(limits.inputPauseMaxMs, Math.max(0, refillMs));
    if (pauseMs > 0) this.connection.pauseInput?.(pauseMs);
    if (!this.droppedLogged) {
      this.droppedLogged = true;
      this.host.log.warn({ session: this.id, bytes: n }, 'input over the rate limit: dropped');
    }
    return false;
  }

  /**
   * The instance is going away and has checkpointed this session: it ends
   * here (the open visit is recorded) and its client is told to come back;
   * the instance that takes the token continues it.
   */
  handOver(): void {
    if (this.phase >= Phase.ENDING) return;
    this.keepsCheckpoint = true;
    if (this.link.resumable !== true && this.resumeCode !== undefined) {
      // A link without tokens cannot come back by itself: its user is shown the code that takes the session back.
      void this.end('handed over', handOverNotice(this.resumeCode));
      return;
    }
    this.phase = Phase.ENDING;
    this.finish('handed over');
    if (this.link.restart !== undefined) this.link.restart();
    else this.link.close();
  }

  /**
   * Its client typed another session's resume code at the home page: that
   * session takes this link, and this one ends without a word on the line.
   */
  yieldLink(): Connection {
    if (this.phase < Phase.ENDING) {
      this.phase = Phase.ENDING;
      this.finish('its link went to a resumed session');
    }
    return this.link;
  }

  private detach(reason: string, windowMs: number): void {
    this.phase = Phase.DETACHED;
    this.detachedAt = Date.now();
    // What the parser holds of a key was cut with the link.
    this.parser.reset();
    this.host.metrics.resume('detached');
    this.host.log.info({ session: this.id, reason, windowMs }, 'link lost: session kept for its client to resume');
    this.detachTimer = setTimeout(() => {
      if (this.phase !== Phase.DETACHED) return;
      this.host.metrics.resume('expired');
      this.phase = Phase.ENDING;
      // Its last checkpoint expires with the window (the store's TTL is the window).
      this.keepsCheckpoint = true;
      this.finish(`${reason}, not resumed within ${Math.round(windowMs / 1000)} s`);
    }, windowMs);
    this.detachTimer.unref();
  }

  private async end(reason: string, message?: string): Promise<void> {
    if (this.phase >= Phase.ENDING) return;
    // Nobody to show a goodbye to.
    if (this.phase === Phase.DETACHED) message = undefined;
    this.phase = Phase.ENDING;
    clearTimeout(this.probeTimer);
    this.router.stop();
    if (message !== undefined) {
      this.notify(message);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.pacer.drained(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.host.limits.shutdownGraceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.finish(reason);
    this.connection.close();
  }

  private drop(reason: string): void {
    if (this.phase === Phase.ENDED) return;
    this.phase = Phase.ENDING;
    this.finish(reason);
    this.connection.destroy();
  }

  private fail(what: string, error: unknown): void {
    this.host.log.error({ session: this.id, err: error }, what);
    this.drop(what);
  }

  private finish(reason: string): void {
    if (this.phase === Phase.ENDED) return;
    this.phase = Phase.ENDED;
    clearTimeout(this.probeTimer);
    clearTimeout(this.detachTimer);
    this.router.stop();
    this.pacer.close();
    this.host.metrics.moved(this.transport, this.metricService, null);
    // A session that ends detached was last on a line when the link dropped: billed until then.
    const record = this.kiosque.close(this.detachedAt > 0 ? this.detachedAt : Date.now());
    if (record) this.record(record);
    this.host.log.info(
      { session: this.id, reason, bytesIn: this.bytesIn, bytesOut: this.bytesOut, seconds: Math.round((Date.now() - this.startedAt) / 1000) },
      'session ended',
    );
    this.host.sessionEnded(this);
  }

  /** Stores a kiosque record; a store failure is logged, never fatal. */
  record(record: Parameters<Store['sessions']['record']>[0]): void {
    this.host.store.sessions.record(record).catch((error: unknown) => {
      this.host.log.warn({ session: this.id, err: error }, 'kiosque record not stored');
    });
  }
}
