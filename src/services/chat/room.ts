/**
 * A CHAT room: live public lines in rows 3–20, written round and round so
 * each new line costs only its own bytes, the two-line input zone, the help
 * on Guide, and commands typed with a slash (commands.ts).
 */
import { Painter, fit, titleBar, wrapText } from '../../sdk/index.js';
import { pseudoKey, type ChatLine, type ChatMember } from './hub.js';
import { flooding, help, type Chat, type ChatSession, type RoomPlace } from './context.js';
import { command } from './commands.js';

/** Message area of a room: rows 3–20, written round and round so each new line costs only its own bytes. */
export const AREA_TOP = 3;
export const AREA_BOTTOM = 20;

/**
 * The room `name`; with `resumed`, a visit that moved from another instance
 * with its screen as it was there: the room goes on writing it from where it
 * was instead of drawing it again, adds the lines said meanwhile that this
 * instance has, and puts the help page back if it was showing.
 */
export async function room(chat: Chat, s: ChatSession, name: string, resumed?: RoomPlace): Promise<void> {
  const member = s.state.member as ChatMember;
  const me = member.pseudo;
  const place: RoomPlace = resumed ?? { room: name, next: AREA_TOP, help: false, lastLine: null };
  s.state.place = place;
  let paused = false;
  /** The room is being entered: its lines come from the history enter returns. */
  let entering = false;

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
    paintRow(p, place.next, content);
    place.next = place.next === AREA_BOTTOM ? AREA_TOP : place.next + 1;
    p.clearRow(place.next).at(place.next, 1).text('-', { fg: 'blue' });
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
    place.next = AREA_TOP;
    place.lastLine = history.at(-1)?.id ?? null;
    for (const content of rows.slice(-(AREA_BOTTOM - AREA_TOP))) add(p, content);
    s.write(p);
  };
  /** Lines come one by one to the screen: each is written round the area after the ones before. */
  const show = (lines: readonly ChatLine[]): void => {
    const p = new Painter();
    let rows = 0;
    for (const line of lines) {
      place.lastLine = line.id;
      if (!visible(line)) continue;
      for (const content of rowsOf(line)) add(p, content);
      rows++;
    }
    if (rows > 0) s.write(p);
  };
  const helpPage = async (): Promise<void> => {
    paused = true;
    place.help = true;
    await s.show(help());
    await s.key({ handles: ['Sommaire', 'Guide'] });
    paused = false;
    place.help = false;
    redraw(chat.hub.history(name));
  };
  const system = (text: string): void => {
    const p = new Painter();
    for (const line of wrapText(`* ${text}`, 39)) add(p, { head: '', body: line, own: false, system: true });
    s.write(p);
  };

  s.state.onEvent = (event) => {
    if (paused) return;
    if (event.type === 'line' && event.room === name) {
      if (entering) return;
      show([event.line]);
    } else if (event.type === 'erase' && event.room === name) {
      redraw(chat.hub.history(name));
    } else if (event.type === 'presence') {
      const p = new Painter();
      header(p);
      s.write(p);
    }
  };
  try {
    // Lines arriving while the room is entered are in the history it returns: taken from there, once
    // (the header and erasures are still followed: a presence change then must reach the header).
    const lastSeen = place.lastLine;
    entering = true;
    const history = await member.enter(name);
    entering = false;
    if (resumed === undefined) redraw(history);
    else {
      // The lines this instance has that were said after the last one the screen took in: all of them when
      // the room was empty then, none when this instance does not know that line (the screen stays as it was).
      const seen = lastSeen === null ? -1 : history.findIndex((line) => line.id === lastSeen);
      if (lastSeen === null || seen >= 0) show(history.slice(seen + 1));
      if (place.help) await helpPage();
    }
    for (;;) {
      const { values, key } = await s.form(
        { texte: { row: 23, column: 2, length: 38, lines: 2 } },
        { keys: ['Guide'] },
      );
      if (key === 'Guide') {
        await helpPage();
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
    s.state.place = undefined;
    await member.enter(null);
  }
}
