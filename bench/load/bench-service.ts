/**
 * The service the load test visits: a page drawn once, and every typed
 * character echoed on row 10 (the last 30 kept), as a real input zone would.
 */
import type { Service } from '../../src/sdk/service.js';
import { FREE } from '../../src/sdk/service.js';

const PAGE = '\x0c\x1f\x42\x41\x1b\x4dService BENCH\x1f\x45\x41Tapez des lettres, elles reviennent :\x1f\x4a\x41';

export const BENCH_SERVICE: Service = {
  code: 'BENCH',
  name: 'Banc d\'essai',
  description: 'Écho des touches pour la mesure de charge',
  tariff: FREE,
  keywords: [],
  async run(link) {
    const wanted = link.wanted;
    wanted.writeString(PAGE);
    link.update();
    let typed = '';
    const off = link.onInput((event) => {
      if (event.type !== 'char') return;
      typed = (typed + event.char).slice(-30);
      wanted.writeString(`\x1f\x4a\x41${typed}`);
      link.update();
    });
    await new Promise<void>((resolve) => link.closed.addEventListener('abort', () => resolve(), { once: true }));
    off();
  },
};
