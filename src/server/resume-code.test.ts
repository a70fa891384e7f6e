/**
 * Resume codes, for Minitels on links that cannot hold a token (TCP here):
 * the home page shows the session's code; after a dropped line, or an
 * instance that stopped, typing `*CODE` and Envoi at the home page of a new
 * call takes the session back, screen as it was. Real sockets, our Terminal
 * as the Minitel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { journalService } from '../services/journal/index.js';
import { restoreScreen, snapshotScreen } from '../videotex/screen-snapshot.js';
import type { Screen } from '../videotex/screen.js';
import { RESUME_LIMITS } from './limits.js';
import { CodeFailures, newResumeCode, readResumeCode } from './resume-code.js';
import { RESUME_CODE_ROW } from './pages.js';
import type { TestGateway } from './test-support/gateway.js';
import { TcpMinitel } from './test-support/minitel.js';
import { SharedDatabaseGateways } from './test-support/shared-database.js';

const shared = new SharedDatabaseGateways();
const minitels: TcpMinitel[] = [];
afterEach(async () => {
  for (const m of minitels.splice(0)) m.close();
  await shared.cleanup();
});

const CODE_ON_HOME = /Coupure \? Rappelez, tapez \*([A-Z0-9]{8})/;

async function call(g: TestGateway): Promise<TcpMinitel> {
  const m = await TcpMinitel.connect(g.address.tcpPort!);
  minitels.push(m);
  await m.waitFor(/Tapez le code du service/);
  return m;
}

function codeOf(m: TcpMinitel): string {
  const found = CODE_ON_HOME.exec(m.row(RESUME_CODE_ROW));
  expect(found, m.row(RESUME_CODE_ROW)).not.toBeNull();
  return found![1];
}

/** A call that reads page 2 of JOURNAL's first article; its code and screen. */
async function reading(g: TestGateway): Promise<{ m: TcpMinitel; code: string; before: Screen }> {
  const m = await call(g);
  const code = codeOf(m);
  m.type('JOURNAL');
  m.key('Envoi');
  await m.waitFor(/LE JOURNAL/);
  m.type('1');
  m.key('Envoi');
  await m.waitFor(() => /LE JOURNAL +1\/\d+/.test(m.row(1)));
  m.key('Suite');
  await m.waitFor(() => /LE JOURNAL +2\/\d+/.test(m.row(1)));
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { m, code, before: restoreScreen(snapshotScreen(m.terminal.screen)) };
}

/** Rows 1–24 as `before` (row 0 says the session is back, with its new code). */
function sameBelowRowZero(m: TcpMinitel, before: Screen): boolean {
  for (let row = 1; row <= 24; row++) if (m.row(row) !== before.rowText(row)) return false;
  return true;
}

function typeCode(m: TcpMinitel, code: string): void {
  m.type(`*${code}`);
  m.key('Envoi');
}

describe('resume codes', () => {
  it('are 8 characters without look-alikes, read whatever the case and spaces, and nothing else is one', () => {
    const { code, hash } = newResumeCode();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(readResumeCode(` ${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`)).toEqual({ code, hash });
    for (const typed of ['', 'ABCDEFG', 'ABCDEFGHJ', 'ABCDEFG0', 'ABCDEFGI', 'ABCD*FGH']) expect(readResumeCode(typed), typed).toBeNull();
    expect(new Set(Array.from({ length: 200 }, () => newResumeCode().code)).size).toBe(200);
  });

  it('wrong codes from one address are refused past the limit until the window has passed, and memory stays bounded', () => {
    let now = 0;
    const failures = new CodeFailures(() => now);
    for (let i = 0; i < RESUME_LIMITS.codeFailures; i++) {
      expect(failures.allowed('1.2.3.4')).toBe(true);
      failures.failed('1.2.3.4');
    }
    expect(failures.allowed('1.2.3.4')).toBe(false);
    expect(failures.allowed('5.6.7.8')).toBe(true);
    now += RESUME_LIMITS.codeFailureWindowMs;
    expect(failures.allowed('1.2.3.4')).toBe(true);
    for (let i = 0; i < RESUME_LIMITS.codeTrackedAddresses + 10; i++) failures.failed(`10.0.${i >> 8}.${i & 255}`);
    expect((failures as unknown as { byAddress: Map<string, unknown> }).byAddress.size).toBe(RESUME_LIMITS.codeTrackedAddresses);
  });
});

describe('a Minitel on TCP taking its session back with its code', () => {
  it('after a dropped line: the new call types the code and finds the page it was reading; the old code then names nothing', async () => {
    const g = await shared.instance(shared.database(), { services: [journalService()] });
    const { m, code, before } = await reading(g);
    m.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(g.logs.some((l) => l.msg === 'link lost: session kept for its client to resume')).toBe(true);

    const again = await call(g);
    typeCode(again, code);
    await again.waitFor(() => sameBelowRowZero(again, before));
    const renewed = /Session reprise\. Code : \*([A-Z0-9]{8})/.exec(again.row(0));
    expect(renewed).not.toBeNull();
    expect(renewed![1]).not.toBe(code);
    again.key('Retour');
    await again.waitFor(() => /LE JOURNAL +1\/\d+/.test(again.row(1)));

    // Single use: the code just used opens nothing on a third call.
    const third = await call(g);
    typeCode(third, code);
    await third.waitFor(/Code de reprise inconnu/);
  });

  it('after its instance stopped: the goodbye says the code, and another instance on the database gives the session back with it', async () => {
    const file = shared.database();
    const a = await shared.instance(file, { services: [journalService()] });
    const b = await shared.instance(file, { services: [journalService()] });
    const { m, code, before } = await reading(a);
    const stopping = shared.stop(a);
    await m.waitFor(() => m.row(0).includes(`Rappelez, tapez *${code} Envoi`));
    await stopping;
    await m.waitForClose();

    const again = await call(b);
    typeCode(again, code);
    await again.waitFor(() => sameBelowRowZero(again, before));
    expect(again.row(0)).toMatch(/Session reprise\. Code : \*[A-Z0-9]{8}/);
  });

  it('a code typed in an emulator that holds tokens moves the session there: it gets a token, and the home page no code', async () => {
    const g = await shared.instance(shared.database(), { services: [journalService()] });
    const { m, code, before } = await reading(g);
    m.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const browser = await shared.dial(g);
    await browser.waitFor(/Tapez le code du service/);
    expect(browser.row(RESUME_CODE_ROW)).not.toMatch(CODE_ON_HOME);
    await browser.waitFor(() => browser.resumeToken !== undefined);
    const own = browser.resumeToken;
    browser.type(`*${code}`);
    browser.key('Envoi');
    await browser.waitFor(() => browser.row(1) === before.rowText(1) && browser.row(12) === before.rowText(12));
    // The token now names the session taken back, not the one the emulator opened.
    await browser.waitFor(() => browser.resumeToken !== own);
    expect(browser.resumeToken!.split('.')[0]).not.toBe(own!.split('.')[0]);
    browser.key('Sommaire');
    browser.key('ConnexionFin');
    await browser.waitFor(/Tapez le code du service/);
    expect(browser.row(RESUME_CODE_ROW)).not.toMatch(CODE_ON_HOME);
  });

  it('a code of a session still on its line takes nothing; wrong codes are refused, then the address is refused for a while', async () => {
    const g = await shared.instance(shared.database(), { services: [journalService()] });
    const { m, code } = await reading(g);
    const other = await call(g);
    typeCode(other, code);
    await other.waitFor(/Code de reprise inconnu/);
    expect(m.row(1)).toMatch(/LE JOURNAL +2\//);

    const refusals = (): number => g.logs.filter((l) => l.msg === 'resume code refused').length;
    for (let i = 1; i < RESUME_LIMITS.codeFailures; i++) {
      // A malformed code counts as a wrong one.
      typeCode(other, i % 2 === 0 ? 'NOTACODE' : 'ABCDEFGH');
      await other.waitFor(() => refusals() === i + 1);
      await other.waitFor(/Code de reprise inconnu/);
    }
    // Past the limit even the right code is refused unread, its session's line gone or not.
    m.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    typeCode(other, code);
    await other.waitFor(/Trop de codes faux/);
    expect(g.logs.filter((l) => l.msg === 'resume code refused')).toHaveLength(RESUME_LIMITS.codeFailures);
  });
});
