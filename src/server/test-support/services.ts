/**
 * Services for the gateway's tests, written against the Service contract
 * alone (src/sdk/service.ts), so the gateway is tested without the SDK.
 */
import type { TerminalLink } from '../../sdk/link.js';
import { FREE, TARIFF_3615, type Service } from '../../sdk/service.js';
import { sanitizeText } from '../../videotex/text.js';

const FF = '\x0c';
const at = (row: number, column: number) => String.fromCharCode(0x1f, 0x40 + row, 0x40 + column);
const CAN = '\x18';

function untilClosed(link: TerminalLink): Promise<void> {
  return new Promise((resolve) => {
    if (link.closed.aborted) resolve();
    else link.closed.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Shows its capabilities, echoes what is typed on row 5 and names the last key on row 7. */
function echoLike(code: string, name: string, tariff = FREE): Service {
  return {
    code,
    name,
    description: 'Répète ce que vous tapez',
    tariff,
    keywords: ['test'],
    async run(link) {
      const w = link.wanted;
      const c = link.capabilities;
      w.writeString(`${FF}${at(1, 1)}Service ${code}${at(3, 1)}modele ${c.model} drcs ${c.drcs ? 'oui' : 'non'} vitesse ${c.speed}`);
      link.update();
      let line = '';
      const off = link.onInput((event) => {
        if (event.type === 'char') {
          line = (line + sanitizeText(event.char)).slice(-38);
          w.writeString(`${at(5, 1)}${line}${CAN}`);
        } else if (event.type === 'function') {
          w.writeString(`${at(7, 1)}Touche ${event.name}${CAN}`);
        } else if (event.type === 'cursor') {
          w.writeString(`${at(7, 1)}Curseur ${event.name}${CAN}`);
        } else {
          return;
        }
        link.update();
      });
      await untilClosed(link);
      off();
    },
  };
}

export const ECHO = echoLike('ECHO', 'Écho');
export const PAID = echoLike('PAYANT', 'Service payant', TARIFF_3615);

/** Draws a page, then fails. */
export const FAILING: Service = {
  code: 'PANNE',
  name: 'En panne',
  description: 'Échoue à chaque visite',
  tariff: FREE,
  keywords: [],
  async run(link) {
    link.wanted.writeString(`${FF}${at(1, 1)}Service PANNE`);
    link.update();
    await link.drained();
    throw new Error('this service always fails');
  },
};

/**
 * Sends as much as its line takes: padding (NUL, ignored by terminals, p.98)
 * in 4 KB commands, waiting for each to drain as a well-behaved service does,
 * and now and then a changed page.
 */
export const FLOOD: Service = {
  code: 'FLOT',
  name: 'Flot',
  description: 'Envoie sans arrêt',
  tariff: FREE,
  keywords: [],
  async run(link) {
    let n = 0;
    const padding = new Uint8Array(4000);
    while (!link.closed.aborted) {
      if (n++ % 64 === 0) {
        link.wanted.writeString(`${at(1, 1)}${String(n).padStart(6, '0')}`);
        link.update();
      }
      link.sendCommand(padding);
      await link.drained();
      await new Promise((resolve) => setImmediate(resolve));
    }
  },
};

export const TEST_SERVICES: readonly Service[] = [ECHO, PAID, FAILING, FLOOD];
