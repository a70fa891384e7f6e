/**
 * A MiniPavi service as a Teletel service: the code maps to a remote URL
 * that speaks MiniPavi's protocol (protocol.ts). Each visit calls it with
 * CNX, shows the Videotex it answers on the visit's screen (so the mirror,
 * the pacer, the kiosque meter and the limits apply as for SDK services),
 * does the input work locally (input.ts), and calls again with what was
 * typed and the function key, the context round-tripping; FIN when the user
 * leaves. A failed call shows a message on row 0: Sommaire then goes back
 * to the home page, the log says why. connectToWs and connectToTln put the
 * user through to another Videotex server (onward.ts), only one the
 * configuration allows (target.ts), then call the service again with how it
 * went (DIRECTCALLFAILED or DIRECTCALLENDED), as MiniPavi does. A
 * BackgroundCall is handed to the service's scheduler (background.ts), whose
 * simulated typing comes back to the visit it names as BGCALL-SIMU.
 */
import { createHash } from 'node:crypto';
import type { Service, ServiceContext, Tariff } from '../../sdk/service.js';
import { FREE } from '../../sdk/service.js';
import type { TerminalLink } from '../../sdk/link.js';
import type { InputEvent } from '../../videotex/key-parser.js';
import type { FunctionKeyName } from '../../videotex/keyboard.js';
import { encodeText, sanitizeText } from '../../videotex/text.js';
import { rowZeroMessage } from '../pages.js';
import { BackgroundCalls } from './background.js';
import { allowedUrl, callService, urlParamsOf } from './client.js';
import { InputZones } from './input.js';
import { MINIPAVI_LIMITS } from './limits.js';
import { minipaviErrors, minipaviOnward, minipaviRequestSeconds } from './metrics.js';
import { Onward } from './onward.js';
import {
  MiniPaviError,
  PROTOCOL_VERSION,
  readAnswer,
  REFUSED_COMMANDS,
  type ConnectTo,
  type MiniPaviAnswer,
  type MiniPaviCommand,
  type MiniPaviEvent,
  type MiniPaviRequest,
} from './protocol.js';
import { RESTARTED_NOTICE } from '../../sdk/define.js';
import { onwardHosts, onwardTarget, type OnwardTarget } from './target.js';
import type { MiniPaviVisits } from './visits.js';

export interface MiniPaviServiceOptions {
  code: string;
  url: string;
  name?: string;
  description?: string;
  tariff?: Tariff;
  /** Hosts `next`, redirects and onward connections may lead to; the URL's own host always may (target.ts for onward). */
  allowedHosts?: readonly string[];
  timeoutMs?: number;
  /** How long an onward server (connectToWs, connectToTln) has to connect; MINIPAVI_LIMITS.onwardConnectMs by default. */
  onwardConnectTimeoutMs?: number;
}

const KEY_NAMES: Readonly<Record<FunctionKeyName, MiniPaviEvent | undefined>> = {
  Envoi: 'ENVOI',
  Suite: 'SUITE',
  Retour: 'RETOUR',
  Annulation: 'ANNULATION',
  Correction: 'CORRECTION',
  Guide: 'GUIDE',
  Repetition: 'REPETITION',
  Sommaire: 'SOMMAIRE',
  ConnexionFin: undefined, // the gateway's own: it ends the visit (FIN is sent)
};

/** Text typed with no input zone open: kept up to one row, sent with the next key. */
const FREE_TEXT_MAX = 40;

export function miniPaviService(options: MiniPaviServiceOptions, visits: MiniPaviVisits): Service {
  const first = new URL(options.url);
  const allowedHosts = new Set([first.host, ...(options.allowedHosts ?? [])]);
  allowedUrl(options.url, allowedHosts); // a bad configured URL fails at load, not at the first visit
  const onward = onwardHosts(options.url, options.allowedHosts);
  const background = new BackgroundCalls({ code: options.code, allowedHosts, timeoutMs: options.timeoutMs }, visits);
  return {
    code: options.code,
    name: options.name ?? options.code,
    description: options.description ?? `Service MiniPavi (${first.host})`,
    keywords: ['minipavi'],
    tariff: options.tariff ?? FREE,
    run: (link, context) => new MiniPaviVisit(options, allowedHosts, onward, visits, background, link, context).run(),
    // The gateway stops: background calls still waiting are cleared, none is made after.
    stop: () => background.stop(),
  };
}

/**
 * The uniqueId a service knows a user by: digits, as MiniPavi's are (services
 * compare it with numbers), 15 of them from the session id, so it is the same
 * on every call and every instance, and fits a double exactly.
 */
export function uniqueIdOf(sessionId: string): string {
  const n = BigInt(`0x${createHash('sha256').update(sessionId).digest('hex').slice(0, 16)}`);
  return String(100_000_000_000_000n + (n % 900_000_000_000_000n));
}

/** Bump when KeptPlace changes shape: a checkpoint of another shape starts the visit again, with the notice. */
const KEPT_PLACE_VERSION = 1;
/** What a checkpoint keeps of a MiniPavi visit: what MiniPavi keeps of a user between calls. */
interface KeptPlace {
  next: string;
  context: string;
  echo: boolean;
  /** The input command of the page on the screen, as the service sent it, or null. */
  input: unknown;
}

/** A checkpointed KeptPlace, checked as any input (it comes from a database), or undefined. */
function readKeptPlace(value: unknown, allowedHosts: ReadonlySet<string>): { next: string; context: string; echo: boolean; input?: { raw: unknown; command: InputCommand } } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { next, context, echo, input } = value as Record<string, unknown>;
  if (typeof next !== 'string' || typeof context !== 'string' || context.length > MINIPAVI_LIMITS.contextCharacters || typeof echo !== 'boolean') return undefined;
  try {
    allowedUrl(next, allowedHosts);
  } catch {
    return undefined;
  }
  if (input === null || input === undefined) return { next, context, echo };
  let command;
  try {
    command = readAnswer({ version: PROTOCOL_VERSION, content: '', COMMAND: input }).command;
  } catch {
    return undefined;
  }
  if (command?.name !== 'InputTxt' && command?.name !== 'InputMsg' && command?.name !== 'InputForm') return undefined;
  return { next, context, echo, input: { raw: input, command } };
}

type InputCommand = Extract<MiniPaviCommand, { name: 'InputTxt' | 'InputMsg' | 'InputForm' }>;

/** What waits while a call is out: keys, and the typing of a background call (simulate). */
type Queued = InputEvent | { type: 'background'; data: string };

class MiniPaviVisit {
  private next: string;
  private context = '';
  private echo = true;
  private zones: InputZones | undefined;
  private freeText = '';
  private calling = false;
  private failed = false;
  /** Keys typed while a call was out, handled once it is back. */
  private queued: Queued[] = [];
  /** The call out now (or the last one): FIN waits for it, so the service hears of the user in order. */
  private inflight: Promise<void> = Promise.resolve();
  private finish: () => void = () => {};
  private readonly uniqueId: string;
  /** The passthrough to an onward server, while it runs: it has the user's keys. */
  private onward: Onward | undefined;
  /** A row-0 line for the user, shown over the next answer (why an onward connection did not happen). */
  private notice: string | undefined;
  /** The input command of the answer on the screen, as the service sent it (a checkpoint keeps it). */
  private inputCommand: unknown = null;

  constructor(
    private readonly options: MiniPaviServiceOptions,
    private readonly allowedHosts: ReadonlySet<string>,
    private readonly onwardHosts: ReadonlySet<string>,
    private readonly visits: MiniPaviVisits,
    private readonly background: BackgroundCalls,
    private readonly link: TerminalLink,
    private readonly services: ServiceContext,
  ) {
    this.next = options.url;
    this.uniqueId = uniqueIdOf(link.id);
  }

  async run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    this.visits.add(this.uniqueId, this.link, (data) => this.typed(data));
    const unsubscribe = this.link.onInput((event) => this.input(event));
    // What MiniPavi itself keeps of a user between two calls: checkpointed, so a session that moves
    // to another instance goes on with the same service at the same page (not during an onward connection).
    this.link.keepState?.(KEPT_PLACE_VERSION, () =>
      this.onward !== undefined || this.failed ? undefined : ({ next: this.next, context: this.context, echo: this.echo, input: this.inputCommand } satisfies KeptPlace),
    );
    this.link.closed.addEventListener('abort', () => {
      this.visits.remove(this.uniqueId);
      // The service hears that the user left, after the answer it is writing (with that answer's
      // context and next, as MiniPavi, which serves one user's calls one after the other); nobody waits.
      if (!this.failed) void this.inflight.then(() => this.call('FIN', [], { show: false }));
      this.finish();
    });
    if (!this.resume()) await this.call('CNX', []);
    await done;
    unsubscribe();
  }

  /**
   * A background call with simulate: as if the user had typed `data`, the
   * service's `next` is called with BGCALL-SIMU and its answer shown. While a
   * call is out it waits with the keys; during an onward connection or after
   * a failure there is no service to call, so it is dropped.
   */
  private typed(data: string): void {
    if (this.link.closed.aborted) return;
    if (this.onward !== undefined || this.failed) {
      this.services.log.info('MiniPavi BackgroundCall simulate dropped: the visit is not with the service now', { service: this.options.code });
      return;
    }
    if (this.calling) {
      if (this.queued.length < MINIPAVI_LIMITS.queuedKeys) this.queued.push({ type: 'background', data });
      return;
    }
    void this.call('BGCALL-SIMU', [data]);
  }

  private input(event: InputEvent): void {
    if (this.onward !== undefined) {
      this.onward.input(event);
      return;
    }
    if (this.calling) {
      // MiniPavi reads the socket again once the answer is shown: keys typed meanwhile count, in order.
      if (this.queued.length < MINIPAVI_LIMITS.queuedKeys) this.queued.push(event);
      return;
    }
    if (event.type === 'char') {
      if (this.zones !== undefined) {
        const bytes = this.zones.type(event.char);
        if (bytes !== undefined) this.show(bytes);
      } else if (this.echo && [...this.freeText].length < FREE_TEXT_MAX) {
        const safe = sanitizeText(event.char);
        this.freeText += safe;
        if (safe !== '') this.show(encodeText(safe));
      }
      return;
    }
    if (event.type !== 'function') return;
    const key = KEY_NAMES[event.name];
    if (key === undefined) return;
    if (this.failed) {
      if (key === 'SOMMAIRE') this.finish(); // back to the home page
      return;
    }
    if (this.zones === undefined) {
      void this.call(key, this.freeText === '' ? [] : [this.freeText]);
      return;
    }
    const outcome = this.zones.key(key);
    if (outcome.type === 'submit') void this.call(key, outcome.content);
    else if (outcome.bytes !== undefined) this.show(outcome.bytes);
  }

  /**
   * One call, then the direct calls it asks for; an error is shown, never
   * thrown. Without `show` (FIN: the user has gone) only the pushes to other
   * users are carried out, as MiniPavi does with a goodbye.
   */
  private call(fctn: MiniPaviEvent, content: string[], options: { show?: boolean } = {}): Promise<void> {
    const call = this.callChain(fctn, content, options);
    this.inflight = call;
    return call;
  }

  private async callChain(fctn: MiniPaviEvent, content: string[], { show = true }: { show?: boolean }): Promise<void> {
    this.calling = true;
    let event = fctn;
    try {
      let body = content;
      for (let direct = 0; ; direct++) {
        const answer = await this.request(event, body);
        if (answer === undefined) {
          // An empty body: nothing changes, but for the notice owed to the user.
          if (show) this.showNotice();
          return;
        }
        if (!show || this.link.closed.aborted) {
          // The user left while the service answered: FIN goes with this answer's context and next.
          if (show) this.keepPlace(answer);
          if (answer.command?.name === 'PushServiceMsg') this.push(answer.command.messages);
          if (answer.command?.name === 'BackgroundCall') this.background.schedule(answer.command, this.services.log);
          return;
        }
        this.apply(answer);
        if (this.link.closed.aborted) return;
        let then: MiniPaviEvent;
        const command = answer.command;
        if (command?.name === 'connectToWs' || command?.name === 'connectToTln') {
          // MiniPavi calls `next` once the onward connection is over, whatever directcall said.
          const back = await this.goOnward(command);
          if (back === undefined || this.link.closed.aborted) return;
          then = back;
        } else {
          if (answer.directCall === 'no') return;
          then = answer.directCall === 'yes-cnx' ? 'DIRECTCNX' : 'DIRECT';
        }
        // The key's call, then at most this many direct ones (MiniPavi's count), the call back
        // after an onward connection among them, so a service cannot loop on failing connections.
        if (direct >= MINIPAVI_LIMITS.directCalls) {
          this.services.log.info(`MiniPavi direct calls stopped after ${MINIPAVI_LIMITS.directCalls} in a row: waiting for the user`, { service: this.options.code, url: this.next });
          this.showNotice();
          return;
        }
        event = then;
        body = [];
      }
    } catch (error) {
      const failure = error instanceof MiniPaviError ? error : new MiniPaviError('answer', error instanceof Error ? error.message : String(error));
      minipaviErrors.inc({ service: this.options.code, kind: failure.kind });
      this.services.log.warn(`MiniPavi service failed: ${failure.message}`, { service: this.options.code, kind: failure.kind, url: this.next, event });
      if (show && !this.link.closed.aborted) {
        this.failed = true;
        this.zones = undefined;
        this.notice = undefined;
        this.link.wanted.write(rowZeroMessage('Service indisponible (Sommaire)'));
        this.link.update();
      }
    } finally {
      this.calling = false;
      this.replayQueued();
    }
  }

  /**
   * Goes on where a checkpoint left the visit (its session moved here): the
   * service's next URL and context, echo, and the input zones of the page on
   * the screen (the screen itself came back with the session; what was typed
   * in a zone starts empty). Read as input: a `next` to a host not allowed,
   * or anything else not as written, and the visit starts again with CNX and
   * the notice. False when there is nothing to go on from.
   */
  private resume(): boolean {
    const kept = this.link.resumedState;
    if (kept === undefined) return false;
    const place = kept.version === KEPT_PLACE_VERSION ? readKeptPlace(kept.state, this.allowedHosts) : undefined;
    if (place === undefined) {
      // The screen the checkpoint kept goes; the notice shows over the service's first page.
      this.link.wanted.write(Uint8Array.of(0x0c));
      this.link.update();
      this.notice = RESTARTED_NOTICE;
      return false;
    }
    this.next = place.next;
    this.context = place.context;
    this.echo = place.echo;
    if (place.input !== undefined) {
      this.inputCommand = place.input.raw;
      this.zones = new InputZones(place.input.command, place.echo);
      this.link.wanted.write(this.zones.draw());
      this.link.update();
    }
    return true;
  }

  /** The keys typed during the call, in order; one that starts another call queues the rest again. */
  private replayQueued(): void {
    const queued = this.queued;
    this.queued = [];
    for (const event of queued) {
      if (this.link.closed.aborted) return;
      if (event.type === 'background') this.typed(event.data);
      else this.input(event);
    }
  }

  /** The context and URL of the next call; an answer without context keeps the one the service had (as on MiniPavi). */
  private keepPlace(answer: MiniPaviAnswer): void {
    if (answer.context !== '') this.context = answer.context;
    if (answer.next !== '') this.next = answer.next;
  }

  private push(messages: readonly { uniqueId: string; text: string }[]): void {
    for (const message of messages) this.visits.push(message.uniqueId, message.text);
  }

  private async request(fctn: MiniPaviEvent, content: string[]): Promise<MiniPaviAnswer | undefined> {
    const request: MiniPaviRequest = {
      PAVI: {
        version: PROTOCOL_VERSION,
        uniqueId: this.uniqueId,
        remoteAddr: this.link.address,
        typesocket: this.link.transport === 'websocket' ? 'websocket' : 'other',
        // The ENQROM identifier as MiniPavi sends it ('Cv;'), '???' for a terminal that did not answer.
        versionminitel: this.link.capabilities.rom ?? '???',
        content,
        context: this.context,
        fctn,
      },
    };
    const urlParams = urlParamsOf(this.next);
    if (urlParams !== undefined) request.URLPARAMS = urlParams;
    const stop = minipaviRequestSeconds.startTimer({ service: this.options.code });
    try {
      return await callService(this.next, request, { allowedHosts: this.allowedHosts, timeoutMs: this.options.timeoutMs });
    } finally {
      stop();
    }
  }

  private apply(answer: MiniPaviAnswer): void {
    // Checked before anything changes: a `next` to a host not allowed fails this call whole.
    if (answer.next !== '') allowedUrl(answer.next, this.allowedHosts);
    this.keepPlace(answer);
    this.echo = answer.echo;
    this.freeText = '';
    this.zones = undefined;
    this.inputCommand = null;
    this.link.wanted.write(answer.content);
    const command = answer.command;
    if (command?.name === 'InputTxt' || command?.name === 'InputMsg' || command?.name === 'InputForm') {
      this.inputCommand = answer.rawCommand;
      this.zones = new InputZones(command, answer.echo);
      this.link.wanted.write(this.zones.draw());
    } else if (command?.name === 'PushServiceMsg') {
      this.push(command.messages);
    } else if (command?.name === 'BackgroundCall') {
      this.background.schedule(command, this.services.log);
    } else if (command?.name === 'libCnx') {
      // The service is done with the user: back to the home page (FIN follows), as on MiniPavi.
      this.finish();
    } else if (command?.name === 'setParam') {
      this.services.log.info('MiniPavi setParam left to the gateway (its idle timeout applies)', { service: this.options.code });
    } else if (command?.name === 'connectToWs' || command?.name === 'connectToTln') {
      // Carried out by callChain once this answer is on the screen.
    } else if (command?.name === 'refused') {
      const why = REFUSED_COMMANDS[command.command] ?? 'not a command of the protocol';
      this.services.log.warn(`MiniPavi command refused: ${why}`, { service: this.options.code, command: command.command });
    }
    this.showNotice();
    this.link.update();
  }

  /** The notice owed to the user, if any, on row 0 over what the service drew. */
  private showNotice(): void {
    if (this.notice === undefined) return;
    this.link.wanted.write(rowZeroMessage(this.notice));
    this.notice = undefined;
    this.link.update();
  }

  /**
   * Runs an onward connection; answers the event the service is called with
   * next, or undefined when the user left (FIN then follows as usual). A host
   * the configuration does not allow is never connected to: the service hears
   * DIRECTCALLFAILED, the user reads why on row 0.
   */
  private async goOnward(command: ConnectTo): Promise<MiniPaviEvent | undefined> {
    const transport = command.name === 'connectToWs' ? 'websocket' : 'telnet';
    const fields = { service: this.options.code, command: command.name, host: command.host.slice(0, 200) };
    let target: OnwardTarget;
    try {
      target = onwardTarget(command, this.onwardHosts);
    } catch (error) {
      minipaviOnward.inc({ service: this.options.code, transport, outcome: 'refused' });
      this.services.log.warn(`MiniPavi onward connection refused: ${error instanceof Error ? error.message : String(error)}`, fields);
      this.notice = 'Connexion refusée par la passerelle';
      return 'DIRECTCALLFAILED';
    }
    this.services.log.info(`MiniPavi onward connection to ${target.label}`, fields);
    const onward = new Onward(this.link, target, command, {
      connectMs: this.options.onwardConnectTimeoutMs ?? MINIPAVI_LIMITS.onwardConnectMs,
      maxMs: MINIPAVI_LIMITS.onwardMaxMs,
    });
    this.onward = onward;
    // Keys typed while the service was being called were for what its answer opened: this connection
    // (MiniPavi reads the user's line again once the answer is carried out). Background calls wait.
    this.queued = this.queued.filter((entry) => {
      if (entry.type === 'background') return true;
      onward.input(entry);
      return false;
    });
    const outcome = await onward.run();
    this.onward = undefined;
    minipaviOnward.inc({ service: this.options.code, transport, outcome: outcome.type });
    switch (outcome.type) {
      case 'left':
        this.services.log.info(`MiniPavi onward connection to ${target.label} ended: the user left`, fields);
        return undefined;
      case 'failed':
        this.services.log.warn(`MiniPavi onward connection failed: ${outcome.message}`, { ...fields, reason: outcome.reason });
        this.notice = 'Serveur distant injoignable';
        return 'DIRECTCALLFAILED';
      case 'ended':
        this.services.log.info(`MiniPavi onward connection to ${target.label} ended: ${outcome.why}`, { ...fields, bytes: outcome.bytesFromServer });
        return 'DIRECTCALLENDED';
    }
  }

  private show(bytes: Uint8Array): void {
    this.link.wanted.write(bytes);
    this.link.update();
  }
}
