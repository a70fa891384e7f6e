/**
 * A MiniPavi service as a Teletel service: the code maps to a remote URL
 * that speaks MiniPavi's protocol (protocol.ts). Each visit calls it with
 * CNX, shows the Videotex it answers on the visit's screen (so the mirror,
 * the pacer, the kiosque meter and the limits apply as for SDK services),
 * does the input work locally (input.ts), and calls again with what was
 * typed and the function key, the context round-tripping; FIN when the user
 * leaves. A failed call shows a message on row 0: Sommaire then goes back
 * to the home page, the log says why.
 */
import type { Service, ServiceContext, Tariff } from '../../sdk/service.js';
import { FREE } from '../../sdk/service.js';
import type { TerminalLink } from '../../sdk/link.js';
import type { InputEvent } from '../../videotex/key-parser.js';
import type { FunctionKeyName } from '../../videotex/keyboard.js';
import { encodeText, sanitizeText } from '../../videotex/text.js';
import { rowZeroMessage } from '../pages.js';
import { allowedUrl, callService } from './client.js';
import { InputZones } from './input.js';
import { MINIPAVI_LIMITS } from './limits.js';
import { minipaviErrors, minipaviRequestSeconds } from './metrics.js';
import { MiniPaviError, PROTOCOL_VERSION, REFUSED_COMMANDS, type MiniPaviAnswer, type MiniPaviEvent, type MiniPaviRequest } from './protocol.js';
import type { MiniPaviVisits } from './visits.js';

export interface MiniPaviServiceOptions {
  code: string;
  url: string;
  name?: string;
  description?: string;
  tariff?: Tariff;
  /** Hosts `next` and redirects may lead to; the URL's own host always may. */
  allowedHosts?: readonly string[];
  timeoutMs?: number;
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
  const urlParams = Object.fromEntries([...first.searchParams].slice(0, MINIPAVI_LIMITS.urlParams));
  return {
    code: options.code,
    name: options.name ?? options.code,
    description: options.description ?? `Service MiniPavi (${first.host})`,
    keywords: ['minipavi'],
    tariff: options.tariff ?? FREE,
    run: (link, context) => new MiniPaviVisit(options, allowedHosts, urlParams, visits, link, context).run(),
  };
}

class MiniPaviVisit {
  private next: string;
  private context = '';
  private echo = true;
  private zones: InputZones | undefined;
  private freeText = '';
  private calling = false;
  private failed = false;
  private finish: () => void = () => {};

  constructor(
    private readonly options: MiniPaviServiceOptions,
    private readonly allowedHosts: ReadonlySet<string>,
    private readonly urlParams: Record<string, string>,
    private readonly visits: MiniPaviVisits,
    private readonly link: TerminalLink,
    private readonly services: ServiceContext,
  ) {
    this.next = options.url;
  }

  async run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    this.visits.add(this.link.id, this.link);
    const unsubscribe = this.link.onInput((event) => this.input(event));
    this.link.closed.addEventListener('abort', () => {
      this.visits.remove(this.link.id);
      // The service hears that the user left; nobody waits for its answer.
      if (!this.failed) void this.call('FIN', [], { show: false });
      this.finish();
    });
    await this.call('CNX', []);
    await done;
    unsubscribe();
  }

  private input(event: InputEvent): void {
    if (this.calling) return; // keys typed while the service thinks are dropped, as on MiniPavi
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

  /** One call, then the direct calls it asks for; an error is shown, never thrown. */
  private async call(fctn: MiniPaviEvent, content: string[], { show = true } = {}): Promise<void> {
    this.calling = true;
    try {
      let event = fctn;
      let body = content;
      for (let direct = 0; ; direct++) {
        const answer = await this.request(event, body);
        if (!show || this.link.closed.aborted) return;
        this.apply(answer);
        if (!answer.directCall) return;
        if (direct + 1 >= MINIPAVI_LIMITS.directCalls) throw new MiniPaviError('answer', `more than ${MINIPAVI_LIMITS.directCalls} direct calls in a row`);
        event = 'DIRECT';
        body = [];
      }
    } catch (error) {
      const failure = error instanceof MiniPaviError ? error : new MiniPaviError('answer', error instanceof Error ? error.message : String(error));
      minipaviErrors.inc({ service: this.options.code, kind: failure.kind });
      this.services.log.warn(`MiniPavi service failed: ${failure.message}`, { service: this.options.code, kind: failure.kind, url: this.next, event: fctn });
      if (show && !this.link.closed.aborted) {
        this.failed = true;
        this.zones = undefined;
        this.link.wanted.write(rowZeroMessage('Service indisponible. SOMMAIRE : accueil'));
        this.link.update();
      }
    } finally {
      this.calling = false;
    }
  }

  private async request(fctn: MiniPaviEvent, content: string[]): Promise<MiniPaviAnswer> {
    const request: MiniPaviRequest = {
      PAVI: {
        version: PROTOCOL_VERSION,
        uniqueId: this.link.id,
        remoteAddr: this.link.address,
        typesocket: this.link.transport === 'websocket' ? 'websocket' : 'other',
        versionminitel: this.link.capabilities.model,
        content,
        context: this.context,
        fctn,
      },
      URLPARAMS: this.urlParams,
    };
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
    this.context = answer.context;
    if (answer.next !== '') this.next = answer.next;
    this.echo = answer.echo;
    this.freeText = '';
    this.zones = undefined;
    this.link.wanted.write(answer.content);
    const command = answer.command;
    if (command?.name === 'InputTxt' || command?.name === 'InputMsg' || command?.name === 'InputForm') {
      this.zones = new InputZones(command, answer.echo);
      this.link.wanted.write(this.zones.draw());
    } else if (command?.name === 'PushServiceMsg') {
      for (const message of command.messages) this.visits.push(message.uniqueId, message.text);
    } else if (command?.name === 'libCnx') {
      this.link.hangUp('Au revoir');
    } else if (command?.name === 'refused') {
      const why = REFUSED_COMMANDS[command.command] ?? 'not a command of the protocol';
      this.services.log.warn(`MiniPavi command refused: ${why}`, { service: this.options.code, command: command.command });
    }
    this.link.update();
  }

  private show(bytes: Uint8Array): void {
    this.link.wanted.write(bytes);
    this.link.update();
  }
}
