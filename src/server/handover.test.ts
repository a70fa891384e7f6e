/**
 * Stopping an instance hands its resumable sessions over: each is
 * checkpointed in the store under the token its client holds and closed with
 * WebSocket 1012; the client comes back to another instance on the same
 * database (or to this one restarted) and continues there. Real sockets, two
 * gateways on one SQLite file, our Terminal as the Minitel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineService } from '../sdk/define.js';
import type { Service } from '../sdk/service.js';
import { galerieService } from '../services/galerie/index.js';
import { journalService } from '../services/journal/index.js';
import { annuService } from '../services/annu/index.js';
import { sanitizeText } from '../videotex/text.js';
import { restoreScreen, snapshotScreen } from '../videotex/screen-snapshot.js';
import { openSqliteStore } from '../store/sqlite.js';
import { hashToken } from './resume-token.js';
import type { TestGateway } from './test-support/gateway.js';
import { WsMinitel } from './test-support/minitel.js';
import { commonPlainSurname, rollingRestart } from './test-support/rolling-restart.js';
import { resumePath, SharedDatabaseGateways } from './test-support/shared-database.js';

const shared = new SharedDatabaseGateways();
afterEach(() => shared.cleanup());

const database = (): string => shared.database();
const instance = (file: string, services?: readonly Service[]): Promise<TestGateway> => shared.instance(file, { services });
const dial = (g: TestGateway, path = '/ws'): Promise<WsMinitel> => shared.dial(g, path);

describe('handing sessions over when an instance stops', () => {
  it('the client comes back to another instance and finds the home page as it was, code typed so far included', async () => {
    const file = database();
    const a = await instance(file);
    const b = await instance(file);
    const m = await dial(a);
    await m.waitFor(/Code :/);
    m.type('EC');
    await m.waitFor(/Code : +EC\./);
    await m.waitFor(() => m.resumeToken !== undefined);
    const before = restoreScreen(snapshotScreen(m.terminal.screen));
    const token = m.resumeToken!;

    await shared.stop(a);
    await m.waitForClose();
    expect(m.closeCode).toBe(1012);
    expect(a.logs.find((l) => l.msg === 'sessions handed over for their clients to resume')).toMatchObject({ sessions: 1, handedOver: 1 });

    const back = await dial(b, resumePath(token));
    await back.waitFor(() => back.terminal.screen.looksLike(before));
    expect(back.text).toMatch(/Code : +EC\./);
    expect(b.logs.some((l) => l.msg === 'session resumed from a checkpoint')).toBe(true);
    // It goes on from there: the rest of the code, Envoi, the service.
    back.type('HO');
    back.key('Envoi');
    await back.waitFor(/Service ECHO/);
    expect(back.resumeToken).toBeDefined();
    expect(back.resumeToken).not.toBe(token);
    // The token was spent by the claim: a replay gets a new session.
    const replay = await dial(b, resumePath(token));
    await replay.waitFor(() => /introuvable/.test(replay.row(0)));
  });

  it('an instance restarted on the same database takes its sessions back; a service starts again with a notice', async () => {
    const file = database();
    const a = await instance(file);
    const m = await dial(a);
    await m.waitFor(/Code :/);
    m.type('ECHO');
    m.key('Envoi');
    await m.waitFor(/Service ECHO/);
    m.type('bonjour');
    await m.waitFor(() => m.row(5).startsWith('bonjour'));
    await m.waitFor(() => m.resumeToken !== undefined);
    const token = m.resumeToken!;
    await shared.stop(a);
    await m.waitForClose();

    const restarted = await instance(file);
    const back = await dial(restarted, resumePath(token));
    await back.waitFor(/Service ECHO/);
    await back.waitFor(() => back.row(0).includes('Reprise : le service redémarre'));
    // The visit before the hand-over was recorded by the instance that held it, once.
    const records = await restarted.store.sessions.recent(10);
    expect(records.filter((r) => r.service === 'ECHO')).toHaveLength(1);
    back.type('x');
    await back.waitFor(() => back.row(5).startsWith('x'));
  });

  it('a checkpoint that is corrupt, of another schema version or of another session gets a new session, the log says why', async () => {
    const file = database();
    const g = await instance(file);
    const cases: [string, { version: number; state: string }][] = [
      ['corrupt', { version: 1, state: '{"id": broken' }],
      ['version', { version: 999, state: '{}' }],
    ];
    // A state that reads as a session's, but of another session than the token names.
    const live = await dial(g);
    await live.waitFor(/Code :/);
    const other = g.gateway.sessionStates()[0];
    cases.push(['mismatch', { version: 1, state: JSON.stringify({ ...other, id: 'someone-else' }) }]);
    for (const [reason, row] of cases) {
      const sessionId = `forged-${reason}`;
      const token = `${sessionId}.${'B'.repeat(43)}`;
      const now = Date.now();
      await g.store.checkpoints.save({ sessionId, ...row, savedAt: new Date(now), expiresAt: new Date(now + 60_000) }, hashToken(token));
      const m = await dial(g, resumePath(token));
      await m.waitFor(() => /introuvable/.test(m.row(0)));
      expect(g.logs.filter((l) => l.msg === 'resume token refused: new session').at(-1)?.reason).toBe(reason);
    }
  });

  it('a service that declares its state (GALERIE) resumes on the page the user was looking at, screen as it was', async () => {
    const file = database();
    const a = await instance(file, [galerieService()]);
    const b = await instance(file, [galerieService()]);
    const m = await dial(a, '/ws?url=GALERIE');
    await m.waitFor(/LA GALERIE/);
    m.type('2');
    m.key('Envoi');
    await m.waitFor(() => /^2\//.test(m.row(0)));
    m.key('Suite');
    await m.waitFor(() => /^3\//.test(m.row(0)));
    const back = await shared.handedOver(a, b, m);
    // And it goes on from there: Retour is the page before, Envoi the list on the right page.
    back.key('Retour');
    await back.waitFor(() => /^2\//.test(back.row(0)));
    back.key('Envoi');
    await back.waitFor(/LA GALERIE/);
  });

  it('JOURNAL resumes on the article page being read, screen as it was, and Retour goes on from there', async () => {
    const file = database();
    const a = await instance(file, [journalService()]);
    const b = await instance(file, [journalService()]);
    const m = await dial(a, '/ws?url=JOURNAL');
    await m.waitFor(/LE JOURNAL/);
    m.type('1');
    m.key('Envoi');
    await m.waitFor(() => /LE JOURNAL +1\/\d+/.test(m.row(1)));
    m.key('Suite');
    await m.waitFor(() => /LE JOURNAL +2\/\d+/.test(m.row(1)));
    const back = await shared.handedOver(a, b, m);
    back.key('Retour');
    await back.waitFor(() => /LE JOURNAL +1\/\d+/.test(back.row(1)));
    back.key('Retour');
    await back.waitFor(() => back.row(3) === ' 1 Petite histoire du Minitel');
  });

  it('ANNU resumes on the card it showed, and Retour is the results page the card was opened from', async () => {
    const name = commonPlainSurname();
    const upper = sanitizeText(name.toUpperCase());
    const file = database();
    const a = await instance(file, [annuService()]);
    const b = await instance(file, [annuService()]);
    const m = await dial(a, '/ws?url=ANNU');
    await m.waitFor(/Recherche par nom/);
    m.type(name);
    m.key('Envoi');
    await m.waitFor(new RegExp(`${upper} : \\d+ r.ponses`));
    m.key('Suite');
    await m.waitFor(() => m.row(3).startsWith(`11 ${upper} `));
    m.type('12');
    m.key('Envoi');
    await m.waitFor(/Fiche/);
    const back = await shared.handedOver(a, b, m);
    back.key('Retour');
    await back.waitFor(() => back.row(3).startsWith(`11 ${upper} `));
  });

  it('a rolling restart of two gateways under 40 users (home page, GALERIE, JOURNAL, ANNU, CHAT) loses none, and every screen comes back as it was', async () => {
    const file = database();
    const { steps, checkpointBytes } = await rollingRestart(() => openSqliteStore(file), 40, 20_000);
    expect(steps.map((s) => [s.users, s.same, s.differ, s.lost])).toEqual([
      [20, 20, 0, 0],
      [40, 40, 0, 0],
    ]);
    // Eight users in each place, each checkpoint a few kilobytes (the screen mirror dominates).
    for (const sizes of Object.values(checkpointBytes)) {
      expect(sizes).toHaveLength(8);
      for (const bytes of sizes) expect(bytes).toBeGreaterThan(500);
    }
  }, 60_000);

  it('a form half filled in comes back as it was typed, cursor included, and Envoi gives every field; a password is never kept', async () => {
    const signUp = (): Service =>
      defineService<{ step: number }>({
        code: 'FICHE',
        name: 'Fiche',
        state: () => ({ step: 0 }),
        resume: { version: 1, check: (v) => (typeof v === 'object' && v !== null ? { step: 0 } : undefined) },
        async session(s) {
          s.draw((p) => p.clearScreen().at(2, 2).text('FICHE'));
          const values = await s.form({
            nom: { row: 5, column: 14, length: 20, label: 'Nom :' },
            ville: { row: 7, column: 14, length: 20, label: 'Ville :' },
            secret: { row: 9, column: 14, length: 10, label: 'Secret :', hidden: true },
          });
          s.draw((p) => p.clearScreen().at(3, 2).text(`${values.nom}/${values.ville}/${values.secret}`));
          await s.waitKey('Suite');
        },
      });
    const file = database();
    const a = await instance(file, [signUp()]);
    const b = await instance(file, [signUp()]);
    const m = await dial(a, '/ws?url=FICHE');
    await m.waitFor(/FICHE/);
    m.type('DUPONT');
    m.key('Suite');
    m.type('REMS');
    await m.waitFor(/Ville : REMS/);
    m.key('Suite');
    m.type('abc');
    await m.waitFor(/Secret : \*\*\*/);
    m.key('Retour');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const row = async (): Promise<unknown> => {
      const saved = await b.store.checkpoints.get(m.resumeToken!.split('.')[0]);
      return (JSON.parse(saved!.state) as { router: { serviceState?: { input?: unknown } } }).router.serviceState?.input;
    };
    await shared.stop(a);
    await m.waitForClose();
    // What the checkpoint holds: the two visible fields and where the cursor was, not the password.
    expect(await row()).toMatchObject({ values: { nom: 'DUPONT', ville: 'REMS' }, carets: { nom: 6, ville: 4 }, current: 1 });
    const back = await dial(b, resumePath(m.resumeToken!));
    await back.waitFor(/Nom : DUPONT\.+/);
    await back.waitFor(/Ville : REMS\.+/);
    expect(back.row(9)).toMatch(/Secret : \.{10}/);
    const screen = back.terminal.screen;
    expect([screen.cursorRow, screen.cursorColumn]).toEqual([7, 18]);
    back.type('S');
    back.key('Envoi');
    await back.waitFor(/DUPONT\/REMSS\//);
  });

  it("a checkpointed state of another version, or one the service's check refuses, starts the visit afresh with a notice", async () => {
    const counter = (version: number): Service =>
      defineService<{ n: number }>({
        code: 'COMPTE',
        name: 'Compteur',
        state: () => ({ n: 0 }),
        resume: { version, check: (v) => (typeof v === 'object' && v !== null && typeof (v as { n?: unknown }).n === 'number' && (v as { n: number }).n < 5 ? (v as { n: number }) : undefined) },
        async session(s) {
          for (;;) {
            s.draw((p) => p.clearScreen().at(3, 1).text(`Compte ${s.state.n}${s.resumed ? ' repris' : ''}`));
            await s.waitKey('Suite');
            s.state.n++;
          }
        },
      });
    const file = database();
    // Same version, a state the check accepts: where it was.
    const cases: [number, number, RegExp][] = [
      [1, 2, /Compte 2 repris/],
      [2, 2, /Compte 0/],
      [1, 6, /Compte 0/],
    ];
    for (const [versionB, presses, expected] of cases) {
      const a = await instance(file, [counter(1)]);
      const m = await dial(a, '/ws?url=COMPTE');
      await m.waitFor(/Compte 0/);
      for (let i = 1; i <= presses; i++) {
        m.key('Suite');
        await m.waitFor(new RegExp(`Compte ${i}`));
      }
      await m.waitFor(() => m.resumeToken !== undefined);
      await shared.stop(a);
      const b = await instance(file, [counter(versionB)]);
      // The service's state is in the checkpoint: the fresh starts below are its refusal, not its absence.
      const row = await b.store.checkpoints.get(m.resumeToken!.split('.')[0]);
      expect((JSON.parse(row!.state) as { router: { serviceState?: unknown } }).router.serviceState).toEqual({ version: 1, state: { n: presses } });
      const back = await dial(b, resumePath(m.resumeToken!));
      await back.waitFor(expected);
      if (expected.source === 'Compte 0') await back.waitFor(() => back.row(0).includes('Reprise : le service redémarre'));
      await shared.stop(b);
    }
  });
});
