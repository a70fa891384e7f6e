/**
 * What the user sees between services: the Télétel home page, where a service
 * code is typed and sent with Envoi (optionally "3615 CODE"), and the Guide.
 *
 * Keys at the home page:
 * - letters, digits, space: typed into the code zone (echoed; the Minitel does
 *   not echo while connected, p.81); `*` and a session's resume code, then
 *   Envoi, takes that session back on this line (resume-code.ts);
 * - Correction (or ←, DEL, BS from PC clients): erases the last character;
 *   Annulation: clears the zone;
 * - Envoi (or CR): opens the service, or answers "Service inconnu" on row 0;
 * - Guide: lists the services (Suite / Retour page through it);
 * - Sommaire: back to the home page;
 * - Répétition: the session's cost so far on row 0 (the kiosque meter); the
 *   home page is drawn by the gateway itself, so there is nothing to repeat;
 * - Connexion/Fin: hangs up.
 *
 * In a service, every key goes to the service except Connexion/Fin, which
 * ends the visit and comes back here; Sommaire goes to the service (the SDK
 * reads it as "back to the service's summary"), and so does Répétition: a
 * service that does not handle it (the SDK's default) calls `link.repeat()`,
 * and the gateway sends the whole page again from a cleared screen
 * (SessionLine.redraw), as a Minitel service does when asked to repeat a page.
 *
 * The router sees the session only through RouterContext (line.ts).
 *
 * The services offered are looked up in the gateway's directory at each
 * visit, so a directory replaced by `teletel serve --dev` serves new visits,
 * while a visit already running keeps the Service it started with.
 */
import type { Terminal } from '../videotex/terminal.js';
import type { Screen } from '../videotex/screen.js';
import { RecordingTerminal } from './recording-terminal.js';
import type { InputEvent } from '../videotex/key-parser.js';
import type { Service } from '../sdk/service.js';
import { decoderModelOf } from './capabilities.js';
import { HOME_SERVICE } from './metrics.js';
import { formatCost, formatDuration } from './kiosque.js';
import {
  GUIDE_INPUT,
  HOME_INPUT,
  INPUT_LENGTH,
  guidePage,
  guidePages,
  homePage,
  inputEcho,
  resumeCodeLine,
  rowZeroMessage,
} from './pages.js';
import type { RouterContext } from './line.js';
import type { RouterPosition } from './session-state.js';
import { Visit } from './visit.js';
import { RESTARTED_NOTICE } from '../sdk/define.js';

/** PRO1 RESET (p.145): back to standard modes after a service (roll, lowercase, extended keyboard, Mixte). */
const RESET = Uint8Array.of(0x1b, 0x39, 0x7f);
const TYPABLE = /^[A-Za-z0-9 *]$/;
const DEL = 0x7f;
const BS = 0x08;

const enum Page {
  NONE,
  HOME,
  GUIDE,
  VISIT,
  STOPPED,
}

export class Router {
  private page = Page.NONE;
  /** The router's own screen (home, guide); dropped during a visit. */
  private screen: Terminal | undefined;
  private typed = '';
  private guideIndex = 0;
  /** A resume code typed here is being looked up. */
  private claimingCode = false;
  private visit: Visit | undefined;
  /** The code of the service visited, while `visit` is set. */
  private visitCode: string | undefined;

  constructor(private readonly context: RouterContext) {}

  /** First page: the home page, or the service asked for in the URL. */
  start(serviceCode?: string): void {
    if (serviceCode !== undefined && serviceCode !== '') {
      const service = this.context.directory.find(serviceCode);
      if (service !== undefined) {
        this.enter(service);
        return;
      }
      this.showHome('Service inconnu');
      return;
    }
    this.showHome();
  }

  /**
   * Where a checkpoint left the session (another instance, before a restart):
   * the home page or the guide as they were, code typed so far included; a
   * visit opens the service with the state it declared (keepState) and the
   * checkpointed `screen` as its own, so it goes on from what the user saw
   * (CHAT's room writes its next line under the last one), or, for a
   * service that declared none, at its start page with a row-0 notice.
   */
  resume(position: RouterPosition, screen?: Screen): void {
    this.typed = position.typed.slice(0, INPUT_LENGTH);
    if (position.page === 'guide') {
      this.guideIndex = Math.min(position.guideIndex, guidePages(this.context.directory.size) - 1);
      this.showGuide();
      return;
    }
    if (position.page === 'visit' && position.service !== undefined) {
      const service = this.context.directory.find(position.service);
      this.typed = '';
      if (service === undefined) {
        this.showHome('Service inconnu');
        return;
      }
      this.enter(service, position.serviceState, screen);
      if (position.serviceState !== undefined) return;
      // In the visit's own screen, so the service's next diffs keep it until it writes row 0 itself.
      this.visit?.wanted.write(rowZeroMessage(RESTARTED_NOTICE));
      this.context.line.update();
      return;
    }
    this.showHome();
  }

  input(event: InputEvent): void {
    switch (this.page) {
      case Page.VISIT:
        if (event.type === 'function' && event.name === 'ConnexionFin') this.leave('user left');
        else this.visit?.deliver(event);
        return;
      case Page.HOME:
      case Page.GUIDE:
        this.pageInput(event);
        return;
      default:
        return;
    }
  }

  /** Where the router is, as a session checkpoint keeps it (session-state.ts). */
  position(): RouterPosition {
    const position: RouterPosition = { page: 'home', typed: this.typed, guideIndex: this.guideIndex };
    if (this.page === Page.GUIDE) position.page = 'guide';
    if (this.page === Page.VISIT && this.visitCode !== undefined) {
      position.page = 'visit';
      position.service = this.visitCode;
      const serviceState = this.visit?.declaredState();
      if (serviceState !== undefined) position.serviceState = serviceState;
    }
    return position;
  }

  /** The session is ending: the visit, if any, is closed and billed. */
  stop(): void {
    if (this.page === Page.STOPPED) return;
    if (this.visit !== undefined) this.closeVisit('hang-up');
    this.page = Page.STOPPED;
    this.screen = undefined;
  }

  private pageInput(event: InputEvent): void {
    if (event.type === 'char') {
      if (TYPABLE.test(event.char) && this.typed.length < INPUT_LENGTH) this.setInput(this.typed + event.char.toUpperCase());
      return;
    }
    if (event.type === 'cursor' && event.name === 'Left') return this.setInput(this.typed.slice(0, -1));
    if (event.type === 'control' && (event.code === DEL || event.code === BS)) return this.setInput(this.typed.slice(0, -1));
    if (event.type !== 'function') return;
    switch (event.name) {
      case 'Envoi':
        return this.submit();
      case 'Correction':
        return this.setInput(this.typed.slice(0, -1));
      case 'Annulation':
        return this.setInput('');
      case 'Guide':
        this.guideIndex = 0;
        return this.showGuide();
      case 'Suite':
      case 'Retour':
        if (this.page !== Page.GUIDE) return;
        return this.turnGuidePage(event.name === 'Suite' ? 1 : -1);
      case 'Sommaire':
        this.typed = '';
        return this.showHome();
      case 'Repetition':
        return this.message(this.context.kiosque.describe(Date.now()));
      case 'ConnexionFin':
        this.context.line.hangUp('user hung up', 'Au revoir');
        return;
    }
  }

  private submit(): void {
    const typed = this.typed.trim();
    if (typed === '') {
      this.message('Tapez un code de service puis Envoi');
      return;
    }
    if (typed.startsWith('*')) {
      // A resume code: the session it names takes this line; a refusal is said here, if the user is still here.
      // One at a time: each try is a store claim, and wrong ones are counted once answered.
      this.typed = '';
      this.redrawInput();
      if (this.claimingCode) return;
      this.claimingCode = true;
      this.context
        .resumeWithCode(typed.slice(1))
        .then(
          (refusal) => {
            if (refusal !== undefined && this.page === Page.HOME) this.message(refusal);
          },
          (error: unknown) => this.context.log.error({ session: this.context.line.id, err: error }, 'resume code not carried out'),
        )
        .finally(() => (this.claimingCode = false));
      return;
    }
    const service = this.context.directory.find(typed);
    this.typed = '';
    if (service === undefined) {
      this.redrawInput();
      this.message('Service inconnu');
      return;
    }
    this.enter(service);
  }

  private enter(service: Service, resumedState?: { version: number; state: unknown }, resumedScreen?: Screen): void {
    const { line, log, kiosque } = this.context;
    const visit: Visit = new Visit({ line, log, goTo: (code) => this.goTo(visit, code) }, resumedState, resumedScreen);
    this.visit = visit;
    this.visitCode = service.code;
    this.page = Page.VISIT;
    this.screen = undefined;
    kiosque.enter(service.code, service.tariff, Date.now());
    this.context.movedTo(service.code);
    log.info({ session: line.id, service: service.code }, 'service entered');
    line.show(visit.wanted);
    const context = this.context.services;
    let run: Promise<void>;
    try {
      run = Promise.resolve(service.run(visit, context));
    } catch (error) {
      run = Promise.reject(error);
    }
    run.then(
      () => {
        if (this.visit === visit) this.leave('service ended');
      },
      (error: unknown) => {
        if (this.visit !== visit) return; // failures after the user left are the service's business
        log.error({ session: line.id, service: service.code, err: error }, 'service failed');
        this.leave('service failed', 'Service momentanément indisponible');
      },
    );
  }

  /**
   * A service sends the user to another service (GUIDE's connect key): the
   * visit ends and is billed as if the user had left, then the other service
   * opens as if its code had been typed. False when `from` is no longer the
   * current visit or no service has that code.
   */
  private goTo(from: Visit, code: string): boolean {
    if (this.page !== Page.VISIT || this.visit !== from) return false;
    const service = this.context.directory.find(code);
    if (service === undefined) return false;
    this.closeVisit(`went to ${service.code}`);
    this.context.sendCommand(RESET);
    this.enter(service);
    return true;
  }

  /** Back to the home page from a visit. */
  private leave(reason: string, note?: string): void {
    const record = this.closeVisit(reason);
    // The service may have changed modes (roll, lowercase, keyboard, Mixte): standard again.
    this.context.sendCommand(RESET);
    let message = note;
    if (message === undefined && record !== undefined && record.cost > 0) {
      message = `Coût : ${formatCost(record.cost, record.currency)} (${formatDuration(record.end.getTime() - record.start.getTime())})`;
    }
    this.typed = '';
    this.showHome(message);
  }

  private closeVisit(reason: string): ReturnType<RouterContext['kiosque']['leave']> {
    const visit = this.visit;
    if (visit === undefined) return undefined;
    this.visit = undefined;
    this.visitCode = undefined;
    visit.close(reason);
    this.context.log.info({ session: this.context.line.id, reason }, 'service left');
    this.context.movedTo(HOME_SERVICE);
    const record = this.context.kiosque.leave(Date.now());
    if (record !== undefined) this.context.record(record);
    return record;
  }

  private freshScreen(): Terminal {
    const screen = new RecordingTerminal({ model: decoderModelOf(this.context.line.capabilities) });
    this.screen = screen;
    return screen;
  }

  private showHome(message?: string): void {
    this.page = Page.HOME;
    const screen = this.freshScreen();
    const services = this.context.directory.list();
    screen.write(homePage(this.typed, services[0]?.code));
    const code = this.context.resumeCode();
    if (code !== undefined) screen.write(resumeCodeLine(code, this.typed));
    if (message !== undefined) screen.write(rowZeroMessage(message));
    this.context.line.show(screen);
  }

  private showGuide(): void {
    this.page = Page.GUIDE;
    const screen = this.freshScreen();
    screen.write(guidePage(this.context.directory.list(), this.guideIndex, this.typed));
    this.context.line.show(screen);
  }

  private turnGuidePage(step: number): void {
    const pages = guidePages(this.context.directory.size);
    const next = Math.min(pages - 1, Math.max(0, this.guideIndex + step));
    if (next === this.guideIndex) return;
    this.guideIndex = next;
    this.showGuide();
  }

  private setInput(input: string): void {
    if (input === this.typed) return;
    this.typed = input;
    this.redrawInput();
  }

  /** Echo: the zone redrawn in the wanted screen; the diff sends only the cells that changed. */
  private redrawInput(): void {
    const screen = this.screen;
    if (screen === undefined) return;
    // A key clears the last row-0 message, as on Télétel.
    screen.write(rowZeroMessage(''));
    screen.write(inputEcho(this.page === Page.GUIDE ? GUIDE_INPUT : HOME_INPUT, this.typed));
    this.context.line.show(screen);
  }

  private message(text: string): void {
    const screen = this.screen;
    if (screen === undefined) return;
    screen.write(rowZeroMessage(text));
    this.context.line.show(screen);
  }
}
