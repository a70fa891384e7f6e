/**
 * The storage interface services and the gateway use. Asynchronous, so that
 * the SQLite implementation (default, embedded) and a PostgreSQL one are
 * interchangeable without touching services. Owned by the SDK/store work
 * (issue "Service SDK"); the gateway only needs `sessions`.
 */

/** One connection's kiosque record (issue "gateway": service, start, end, bytes, cost). */
export interface SessionRecord {
  id: string;
  transport: string;
  address: string;
  /** The service code, or null when the user never left the home page. */
  service: string | null;
  start: Date;
  end: Date;
  bytesIn: number;
  bytesOut: number;
  /** Amount charged, in `currency`. */
  cost: number;
  currency: string;
}

export interface SessionLog {
  record(record: SessionRecord): Promise<void>;
  recent(limit: number): Promise<SessionRecord[]>;
}

export interface Store {
  readonly sessions: SessionLog;
  close(): Promise<void>;
}
