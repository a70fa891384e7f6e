/**
 * GUIDE: the services this server offers, searchable by word. A word is
 * looked for in each service's code, name, keywords and description, without
 * regard to case or accents; several words must all be found. Results are
 * ranked: the code itself first, then names, keywords, descriptions. On a
 * service's card, Envoi connects to it (`link.goTo`, when the gateway offers it).
 */
import { defineService, fit, pad, titleBar, wrapText, type Painter, type Service, type ServiceInfo, type Session } from '../../sdk/index.js';
import { normalise, tariffText, words } from '../text.js';

export interface GuideEntry {
  info: ServiceInfo;
  score: number;
}

/** Services matching every word of `query`, best first; all services (by code) for an empty query. */
export function searchServices(services: readonly ServiceInfo[], query: string): ServiceInfo[] {
  const terms = words(query);
  const ranked: GuideEntry[] = [];
  for (const info of services) {
    const code = normalise(info.code);
    const name = words(info.name);
    const keywords = info.keywords.flatMap(words);
    const description = words(info.description);
    let score = 0;
    let all = true;
    for (const term of terms) {
      const prefix = (w: string): boolean => w.startsWith(term);
      let best = 0;
      if (code === term) best = 100;
      else if (code.startsWith(term)) best = 50;
      else if (name.some(prefix)) best = 20;
      else if (keywords.some(prefix)) best = 10;
      else if (description.some(prefix)) best = 5;
      if (best === 0) all = false;
      score += best;
    }
    if (all) ranked.push({ info, score });
  }
  ranked.sort((a, b) => b.score - a.score || a.info.code.localeCompare(b.info.code));
  return ranked.map((entry) => entry.info);
}

function frame(p: Painter, subtitle: string): Painter {
  p.clearScreen().rowZero('');
  titleBar(p, 'GUIDE DES SERVICES', 'TELETEL ');
  p.at(2, 2).text(subtitle, { fg: 'cyan' });
  return p;
}

export function guideService(): Service {
  return defineService({
    code: 'GUIDE',
    name: 'Le guide des services',
    description: 'Tous les services de ce serveur : cherchez par mot-clé, lisez leur description et leur tarif.',
    keywords: ['aide', 'liste', 'recherche', 'services', 'annuaire des services'],
    async session(s) {
      s.draw((p) => {
        frame(p, 'Trouvez un service');
        p.at(5, 2).text('Tapez un mot (chat, journal, météo…)');
        p.at(6, 2).text('ou rien pour voir tous les services.');
        // A plain space before the key label, as on the home page: the label's own spaces are in inverse.
        p.at(24, 2).text('puis ', { fg: 'white' }).text(' ENVOI ', { inverse: true });
      });
      const { mot } = await s.form({ mot: { row: 9, column: 11, length: 20, label: 'Mot-clé' } });
      const found = searchServices(s.context.services(), mot);
      let page = 0;
      for (;;) {
        const result = await s.list(found, {
          title: mot === '' ? 'Tous les services' : `Services : ${fit(mot, 20)}`,
          render: (info) => `${pad(info.code, 9)}${info.name}`,
          empty: 'Aucun service ne répond à ce mot.',
          keys: ['Retour'],
          page,
        });
        if (result.key !== 'Envoi') return s.summary(); // Retour on the first page: a new search
        page = result.page;
        await showService(s, result.item);
      }
    },
  });
}

async function showService(s: Session, info: ServiceInfo): Promise<void> {
  s.draw((p) => {
    frame(p, 'Fiche du service');
    p.at(5, 2).text(`3615 ${info.code}`, { size: 'double', fg: 'yellow' });
    p.at(7, 2).text(fit(info.name, 38), { fg: 'white' });
    let row = 9;
    for (const line of wrapText(info.description, 38).slice(0, 8)) p.at(row++, 2).text(line);
    if (info.keywords.length > 0) {
      const lines = wrapText(`Mots-clés : ${info.keywords.join(', ')}`, 38).slice(0, 2);
      lines.forEach((line, i) => p.at(18 + i, 2).text(line, { fg: 'cyan' }));
    }
    p.at(21, 2).text(`Tarif : ${tariffText(info.tariff)}`, { fg: 'green' });
    // Only a gateway can open another service; elsewhere (a test's virtual Minitel) Envoi goes back to the list.
    if (s.link.goTo !== undefined) p.at(23, 2).text(' ENVOI ', { inverse: true }).style({ inverse: false }).text(' se connecter');
    p.at(24, 2).text(' RETOUR ', { inverse: true }).style({ inverse: false }).text(' liste ').text(' SOMMAIRE ', { inverse: true }).style({ inverse: false }).text(' recherche');
  });
  const key = await s.waitKey('Retour', 'Envoi');
  // The gateway ends this visit and opens the service; false if it is gone meanwhile (teletel serve --dev).
  if (key === 'Envoi' && s.link.goTo?.(info.code)) s.leave();
}
