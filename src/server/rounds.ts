/**
 * Visiting every member of a changing set in rounds, a share per tick: the
 * pings (transports/websocket.ts) and the running checkpoints
 * (running-checkpoints.ts) spread their work this way instead of doing it
 * for thousands of connections in one go.
 *
 * A round is a snapshot of the set taken when it starts: members that join
 * meanwhile wait for the next round (so a stream of newcomers cannot keep a
 * round from ending, leaving older members unvisited), members that left are
 * skipped, and each member is visited once per round.
 */
export class Rounds<T> {
  private round: T[] | undefined;
  private next = 0;
  private startedAt = -Infinity;

  constructor(
    /** A round starts at most this often (ms): no member is visited twice within it. */
    private readonly minRoundMs: number,
  ) {}

  /** The members to visit now: up to `share` of the current round, in its order. */
  take(members: ReadonlySet<T>, share: number, now: number): T[] {
    if (this.round === undefined) {
      if (members.size === 0 || now - this.startedAt < this.minRoundMs) return [];
      this.round = [...members];
      this.next = 0;
      this.startedAt = now;
    }
    const out: T[] = [];
    while (out.length < share && this.next < this.round.length) {
      const member = this.round[this.next++];
      if (members.has(member)) out.push(member);
    }
    if (this.next >= this.round.length) this.round = undefined;
    return out;
  }
}
