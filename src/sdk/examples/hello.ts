import { defineService, VideotexBuilder } from '../index.js';

/** A page with a title in double height. */
const page = (title: string) => new VideotexBuilder().clear().moveTo(3, 2).doubleHeight().text(title).normalSize();

export default defineService({
  code: 'BONJOUR',
  name: 'Bonjour',
  description: 'Le Minitel vous salue par votre prénom.',
  keywords: ['exemple'],
  async session(s) {
    // Page 1: a form. The service echoes each key; Correction, Annulation and Suite work.
    await s.show(page('Bonjour !').moveTo(24, 2).text('Puis ENVOI'));
    const { prenom, ville } = await s.form({
      prenom: { row: 6, column: 12, length: 20, label: 'Prénom', required: true },
      ville: { row: 8, column: 12, length: 20, label: 'Ville' },
    });

    // Page 2: the answer. Sommaire, anywhere, comes back to page 1.
    const question = ville === '' ? 'Bienvenue.' : `Il fait beau à ${ville} ?`;
    await s.show(page(`Enchanté, ${prenom} !`).moveTo(6, 2).text(question).moveTo(24, 2).text('SUITE'));
    await s.waitKey('Suite');

    // Page 3: a list; Suite and Retour turn its pages, a number + Envoi chooses.
    const dessert = await s.list(['Crêpe', 'Far breton', 'Kouign-amann', 'Tarte Tatin'], { title: 'Un dessert ?' });
    s.notify(`${dessert}, excellent choix !`);
    await s.waitKey('Envoi');
  },
});
