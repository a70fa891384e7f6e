/**
 * The kiosque meter. Télétel billed by connection time at the rate of the
 * service visited; here each service declares its `tariff` (per minute, in
 * francs or euros) and the meter runs from the moment the user enters the
 * service to the moment they leave it, prorated to the second.
 *
 * One record per service visit goes to `store.sessions` (service, start, end,
 * bytes in and out, cost, currency), which is how the kiosque billed: per
 * service connection. A connection that never left the home page is recorded
 * once, with service null and no cost.
 */
import type { Tariff } from '../sdk/service.js';
import type { SessionRecord } from '../store/store.js';
import type { MeterState } from './session-state.js';

/** Cost of `ms` of connection at `tariff`, rounded to the centime. */
export function costOf(tariff: Tariff, ms: number): number {
  if (!(tariff.perMinute > 0) || !(ms > 0)) return 0;
  return Math.round((tariff.perMinute * ms) / 600) / 100;
}

/** "1,29 F" / "0,34 EUR": French decimal comma; € is not in the Minitel's sets (docs §2.4). */
export function formatCost(amount: number, currency: string): string {
  const text = amount.toFixed(2).replace('.', ',');
  return `${text} ${currency === 'FRF' ? 'F' : currency}`;
}

/** "1,29 F/mn", or "gratuit" for a free service. */
export function formatTariff(tariff: Tariff): string {
  if (!(tariff.perMinute > 0)) return 'gratuit';
  return `${formatCost(tariff.perMinute, tariff.currency)}/mn`;
}

/** "2 mn 05 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes} mn ${String(seconds % 60).padStart(2, '0')} s`;
}

interface OpenVisit {
  service: string;
  tariff: Tariff;
  /** When the visit started, moved later by the time it spent without a line (a detached session), so it is not billed. */
  start: number;
  bytesIn: number;
  bytesOut: number;
}

/** The byte counters the meter reads from its session. */
export interface MeteredLine {
  readonly bytesIn: number;
  readonly bytesOut: number;
}

export class KiosqueMeter {
  private visit: OpenVisit | undefined;
  private visits = 0;
  /** Amount spent in finished visits, by currency (created at the first visit). */
  private spent: Map<string, number> | undefined;

  constructor(
    private readonly id: string,
    private readonly transport: string,
    private readonly address: string,
    private readonly connectedAt: number,
    private readonly line: MeteredLine,
  ) {}

  /** The user entered a service: its meter starts now. */
  enter(service: string, tariff: Tariff, now: number): void {
    this.visit = { service, tariff, start: now, bytesIn: this.line.bytesIn, bytesOut: this.line.bytesOut };
  }

  /** `ms` without a line (a dropped link, then resumed): not billed; the visit's start moves by that much. */
  pause(ms: number): void {
    if (this.visit !== undefined && ms > 0) this.visit.start += ms;
  }

  /** The user left the service: the record of the visit. */
  leave(now: number): SessionRecord | undefined {
    const visit = this.visit;
    if (visit === undefined) return undefined;
    this.visit = undefined;
    const cost = costOf(visit.tariff, now - visit.start);
    const spent = (this.spent ??= new Map<string, number>());
    spent.set(visit.tariff.currency, round(cost + (spent.get(visit.tariff.currency) ?? 0)));
    this.visits++;
    return {
      id: `${this.id}.${this.visits}`,
      transport: this.transport,
      address: this.address,
      service: visit.service,
      start: new Date(visit.start),
      end: new Date(now),
      bytesIn: this.line.bytesIn - visit.bytesIn,
      bytesOut: this.line.bytesOut - visit.bytesOut,
      cost,
      currency: visit.tariff.currency,
    };
  }

  /** At hang-up: the open visit's record, or one record for a connection that visited nothing. */
  close(now: number): SessionRecord | undefined {
    if (this.visit !== undefined) return this.leave(now);
    if (this.visits > 0) return undefined;
    return {
      id: this.id,
      transport: this.transport,
      address: this.address,
      service: null,
      start: new Date(this.connectedAt),
      end: new Date(now),
      bytesIn: this.line.bytesIn,
      bytesOut: this.line.bytesOut,
      cost: 0,
      currency: 'EUR',
    };
  }

  /** The session's cost so far, by currency, including the visit in progress. */
  total(now: number): Map<string, number> {
    const total = new Map(this.spent ?? []);
    const visit = this.visit;
    if (visit !== undefined) {
      const currency = visit.tariff.currency;
      total.set(currency, round((total.get(currency) ?? 0) + costOf(visit.tariff, now - visit.start)));
    }
    return total;
  }

  /**
   * Continues a meter a checkpoint kept (session-state.ts), at `now`: the
   * visit that was open counts as finished then (the instance that held it
   * recorded it when it handed the session over), so nothing is billed twice
   * and the next visit's record number follows on.
   */
  restore(state: MeterState, now: number): void {
    const spent = new Map(Object.entries(state.spent));
    let visits = state.visits;
    const visit = state.visit;
    if (visit !== undefined) {
      const cost = costOf({ perMinute: visit.perMinute, currency: visit.currency }, Math.max(0, now - visit.start));
      spent.set(visit.currency, round(cost + (spent.get(visit.currency) ?? 0)));
      visits++;
    }
    this.visits = visits;
    this.spent = spent.size > 0 ? spent : undefined;
  }

  /** The meter's reading, as a session checkpoint keeps it (session-state.ts). */
  state(): MeterState {
    const visit = this.visit;
    const state: MeterState = { visits: this.visits, spent: Object.fromEntries(this.spent ?? []) };
    if (visit !== undefined) {
      const { service, tariff, start, bytesIn, bytesOut } = visit;
      state.visit = { service, perMinute: tariff.perMinute, currency: tariff.currency, start, bytesIn, bytesOut };
    }
    return state;
  }

  /** "Coût : 2,58 F (3 mn 12 s)" for row 0. */
  describe(now: number): string {
    const parts = [...this.total(now)].filter(([, amount]) => amount > 0).map(([currency, amount]) => formatCost(amount, currency));
    const cost = parts.length === 0 ? 'gratuit' : parts.join(' + ');
    return `Coût : ${cost} (${formatDuration(now - this.connectedAt)})`;
  }
}

function round(amount: number): number {
  return Math.round(amount * 100) / 100;
}
