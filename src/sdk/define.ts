/**
 * defineService: from a handler written with screens and keys to the
 * `Service` the gateway runs. The handler is the service's summary: it runs
 * from the top when the visit starts and again whenever the user presses
 * Sommaire somewhere the service does not handle it. It returning ends the
 * visit.
 */
import type { TerminalLink } from './link.js';
import { FREE, type Service, type ServiceContext, type ServiceInfo, type Tariff } from './service.js';
import { LeaveSignal, SdkError, SessionClosedError, SommaireSignal } from './errors.js';
import { baseDirectory, type PageSource } from './pages.js';
import { Session, describe } from './session.js';
import { Painter } from './draw.js';

export interface ServiceDefinition<S> {
  /** The code typed after 3615: capital letters and digits, 1–16 characters. */
  code: string;
  name: string;
  description?: string;
  /** Default: free. */
  tariff?: Tariff;
  keywords?: readonly string[];
  /** Where relative .vdt paths given to `s.show` are read from (default the working folder); `new URL('./pages/', import.meta.url)` works. */
  pagesDir?: string | URL;
  /** A page shown when the user presses Guide; any key puts the screen back. */
  help?: PageSource;
  /** The initial `s.state` of each visit. */
  state?: () => S;
  /**
   * Makes a visit resumable where it was when its session moves to another
   * instance (a restart, a deploy): `s.state` is checkpointed as JSON with
   * `version`, and the visit that continues gets it back through `check`
   * (return the state, or undefined to start afresh: it comes from a
   * database, check it as input), with `s.resumed` true until the first
   * Sommaire. Keep in `s.state` what the handler needs to go back there.
   * Without it, a moved visit starts at the top with a notice on row 0.
   * `save` gives the JSON view of a state that holds more than JSON (a Set,
   * a live object, a listener): what it returns is checkpointed instead, and
   * `check` builds the state back from it.
   */
  resume?: { version: number; check(state: unknown): S | undefined; save?(state: S): unknown };
  session(s: Session<S>): Promise<void> | void;
}

/** Row 0 of a visit moved to another instance that starts again at the top (no `resume`, or a state it could not use); the gateway shows it too. */
export const RESTARTED_NOTICE = 'Reprise : le service redémarre';

/** Restarts of the handler in a row without the user pressing a key, before it is treated as a bug. */
const MAX_RESTARTS_WITHOUT_INPUT = 3;

export const SERVICE_CODE = /^[A-Z0-9]{1,16}$/;

export function checkServiceInfo(info: Partial<ServiceInfo>, where = 'defineService'): string[] {
  const problems: string[] = [];
  if (typeof info.code !== 'string' || !SERVICE_CODE.test(info.code)) {
    problems.push(`bad code '${String(info.code)}': use 1 to 16 capital letters or digits (the word typed after 3615)`);
  }
  if (typeof info.name !== 'string' || info.name.trim() === '' || info.name.length > 40) {
    problems.push('the name must be 1 to 40 characters');
  }
  if (info.description !== undefined && (typeof info.description !== 'string' || info.description.length > 400)) {
    problems.push('the description must be text of at most 400 characters');
  }
  if (info.keywords !== undefined && (!Array.isArray(info.keywords) || info.keywords.some((k) => typeof k !== 'string'))) {
    problems.push('keywords must be a list of words');
  }
  const tariff = info.tariff;
  if (
    tariff !== undefined &&
    (typeof tariff !== 'object' ||
      tariff === null ||
      typeof tariff.perMinute !== 'number' ||
      !Number.isFinite(tariff.perMinute) ||
      tariff.perMinute < 0 ||
      (tariff.currency !== 'FRF' && tariff.currency !== 'EUR'))
  ) {
    problems.push("the tariff is { perMinute: a number ≥ 0, currency: 'FRF' or 'EUR' }");
  }
  return problems.map((p) => `${where}: ${p}`);
}

export function defineService<S = Record<string, unknown>>(definition: ServiceDefinition<S>): Service {
  const problems = checkServiceInfo(definition);
  if (typeof definition.session !== 'function') problems.push('defineService: session must be a function (s) => …');
  if (problems.length > 0) throw new SdkError('TELETEL_E_SERVICE_DEFINITION', problems.join('\n'));
  const info: ServiceInfo = {
    code: definition.code,
    name: definition.name,
    description: definition.description ?? '',
    tariff: definition.tariff ?? FREE,
    keywords: [...(definition.keywords ?? [])],
  };
  const pagesDir = baseDirectory(definition.pagesDir);
  const resume = definition.resume;
  if (
    resume !== undefined &&
    (!Number.isSafeInteger(resume.version) || resume.version < 0 || typeof resume.check !== 'function' || (resume.save !== undefined && typeof resume.save !== 'function'))
  ) {
    throw new SdkError('TELETEL_E_SERVICE_DEFINITION', 'defineService: resume is { version: a whole number ≥ 0, check: (state) => state or undefined, save?: (state) => JSON }');
  }

  /** The state a handed-over visit brings back, once the service's own check accepts it. */
  const resumedState = (link: TerminalLink): S | undefined => {
    const kept = link.resumedState;
    if (resume === undefined || kept === undefined || kept.version !== resume.version) return undefined;
    try {
      return resume.check(kept.state);
    } catch {
      return undefined;
    }
  };

  return {
    ...info,
    async run(link: TerminalLink, context: ServiceContext): Promise<void> {
      const resumed = resumedState(link);
      const session = new Session<S>(link, context, {
        info,
        pagesDir,
        help: definition.help,
        state: resumed ?? (definition.state === undefined ? ({} as S) : definition.state()),
        resumed: resumed !== undefined,
        // What was being typed comes back only with the state it was typed in.
        resumedInput: resumed === undefined ? undefined : link.resumedState?.input,
      });
      if (resume !== undefined) {
        link.keepState?.(resume.version, () => (resume.save === undefined ? session.state : resume.save(session.state)));
        link.keepInput?.(() => session.formSnapshot());
      }
      // Kept by another version of this service, or refused by its check: the visit starts afresh, on a
      // cleared screen (the gateway gave it the screen the checkpoint kept), and says so.
      if (link.resumedState !== undefined && resumed === undefined) {
        session.write(new Painter().clearScreen());
        session.notify(RESTARTED_NOTICE);
      }
      let restarts = 0;
      let keysAtRestart = -1;
      try {
        for (;;) {
          try {
            await definition.session(session);
            return;
          } catch (error) {
            if (!(error instanceof SommaireSignal)) throw error;
            restarts = session.keysRead === keysAtRestart ? restarts + 1 : 0;
            if (restarts >= MAX_RESTARTS_WITHOUT_INPUT) {
              throw new SdkError('TELETEL_E_RESTART_LOOP', `${info.code} went back to its summary ${restarts + 1} times without a key pressed`);
            }
            keysAtRestart = session.keysRead;
            session.restart();
          }
        }
      } catch (error) {
        if (error instanceof SessionClosedError || error instanceof LeaveSignal || link.closed.aborted) return;
        context.log.error('the service failed', { service: info.code, link: link.id, error: describe(error) });
        throw error;
      } finally {
        session.dispose();
      }
    },
  };
}
