/** PushServiceMsg deliveries and BackgroundCall typing: over the service's bus topics, to open visits only, whatever else arrives there. */
import { describe, expect, it } from 'vitest';
import type { TerminalLink } from '../../sdk/link.js';
import { InProcessBus } from '../../store/bus.js';
import { Terminal } from '../../videotex/terminal.js';
import { MiniPaviVisits } from './visits.js';

/** The part of a link a push uses: the wanted screen, update() and whether it closed. */
function link(): { link: TerminalLink; wanted: Terminal; close: () => void } {
  const wanted = new Terminal();
  const closing = new AbortController();
  const fake = { wanted, update: () => {}, closed: closing.signal } as unknown as TerminalLink;
  return { link: fake, wanted, close: () => closing.abort() };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

describe('MiniPavi visits', () => {
  it('shows a push on row 0 of the visit it names, sanitised, and of no other', async () => {
    const visits = new MiniPaviVisits('PAVI');
    const ana = link();
    const bob = link();
    visits.add('ana', ana.link);
    visits.add('bob', bob.link);
    visits.push('ana', 'bonjour\x1b:i\x1bP');
    await settle();
    expect(ana.wanted.screen.rowText(0)).toContain('bonjour');
    expect(ana.wanted.screen.rowText(0)).not.toMatch(/[\x00-\x1f]/);
    expect(bob.wanted.screen.rowText(0).trim()).toBe('');
  });

  it('ignores what on its topic is not a push, pushes to visits gone or closed, and other services topics', async () => {
    const bus = new InProcessBus();
    const visits = new MiniPaviVisits('PAVI', bus);
    const ana = link();
    visits.add('ana', ana.link);
    for (const junk of [null, 'ana', 42, [], { uniqueId: 'ana' }, { uniqueId: 'ana', text: 7 }, { uniqueId: 'ana', text: 'x'.repeat(1000) }]) {
      await bus.publish('minipavi.push.PAVI', junk);
    }
    await bus.publish('minipavi.push.PAVJ', { uniqueId: 'ana', text: 'autre service' });
    const gone = link();
    visits.add('gone', gone.link);
    visits.remove('gone');
    visits.push('gone', 'trop tard');
    const closed = link();
    visits.add('closed', closed.link);
    closed.close();
    visits.push('closed', 'trop tard');
    visits.push('nobody', 'personne');
    await settle();
    for (const { wanted } of [ana, gone, closed]) expect(wanted.screen.rowText(0).trim()).toBe('');
  });

  it('a bus that cannot carry the push reports it, the visit goes on', async () => {
    const bus = new InProcessBus();
    const errors: unknown[] = [];
    const visits = new MiniPaviVisits('PAVI', bus, (error) => errors.push(error));
    await bus.close();
    visits.push('ana', 'bonjour');
    await expect.poll(() => errors.length).toBe(1);
  });

  it('types a background call into the visit here, or offers it on the simulate topic; junk there is ignored', async () => {
    const bus = new InProcessBus();
    const here = new MiniPaviVisits('PAVI', bus);
    const there = new MiniPaviVisits('PAVI', bus);
    const ana = link();
    const typed: string[] = [];
    here.add('ana', ana.link, (data) => typed.push(`here ${data}`));
    expect(here.simulate('ana', 'RAPPEL')).toBe('here');
    expect(there.simulate('ana', 'AILLEURS')).toBe('sent');
    expect(there.simulate('nobody', 'PERSONNE')).toBe('sent');
    for (const junk of [null, { uniqueId: 'ana' }, { uniqueId: 'ana', data: 7 }, { uniqueId: 'ana', data: 'x'.repeat(5000) }]) {
      await bus.publish('minipavi.simulate.PAVI', junk);
    }
    await bus.publish('minipavi.simulate.PAVJ', { uniqueId: 'ana', data: 'autre service' });
    await settle();
    expect(typed).toEqual(['here RAPPEL', 'here AILLEURS']);
    ana.close();
    expect(here.simulate('ana', 'TROP TARD')).toBe('sent');
    await settle();
    expect(typed).toHaveLength(2);
  });
});
