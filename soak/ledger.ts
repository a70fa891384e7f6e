/**
 * Every private message of the soak, by its id (written at the start of the
 * body): sent, confirmed ("Message envoyé à …" seen by the sender), read by
 * the recipient, and still in a BAL at the end. A confirmed message neither
 * read nor stored is lost.
 */
export interface MessageRecord {
  id: string;
  from: string;
  to: string;
  /** Which store holds the recipient's BAL (an instance's SQLite, or PostgreSQL). */
  store: string;
  confirmed: boolean;
  delivered: boolean;
}

export class Ledger {
  private readonly messages = new Map<string, MessageRecord>();
  private next = 0;
  /** Ids read by someone other than their recipient (or never sent): a wrong BAL. Counted; the first 100 described. */
  strangers = 0;
  readonly strangerExamples: string[] = [];
  /** "La BAL est pleine", "Doucement": refusals the sender was told of (not confirmed, not lost). */
  refused = 0;

  newId(): string {
    return `ZM${String(this.next++).padStart(6, '0')}`;
  }

  sent(record: Omit<MessageRecord, 'confirmed' | 'delivered'>): void {
    this.messages.set(record.id, { ...record, confirmed: false, delivered: false });
  }

  confirmed(id: string): void {
    const record = this.messages.get(id);
    if (record) record.confirmed = true;
  }

  delivered(id: string, reader: string): void {
    const record = this.messages.get(id);
    if (record === undefined || record.to.toLowerCase() !== reader.toLowerCase()) {
      this.strangers++;
      if (this.strangerExamples.length < 100) this.strangerExamples.push(`${id} read by ${reader}`);
      return;
    }
    record.delivered = true;
  }

  /** Recipients with confirmed messages not read yet (the last pass reads their BAL). */
  unread(): Map<string, MessageRecord[]> {
    const byRecipient = new Map<string, MessageRecord[]>();
    for (const record of this.messages.values()) {
      if (!record.confirmed || record.delivered) continue;
      const list = byRecipient.get(record.to) ?? [];
      list.push(record);
      byRecipient.set(record.to, list);
    }
    return byRecipient;
  }

  /** The books at the end, given the ids still stored in any BAL. */
  settle(stored: ReadonlySet<string>): { sent: number; confirmed: number; delivered: number; stored: number; lost: MessageRecord[] } {
    let confirmed = 0;
    let delivered = 0;
    let inStore = 0;
    const lost: MessageRecord[] = [];
    for (const record of this.messages.values()) {
      if (record.delivered) delivered++;
      if (stored.has(record.id)) inStore++;
      if (!record.confirmed) continue;
      confirmed++;
      if (!record.delivered && !stored.has(record.id)) lost.push(record);
    }
    return { sent: this.messages.size, confirmed, delivered, stored: inStore, lost };
  }
}
