import { describe, expect, it } from 'vitest';
import { Rounds } from './rounds.js';

describe('Rounds', () => {
  it('visits each member once per round, a share at a time, skipping those that left', () => {
    const members = new Set(['a', 'b', 'c', 'd', 'e']);
    const rounds = new Rounds<string>(0);
    expect(rounds.take(members, 2, 0)).toEqual(['a', 'b']);
    members.delete('c');
    expect(rounds.take(members, 2, 1)).toEqual(['d', 'e']);
    expect(rounds.take(members, 2, 2)).toEqual(['a', 'b']);
  });

  it('leaves newcomers to the next round, so a stream of them cannot keep a round from ending', () => {
    const members = new Set(['a', 'b']);
    const rounds = new Rounds<string>(0);
    expect(rounds.take(members, 1, 0)).toEqual(['a']);
    for (let i = 0; i < 5; i++) members.add(`new${i}`);
    expect(rounds.take(members, 1, 1)).toEqual(['b']);
    expect(rounds.take(members, 10, 2)).toEqual(['a', 'b', 'new0', 'new1', 'new2', 'new3', 'new4']);
  });

  it('starts a round at most once per minRoundMs', () => {
    const members = new Set(['a']);
    const rounds = new Rounds<string>(1000);
    expect(rounds.take(members, 5, 0)).toEqual(['a']);
    expect(rounds.take(members, 5, 999)).toEqual([]);
    expect(rounds.take(members, 5, 1000)).toEqual(['a']);
    expect(rounds.take(new Set<string>(), 5, 5000)).toEqual([]);
  });
});
