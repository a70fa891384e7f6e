/** Helpers shared by the built-in services: search normalisation and money on a Minitel. */
import type { Tariff } from '../sdk/service.js';

/** Lower case, accents and punctuation removed: "Élodie-Marie" → "elodie marie". */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Words of a search query, normalised. */
export function words(text: string): string[] {
  return normalise(text).split(' ').filter(Boolean);
}

/** "1,29 F/min", "0,34 €/min" or "gratuit". */
export function tariffText(tariff: Tariff): string {
  if (tariff.perMinute === 0) return 'gratuit';
  const amount = tariff.perMinute.toFixed(2).replace('.', ',');
  return `${amount} ${tariff.currency === 'FRF' ? 'F' : '€'}/min`;
}
