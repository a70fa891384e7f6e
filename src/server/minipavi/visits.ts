/**
 * The MiniPavi visits of this instance, by the uniqueId the services know
 * them by, for PushServiceMsg: a row-0 message to another user of the same
 * service (sanitised, so no control byte crosses). Per instance: a user on
 * another instance behind the same database does not get it.
 */
import type { TerminalLink } from '../../sdk/link.js';
import { sanitizeText } from '../../videotex/text.js';
import { rowZeroMessage } from '../pages.js';

export class MiniPaviVisits {
  private readonly links = new Map<string, TerminalLink>();

  add(uniqueId: string, link: TerminalLink): void {
    this.links.set(uniqueId, link);
  }

  remove(uniqueId: string): void {
    this.links.delete(uniqueId);
  }

  /** Shows `text` on row 0 of that user's screen; false when no such visit is open here. */
  push(uniqueId: string, text: string): boolean {
    const link = this.links.get(uniqueId);
    if (link === undefined || link.closed.aborted) return false;
    link.wanted.write(rowZeroMessage(sanitizeText(text)));
    link.update();
    return true;
  }
}
