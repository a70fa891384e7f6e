/**
 * SQLite on a full disk: an instance whose files may not grow past a limit
 * (`ulimit -f`, with SIGXFSZ ignored, so a write past it fails with EFBIG as
 * on a full disk). CHAT users send private messages until the store refuses;
 * what they see then must be a clear message, the process must stay up, the
 * database must pass `PRAGMA integrity_check`, every message confirmed
 * "envoyé" must be in it, and after the restart without the limit the
 * instance must serve again.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WsMinitel } from '../src/server/test-support/minitel.js';
import { idsOf } from './cluster.js';
import { ServeProcess } from './serve.js';

export interface DiskFullResult {
  confirmed: number;
  refusedShown: string[];
  crashed: boolean;
  integrity: string;
  lost: string[];
  servesAfterRestart: boolean;
  notes: string[];
}

async function chatAs(port: number, pseudo: string): Promise<WsMinitel> {
  const m = await WsMinitel.connect(`ws://127.0.0.1:${port}/ws`);
  await m.waitFor(/Tapez le code du service/, 30_000);
  m.type('CHAT');
  m.key('Envoi');
  await m.waitFor(/Bienvenue sur la messagerie/, 30_000);
  m.type(pseudo);
  m.key('Envoi');
  await m.waitFor(new RegExp(`Bonjour ${pseudo} !`), 30_000);
  return m;
}

export async function diskFull(dir: string, config: string): Promise<DiskFullResult> {
  const result: DiskFullResult = { confirmed: 0, refusedShown: [], crashed: false, integrity: '', lost: [], servesAfterRestart: false, notes: [] };
  const data = join(dir, 'data');
  // First start without a limit: the file and its tables exist, as on a disk that fills up later.
  const first = new ServeProcess({ name: 'D (SQLite, disk full)', data, config });
  await first.start();
  await first.stop();
  const size = statSync(join(data, 'teletel.db')).size;
  // Room for some tens of messages past the current size, then nothing.
  const server = new ServeProcess({ name: 'D (SQLite, disk full)', data, config, fileSizeBlocks: Math.ceil(size / 512) + 48 });
  await server.start();
  const confirmed = new Set<string>();
  let refusals = 0;
  const sender = await chatAs(server.port, 'remplit');
  for (let i = 0; i < 2000 && refusals < 3 && server.running; i++) {
    const id = `ZM${String(i).padStart(6, '0')}`;
    // CHAT takes 5 messages per 10 s from one user (hub.ts): slower than that, so each is a real try.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    sender.type('4');
    sender.key('Envoi');
    try {
      await sender.waitFor(/Pour :/, 30_000);
    } catch {
      result.notes.push(`the CHAT menu did not come back after a refusal: ${sender.row(0)}`);
      break;
    }
    sender.type('plein');
    sender.key('Suite');
    sender.type(`${id} ${'x'.repeat(300)}`);
    sender.key('Envoi');
    try {
      await sender.waitFor(() => /Message envoyé à|La BAL de/.test(sender.text) || /Tapez le code du service/.test(sender.text), 30_000);
    } catch {
      result.notes.push(`no answer to a message on a full disk; the screen:\n${sender.text}`);
      break;
    }
    if (/Message envoyé à/.test(sender.text)) {
      confirmed.add(id);
      sender.key('Retour');
      await sender.waitFor(/Bonjour remplit !/, 30_000);
      continue;
    }
    refusals++;
    result.refusedShown.push(sender.row(0).trim() || sender.text.split('\n').find((line) => line.trim() !== '')?.trim() || '(blank)');
    // Sent home with a row-0 message: back to CHAT for the next try.
    if (/Tapez le code du service/.test(sender.text)) {
      sender.type('CHAT');
      sender.key('Envoi');
      try {
        await sender.waitFor(/Bienvenue sur la messagerie|Bonjour remplit !/, 30_000);
        if (/Bienvenue/.test(sender.text)) {
          sender.type('remplit');
          sender.key('Envoi');
          await sender.waitFor(/Bonjour remplit !|déjà connecté|indisponible/, 30_000);
        }
        if (!/Bonjour remplit !/.test(sender.text)) break;
      } catch {
        result.notes.push(`CHAT did not open again on a full disk: ${sender.row(0)}`);
        break;
      }
    }
  }
  sender.close();
  result.confirmed = confirmed.size;
  result.crashed = server.crashes.length > 0;
  if (result.crashed) result.notes.push(...server.crashes);
  await server.stop();

  const db = new Database(join(data, 'teletel.db'), { readonly: true });
  try {
    result.integrity = String(db.pragma('integrity_check', { simple: true }));
    const stored = idsOf(db.prepare('SELECT body FROM mail').all().map((row) => (row as { body: string }).body));
    result.lost = [...confirmed].filter((id) => !stored.has(id));
  } finally {
    db.close();
  }

  const again = new ServeProcess({ name: 'D (SQLite, after the disk is freed)', data, config });
  await again.start();
  try {
    const m = await chatAs(again.port, 'apres');
    result.servesAfterRestart = true;
    m.close();
  } catch (error) {
    result.notes.push(`after freeing the disk: ${(error as Error).message.split('\n')[0]}`);
  }
  await again.stop();
  return result;
}
