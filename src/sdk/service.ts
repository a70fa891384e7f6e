/**
 * What a service is, as the gateway sees it. Authors write services with
 * `defineService` (src/sdk), which builds this from a friendlier handler;
 * the gateway only calls `run` with the connection and the shared context.
 */
import type { TerminalLink } from './link.js';
import type { Store } from '../store/store.js';

/** Kiosque pricing: an amount per minute of connection, in historical francs or euros. */
export interface Tariff {
  perMinute: number;
  currency: 'FRF' | 'EUR';
}

/** The classic 3615 rate (1.29 F per minute) and a free service. */
export const TARIFF_3615: Tariff = { perMinute: 1.29, currency: 'FRF' };
export const FREE: Tariff = { perMinute: 0, currency: 'EUR' };

/** What the Guide and the router know about a service. */
export interface ServiceInfo {
  /** The code typed after 3615: upper-case letters and digits, 1–16 characters. */
  code: string;
  name: string;
  description: string;
  tariff: Tariff;
  /** Extra words the Guide's search matches. */
  keywords: readonly string[];
}

/** Logging for services: structured, without binding services to the server's logger. */
export interface ServiceLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Shared by every session of every service in one gateway process. */
export interface ServiceContext {
  store: Store;
  log: ServiceLogger;
  /** The services this gateway offers (for GUIDE). */
  services(): readonly ServiceInfo[];
}

export interface Service extends ServiceInfo {
  /**
   * Runs one user's visit. The link's `closed` signal aborts when the user
   * leaves the service (Connexion/Fin) or hangs up; `run` should then return
   * promptly. Throwing ends the visit with an error message to the user.
   */
  run(link: TerminalLink, context: ServiceContext): Promise<void>;
  /**
   * Called once when the gateway stops, after the sessions have ended: for a
   * service that keeps timers of its own outside visits (MiniPavi's
   * BackgroundCall), so none fires after.
   */
  stop?(): void;
}
