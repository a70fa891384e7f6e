/**
 * Generates ANNU's directory: invented people in real French towns, from
 * lists written for Teletel. Deterministic: the same seed and count give the
 * same file, byte for byte (a test checks the shipped file against it).
 *
 *   npx tsx src/services/annu/generate.ts        rewrites data/annuaire.tsv
 *
 * Surnames and first names are common French ones, combined at random, so no
 * entry describes a real person. Phone numbers are drawn from the blocks the
 * French numbering plan is understood to keep for fiction (01 99 00, 02 61 91,
 * 03 53 01, 04 65 71, 05 36 49, 06 39 98), so none should ring a subscriber.
 * Street numbers and names are invented too.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_SEED = 0x3611;
export const DEFAULT_COUNT = 3000;
export const DATA_FILE = fileURLToPath(new URL('./data/annuaire.tsv', import.meta.url));
export const HEADER = ['nom', 'prenom', 'adresse', 'code_postal', 'ville', 'telephone'];

const SURNAMES = `Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre Leroy Roux David
Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer
Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Masson Marchand
Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud
Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier
Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Guillaume Lecomte Lopez Dupuy Guillot Hubert Berger Carpentier
Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Poirier Marty Aubry Guyot
Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider Le_Gall Collet Léger Bouvier Julien
Prévost Millet Perrot Cousin Germain Breton Besson Langlois Rémy Le_Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun
Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud Guichard Gillet Étienne Grondin Poulain Tessier Chauvin Bouchet
Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay
Pasquier Carlier Laporte Kerbrat Le_Bihan Quéré Tanguy Salaün Abgrall Etchegaray Iribarne Casanova Santoni Ferracci
Dubreuil Lagarde Marchetti Bonnefoy Chabert Vallet Texier Jourdan Devaux Ollivier Riou Nédélec Le_Floch Cadiou Morvan`
  .split(/\s+/)
  .map((name) => name.replace(/_/g, ' '));

const FIRST_NAMES = `Jean Marie Pierre Michel André Philippe Nathalie Isabelle Sylvie Catherine Françoise Christine Monique Jacques
Bernard Alain Daniel Patrick Nicolas Christophe Stéphane Sébastien Julien Camille Léa Manon Chloé Emma Inès Lucas Hugo Louis
Gabriel Arthur Jules Zoé Anaïs Hélène Élodie Céline Aurélie Émilie Laurent Éric Frédéric Olivier Thierry Pascal Valérie
Sandrine Véronique Agnès Brigitte Gisèle Josiane Odile Yvette Raymond René Gérard Hervé Benoît Mathilde Margaux Noémie Thomas
Antoine Maxime Romain Clément Théo Baptiste Mélanie Julie Laura Sarah Pauline Lucie Juliette Rose Jeanne Paul Marcel Lucien
Henri Georges Roger Suzanne Yvonne Simone Denise Colette Martine Dominique Claude Gilles Didier Régis Yannick Gwenaëlle Maël
Loïc Soizic Ronan Anne Sophie Claire Jérôme Vincent Fabrice Ludovic Karine Corinne Laetitia Nadia Karim Samir Leïla Yasmine
Mehdi Amina Océane Kévin Jordan Dylan Enzo Léo Nathan Ethan Lina Jade Louise Alice Ambre Mila Adèle Marius Gaspard Victor`
  .split(/\s+/);

/** Town, postal code, telephone zone (first two digits: the region). */
const TOWNS: readonly (readonly [string, string, string])[] = [
  ['Paris', '75001', '01'], ['Paris', '75005', '01'], ['Paris', '75011', '01'], ['Paris', '75015', '01'], ['Paris', '75018', '01'],
  ['Montreuil', '93100', '01'], ['Argenteuil', '95100', '01'], ['Versailles', '78000', '01'], ['Créteil', '94000', '01'], ['Melun', '77000', '01'],
  ['Évry', '91000', '01'], ['Nanterre', '92000', '01'],
  ['Rennes', '35000', '02'], ['Saint-Malo', '35400', '02'], ['Brest', '29200', '02'], ['Quimper', '29000', '02'], ['Morlaix', '29600', '02'],
  ['Concarneau', '29900', '02'], ['Lorient', '56100', '02'], ['Vannes', '56000', '02'], ['Saint-Brieuc', '22000', '02'], ['Lannion', '22300', '02'],
  ['Nantes', '44000', '02'], ['Saint-Nazaire', '44600', '02'], ['Angers', '49000', '02'], ['Cholet', '49300', '02'], ['Le Mans', '72000', '02'],
  ['Laval', '53000', '02'], ['Caen', '14000', '02'], ['Cherbourg', '50100', '02'], ['Rouen', '76000', '02'], ['Le Havre', '76600', '02'],
  ['Dieppe', '76200', '02'], ['Évreux', '27000', '02'], ['Tours', '37000', '02'], ['Orléans', '45000', '02'], ['Blois', '41000', '02'],
  ['Chartres', '28000', '02'], ['Châteauroux', '36000', '02'], ['La Roche-sur-Yon', '85000', '02'],
  ['Lille', '59000', '03'], ['Roubaix', '59100', '03'], ['Tourcoing', '59200', '03'], ['Douai', '59500', '03'], ['Dunkerque', '59140', '03'],
  ['Arras', '62000', '03'], ['Calais', '62100', '03'], ['Amiens', '80000', '03'], ['Reims', '51100', '03'], ['Troyes', '10000', '03'],
  ['Metz', '57000', '03'], ['Nancy', '54000', '03'], ['Épinal', '88000', '03'], ['Strasbourg', '67000', '03'], ['Colmar', '68000', '03'],
  ['Mulhouse', '68100', '03'], ['Besançon', '25000', '03'], ['Belfort', '90000', '03'], ['Dijon', '21000', '03'], ['Auxerre', '89000', '03'],
  ['Nevers', '58000', '03'], ['Mâcon', '71000', '03'],
  ['Lyon', '69001', '04'], ['Lyon', '69003', '04'], ['Lyon', '69007', '04'], ['Villeurbanne', '69100', '04'], ['Saint-Étienne', '42000', '04'],
  ['Grenoble', '38000', '04'], ['Annecy', '74000', '04'], ['Chambéry', '73000', '04'], ['Valence', '26000', '04'], ['Gap', '05000', '04'],
  ['Marseille', '13001', '04'], ['Marseille', '13008', '04'], ['Aix-en-Provence', '13100', '04'], ['Arles', '13200', '04'], ['Toulon', '83000', '04'],
  ['Nice', '06000', '04'], ['Cannes', '06400', '04'], ['Avignon', '84000', '04'], ['Nîmes', '30000', '04'], ['Alès', '30100', '04'],
  ['Montpellier', '34000', '04'], ['Sète', '34200', '04'], ['Béziers', '34500', '04'], ['Perpignan', '66000', '04'], ['Carcassonne', '11000', '04'],
  ['Clermont-Ferrand', '63000', '04'], ['Aurillac', '15000', '04'], ['Mende', '48000', '04'], ['Ajaccio', '20000', '04'], ['Bastia', '20200', '04'],
  ['Bordeaux', '33000', '05'], ['Arcachon', '33120', '05'], ['Toulouse', '31000', '05'], ['Albi', '81000', '05'], ['Tarbes', '65000', '05'],
  ['Pau', '64000', '05'], ['Bayonne', '64100', '05'], ['Biarritz', '64200', '05'], ['Dax', '40100', '05'], ['Agen', '47000', '05'],
  ['Cahors', '46000', '05'], ['Millau', '12100', '05'], ['Périgueux', '24000', '05'], ['Brive-la-Gaillarde', '19100', '05'], ['Limoges', '87000', '05'],
  ['Poitiers', '86000', '05'], ['Niort', '79000', '05'], ['La Rochelle', '17000', '05'], ['Angoulême', '16000', '05'], ['Montauban', '82000', '05'],
];

/** Blocks of eight digits' prefix per zone, each with 10,000 numbers. */
const FICTION_BLOCKS: Readonly<Record<string, string>> = {
  '01': '019900',
  '02': '026191',
  '03': '035301',
  '04': '046571',
  '05': '053649',
  '06': '063998',
};

const STREET_TYPES = ['rue', 'rue', 'rue', 'avenue', 'boulevard', 'place', 'impasse', 'allée', 'chemin', 'quai', 'cours', 'route'];
const STREET_NAMES = `des Lilas|Victor-Hugo|de la Gare|Jean-Jaurès|du Moulin|des Écoles|de l'Église|Pasteur|de la République|du Château|
des Tilleuls|de la Mairie|Gambetta|du Port|des Acacias|Émile-Zola|de la Fontaine|des Peupliers|du Marché|Voltaire|des Roses|Carnot|
Jules-Ferry|du Stade|des Vignes|de Verdun|de la Paix|des Mimosas|Saint-Michel|de Bretagne|Molière|des Cerisiers|de la Poste|
des Marronniers|du Lavoir|des Jardins|de la Forge|du Four|des Glycines|des Hirondelles|du Vieux-Pont|des Prés|de la Source|
des Chênes|du Calvaire|de la Plage|des Sables|du Phare|des Remparts|de la Liberté|des Artisans|du Commerce|de la Croix-Rouge|
Louise-Michel|George-Sand|Marie-Curie|Jean-Moulin|Lamartine|des Bleuets|des Coquelicots|du Soleil|de la Lune|des Étoiles`
  .split('|')
  .map((name) => name.trim());

/** mulberry32: a small deterministic generator, enough to pick names. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DirectoryEntry {
  nom: string;
  prenom: string;
  adresse: string;
  codePostal: string;
  ville: string;
  telephone: string;
}

/** A sort key that does not depend on the ICU data of the Node version: accents off, then case, then as is. */
function sortKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
}

function compare(a: string, b: string): number {
  const x = sortKey(a);
  const y = sortKey(b);
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatPhone(digits: string): string {
  return digits.replace(/(\d{2})(?=\d)/g, '$1 ');
}

export function generateDirectory(seed = DEFAULT_SEED, count = DEFAULT_COUNT): DirectoryEntry[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const used = new Set<string>();
  const entries: DirectoryEntry[] = [];
  while (entries.length < count) {
    const [ville, codePostal, zone] = pick(TOWNS);
    // About one number in six is a mobile.
    const block = FICTION_BLOCKS[next() < 0.16 ? '06' : zone];
    let telephone = '';
    do {
      telephone = block + String(Math.floor(next() * 10_000)).padStart(4, '0');
    } while (used.has(telephone));
    used.add(telephone);
    const number = 1 + Math.floor(next() * (next() < 0.8 ? 60 : 240));
    const suffix = next() < 0.05 ? ' bis' : '';
    entries.push({
      nom: pick(SURNAMES),
      prenom: pick(FIRST_NAMES),
      adresse: `${number}${suffix} ${pick(STREET_TYPES)} ${pick(STREET_NAMES)}`,
      codePostal,
      ville,
      telephone: formatPhone(telephone),
    });
  }
  entries.sort((a, b) => compare(a.nom, b.nom) || compare(a.prenom, b.prenom) || compare(a.ville, b.ville) || compare(a.telephone, b.telephone));
  return entries;
}

/** The TSV file: a header line, then one entry per line, fields separated by tabs. */
export function directoryFile(entries: readonly DirectoryEntry[]): string {
  const lines = [HEADER.join('\t')];
  for (const e of entries) lines.push([e.nom, e.prenom, e.adresse, e.codePostal, e.ville, e.telephone].join('\t'));
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DATA_FILE, directoryFile(generateDirectory()));
  process.stdout.write(`${DATA_FILE}: ${DEFAULT_COUNT} entries\n`);
}
