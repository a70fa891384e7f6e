/**
 * A CHAT room: live public lines in rows 3–20, written round and round so
 * each new line costs only its own bytes, the two-line input zone, the help
 * on Guide, and commands typed with a slash (commands.ts).
 */
import { Painter, fit, titleBar, wrapText } from '../../sdk/index.js';
import { pseudoKey, type ChatLine, type ChatMember } from './hub.js';
import { flooding, help, type Chat, type ChatSession } from './context.js';
import { command } from './commands.js';

/** Message area of a room: rows 3–20, written round and round so each new line costs only its own bytes. */
const AREA_TOP = 3;
const AREA_BOTTOM = 20;

export async function room(chat: Chat, s: ChatSession, name: string): Promise<void> {
  const member = s.state.member as ChatMember;
  const me = member.pseudo;
  let next = AREA_TOP;
  let paused = false;

  const rowsOf = (line: ChatLine): { head: string; body: string; own: boolean }[] => {
    const wrapped = wrapText(`${line.from}> ${line.text}`, 39);
    return wrapped.map((text, i) => (i === 0 ? { head: `${line.from}>`, body: text.slice(line.from.length + 1), own: line.from === me } : { head: '', body: text, own: false }));
  };
  const paintRow = (p: Painter, row: number, content: { head: string; body: string; own: boolean; system?: boolean }): void => {
    p.clearRow(row).at(row, 2);
    if (content.system) p.text(fit(content.body, 39), { fg: 'magenta' });
    else if (content.head !== '') p.text(content.head, { fg: content.own ? 'cyan' : 'yellow' }).style({ fg: 'white' }).text(content.body);
    else p.text(content.body);
  };
  const add = (p: Painter, content: { head: string; body: string; own: boolean; system?: boolean }): void => {
    paintRow(p, next, content);
    next = next === AREA_BOTTOM ? AREA_TOP : next + 1;
    p.clearRow(next).at(next, 1).text('-', { fg: 'blue' });
  };
  const header = (p: Painter): void => {
    const here = chat.hub.present(name);
    titleBar(p, `SALON ${name}`, `${here} présent${here > 1 ? 's' : ''} `);
  };
  const visible = (line: ChatLine): boolean => !s.state.ignored.has(pseudoKey(line.from));
  const redraw = (history: ChatLine[]): void => {
    const p = new Painter().clearScreen();
    header(p);
    p.at(22, 2).text('ENVOI', { fg: 'cyan' }).style({ fg: 'white' }).text(' parler  ').text('GUIDE', { fg: 'cyan' }).style({ fg: 'white' }).text(' aide  ').text('SOMMAIRE', { fg: 'cyan' }).style({ fg: 'white' }).text(' menu');
    const rows = history.filter(visible).flatMap(rowsOf);
    next = AREA_TOP;
    for (const content of rows.slice(-(AREA_BOTTOM - AREA_TOP))) add(p, content);
    s.write(p);
  };
  const system = (text: string): void => {
    const p = new Painter();
    for (const line of wrapText(`* ${text}`, 39)) add(p, { head: '', body: line, own: false, system: true });
    s.write(p);
  };

  s.state.onEvent = (event) => {
    if (paused) return;
    if (event.type === 'line' && event.room === name && visible(event.line)) {
      const p = new Painter();
      for (const content of rowsOf(event.line)) add(p, content);
      s.write(p);
    } else if (event.type === 'erase' && event.room === name) {
      redraw(chat.hub.history(name));
    } else if (event.type === 'presence') {
      const p = new Painter();
      header(p);
      s.write(p);
    }
  };
  try {
    redraw(await member.enter(name));
    for (;;) {
      const { values, key } = await s.form(
        { texte: { row: 23, column: 2, length: 38, lines: 2 } },
        { keys: ['Guide'] },
      );
      if (key === 'Guide') {
        paused = true;
        await s.show(help());
        await s.key({ handles: ['Sommaire', 'Guide'] });
        paused = false;
        redraw(chat.hub.history(name));
        continue;
      }
      const text = values.texte;
      if (text === '') continue;
      if (text.startsWith('/')) await command(chat, s, name, text, system, () => redraw(chat.hub.history(name)));
      else if (flooding(chat, s)) s.notify('Doucement : une ligne à la fois', { bell: true });
      else await member.say(text);
    }
  } finally {
    s.state.onEvent = undefined;
    await member.enter(null);
  }
}
