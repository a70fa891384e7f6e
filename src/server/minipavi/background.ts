/**
 * BackgroundCall: calls a MiniPavi service asks the gateway to make later,
 * with no key pressed. At each entry's time the gateway either POSTs to its
 * URL with fctn BGCALL for its uniqueId (no user: empty content and
 * context; only a PushServiceMsg in the answer is carried out, as on
 * MiniPavi), or, with simulate, types the URL into that user's visit, whose
 * `next` is then called with BGCALL-SIMU (visits.ts finds the visit, on this
 * instance or another).
 *
 * Bounded, since a service is someone else's program: only URLs its allowed
 * hosts allow, at most MINIPAVI_LIMITS.backgroundPending waiting per service
 * on this instance, no time more than backgroundAheadMs ahead, a few tries.
 * The calls are timers in this process: they are not in the store, so a
 * restart loses them, and stop() clears them all.
 */
import type { ServiceLogger } from '../../sdk/service.js';
import { allowedUrl, callService, urlParamsOf } from './client.js';
import { MINIPAVI_LIMITS } from './limits.js';
import { minipaviBackground, minipaviErrors, minipaviRequestSeconds } from './metrics.js';
import { MiniPaviError, PROTOCOL_VERSION, type BackgroundCall, type BackgroundEntry, type MiniPaviRequest } from './protocol.js';
import type { MiniPaviVisits } from './visits.js';

export interface BackgroundOptions {
  code: string;
  allowedHosts: ReadonlySet<string>;
  timeoutMs?: number;
  /** Unix time in milliseconds; Date.now by default (tests move it). */
  now?: () => number;
}

export class BackgroundCalls {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly options: BackgroundOptions,
    private readonly visits: MiniPaviVisits,
  ) {}

  /** Calls waiting for their time. */
  get pending(): number {
    return this.timers.size;
  }

  /** Schedules what it may of a BackgroundCall; each entry refused says why in the log, and counts. */
  schedule(command: BackgroundCall, log: ServiceLogger): void {
    const service = this.options.code;
    if (command.beyond > 0) {
      minipaviBackground.inc({ service, outcome: 'refused_entries' }, command.beyond);
      log.warn(`MiniPavi BackgroundCall: ${command.beyond} entries beyond the first ${MINIPAVI_LIMITS.backgroundEntries} refused`, { service });
    }
    for (const entry of command.entries) {
      const refused = this.refusal(entry);
      if (refused !== undefined) {
        minipaviBackground.inc({ service, outcome: refused.outcome });
        log.warn(`MiniPavi BackgroundCall refused: ${refused.why}`, { service, url: entry.url.slice(0, 200), uniqueId: entry.uniqueId, simulate: entry.simulate });
        continue;
      }
      // A time already past runs at once, as MiniPavi's loop does on its next turn.
      const delay = Math.max(0, entry.time * 1000 - this.now());
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.run(entry, log);
      }, delay);
      // A waiting call never keeps the process alive: stopping the gateway is enough.
      timer.unref();
      this.timers.add(timer);
    }
  }

  /** Clears every waiting call (the gateway stops); calls scheduled after this are refused. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    if (this.timers.size > 0) minipaviBackground.inc({ service: this.options.code, outcome: 'cancelled' }, this.timers.size);
    this.timers.clear();
  }

  private refusal(entry: BackgroundEntry): { outcome: string; why: string } | undefined {
    if (this.stopped) return { outcome: 'cancelled', why: 'the gateway is stopping' };
    try {
      // Checked now, not when due: a URL the service may not reach is never called, nor typed.
      if (!entry.simulate) allowedUrl(entry.url, this.options.allowedHosts);
    } catch (error) {
      return { outcome: 'refused_host', why: error instanceof Error ? error.message : String(error) };
    }
    if (entry.time <= 0) return { outcome: 'refused_time', why: 'no time given (unix seconds)' };
    if (entry.time * 1000 - this.now() > MINIPAVI_LIMITS.backgroundAheadMs) {
      return { outcome: 'refused_time', why: `a time more than ${MINIPAVI_LIMITS.backgroundAheadMs / 3_600_000} h ahead` };
    }
    if (this.timers.size >= MINIPAVI_LIMITS.backgroundPending) {
      return { outcome: 'refused_full', why: `${MINIPAVI_LIMITS.backgroundPending} calls already waiting for this service` };
    }
    return undefined;
  }

  private async run(entry: BackgroundEntry, log: ServiceLogger): Promise<void> {
    const service = this.options.code;
    if (entry.simulate) {
      const where = this.visits.simulate(entry.uniqueId, entry.url);
      minipaviBackground.inc({ service, outcome: where === 'here' ? 'simulated' : 'sent' });
      if (where === 'sent') {
        log.info('MiniPavi BackgroundCall simulate: no such visit on this instance; offered to the others, dropped if none has it', { service, uniqueId: entry.uniqueId });
      }
      return;
    }
    const request: MiniPaviRequest = {
      PAVI: { version: PROTOCOL_VERSION, uniqueId: entry.uniqueId, remoteAddr: '', typesocket: 'other', versionminitel: '???', content: [], context: '', fctn: 'BGCALL' },
    };
    const urlParams = urlParamsOf(entry.url);
    if (urlParams !== undefined) request.URLPARAMS = urlParams;
    let failure: MiniPaviError | undefined;
    for (let tries = 0; tries < MINIPAVI_LIMITS.backgroundTries; tries++) {
      if (this.stopped) {
        minipaviBackground.inc({ service, outcome: 'cancelled' });
        return;
      }
      const stop = minipaviRequestSeconds.startTimer({ service });
      try {
        const answer = await callService(entry.url, request, { allowedHosts: this.options.allowedHosts, timeoutMs: this.options.timeoutMs });
        minipaviBackground.inc({ service, outcome: 'called' });
        const command = answer?.command;
        if (command === undefined || this.stopped) return;
        // Nobody's screen is shown this answer: its pushes reach the users it names, nothing else is done.
        if (command.name === 'PushServiceMsg') {
          for (const message of command.messages) this.visits.push(message.uniqueId, message.text);
        } else {
          log.info('MiniPavi BackgroundCall answer: only PushServiceMsg is carried out, the command is ignored', { service, command: command.name === 'refused' ? command.command : command.name });
        }
        return;
      } catch (error) {
        failure = error instanceof MiniPaviError ? error : new MiniPaviError('answer', error instanceof Error ? error.message : String(error));
        // A redirect to a host not allowed stays not allowed: not tried again.
        if (failure.kind === 'host') break;
      } finally {
        stop();
      }
    }
    if (failure === undefined) return;
    minipaviErrors.inc({ service, kind: failure.kind });
    minipaviBackground.inc({ service, outcome: 'failed' });
    log.warn(`MiniPavi BackgroundCall failed: ${failure.message}`, { service, kind: failure.kind, url: entry.url.slice(0, 200), uniqueId: entry.uniqueId });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
