/**
 * A session's state as one plain JSON value, defined in one place: what a
 * checkpoint must carry to resume the session on another connection or
 * another instance (checkpoints.ts): who it is, the terminal it talks to,
 * where the router is, the kiosque meter, and the screen the user sees.
 * `readSessionState` checks a parsed value field by field, so a damaged or
 * forged checkpoint is refused whole rather than half applied.
 */
import type { TerminalCapabilities } from '../sdk/link.js';
import { restoreScreen, ScreenSnapshotError, type ScreenSnapshot } from '../videotex/screen-snapshot.js';
import type { TransportName } from './metrics.js';

/** Bump when SessionState changes shape: a checkpoint of another version is not resumed. */
export const SESSION_STATE_VERSION = 1;

/** Where the router is: a page of its own, or a service visit. */
export interface RouterPosition {
  page: 'home' | 'guide' | 'visit';
  /** The code typed so far in the home or guide zone. */
  typed: string;
  guideIndex: number;
  /** The service of the visit (page 'visit'). */
  service?: string;
  /** What the service declared it can be resumed from (TerminalLink.keepState), with its version. */
  serviceState?: { version: number; state: unknown; input?: unknown };
}

/** The kiosque meter's reading (kiosque.ts). */
export interface MeterState {
  /** The visit being billed: its service, tariff and start (ms since the epoch). */
  visit?: { service: string; perMinute: number; currency: 'FRF' | 'EUR'; start: number; bytesIn: number; bytesOut: number };
  visits: number;
  /** Spent in finished visits, by currency. */
  spent: Record<string, number>;
}

export interface SessionState {
  id: string;
  startedAt: number;
  transport: TransportName;
  address: string;
  capabilities: TerminalCapabilities;
  bytesIn: number;
  bytesOut: number;
  router: RouterPosition;
  meter: MeterState;
  /** What the user's terminal shows (the mirror). */
  screen: ScreenSnapshot;
}

const TRANSPORTS: readonly string[] = ['websocket', 'tcp', 'serial'];
const PAGES: readonly string[] = ['home', 'guide', 'visit'];
/** As long as any text the session holds: a service code, an address, the typed zone. */
const TEXT_MAX = 256;

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= TEXT_MAX;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isAmount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The state a parsed checkpoint holds, or undefined when any field is not what a session writes. */
export function readSessionState(value: unknown): SessionState | undefined {
  if (!isObject(value)) return undefined;
  const { id, startedAt, transport, address, capabilities, bytesIn, bytesOut, router, meter, screen } = value;
  if (!isText(id) || id === '' || !isCount(startedAt) || !isText(transport) || !TRANSPORTS.includes(transport) || !isText(address)) return undefined;
  if (!isCount(bytesIn) || !isCount(bytesOut)) return undefined;
  if (!isObject(capabilities) || !isText(capabilities.model) || !isCount(capabilities.speed)) return undefined;
  if (typeof capabilities.drcs !== 'boolean' || typeof capabilities.columns80 !== 'boolean') return undefined;
  if (capabilities.rom !== undefined && (typeof capabilities.rom !== 'string' || capabilities.rom.length !== 3)) return undefined;
  if (!isObject(router) || !isText(router.page) || !PAGES.includes(router.page) || !isText(router.typed) || !isCount(router.guideIndex)) return undefined;
  if (router.page === 'visit' ? !isText(router.service) || router.service === '' : router.service !== undefined) return undefined;
  const serviceState = router.serviceState;
  if (serviceState !== undefined && (router.page !== 'visit' || !isObject(serviceState) || !isCount(serviceState.version) || !('state' in serviceState))) return undefined;
  if (!isMeter(meter)) return undefined;
  try {
    restoreScreen(screen);
  } catch (error) {
    if (error instanceof ScreenSnapshotError) return undefined;
    throw error;
  }
  return value as unknown as SessionState;
}

function isMeter(meter: unknown): meter is MeterState {
  if (!isObject(meter) || !isCount(meter.visits) || !isObject(meter.spent)) return false;
  if (!Object.entries(meter.spent).every(([currency, amount]) => (currency === 'FRF' || currency === 'EUR') && isAmount(amount))) return false;
  const visit = meter.visit;
  if (visit === undefined) return true;
  return (
    isObject(visit) &&
    isText(visit.service) &&
    isAmount(visit.perMinute) &&
    (visit.currency === 'FRF' || visit.currency === 'EUR') &&
    isCount(visit.start) &&
    isCount(visit.bytesIn) &&
    isCount(visit.bytesOut)
  );
}
