/**
 * MiniPavi's service protocol, version 1.x, as its public client libraries
 * define it (the PHP MiniPaviCli and the Kotlin one) and as MiniPavi's own
 * gateway reads it: what the gateway POSTs to a service URL and what the
 * service answers, checked field by field. An answer that is not what the
 * protocol says is a MiniPaviError with a kind, never a half-applied page;
 * where MiniPavi is lenient (no version check, an oversized context cut, a
 * missing field taken as empty) services rely on it, so this is too.
 */
import { MINIPAVI_LIMITS } from './limits.js';

export const PROTOCOL_VERSION = '1.0';

/** What `fctn` says happened: a function key, or a connection event. */
export type MiniPaviEvent =
  | 'ENVOI'
  | 'SUITE'
  | 'RETOUR'
  | 'ANNULATION'
  | 'CORRECTION'
  | 'GUIDE'
  | 'REPETITION'
  | 'SOMMAIRE'
  /** The user arrived. */
  | 'CNX'
  /** The user left (Connexion/Fin, or the line dropped). */
  | 'FIN'
  /** The previous answer asked for `directcall: yes`: called again at once, no key pressed. */
  | 'DIRECT'
  /** The previous answer asked for `directcall: yes-cnx`: called again at once, as for a new connection. */
  | 'DIRECTCNX'
  /** The onward connection a connectToWs or connectToTln asked for could not be made (or was refused). */
  | 'DIRECTCALLFAILED'
  /** The onward connection ended (the remote closed, or the user typed *** Sommaire): the service has the user back. */
  | 'DIRECTCALLENDED'
  /** A BackgroundCall came due: no user is involved, content and context are empty (background.ts). */
  | 'BGCALL'
  /** A BackgroundCall with simulate came due: the visit's `next` is called as if the user had typed its URL. */
  | 'BGCALL-SIMU';

export interface MiniPaviRequest {
  PAVI: {
    version: string;
    uniqueId: string;
    remoteAddr: string;
    typesocket: 'websocket' | 'other';
    versionminitel: string;
    content: string[];
    context: string;
    fctn: MiniPaviEvent;
  };
  /** The query of the URL called, left out when it has none (as the protocol's documentation says). */
  URLPARAMS?: Record<string, string>;
}

/** `validwith`: which function keys end an input (MiniPaviCli's MSK_* bits). */
export const VALID_WITH: Readonly<Record<string, number>> = {
  SOMMAIRE: 1,
  ANNULATION: 2,
  RETOUR: 4,
  REPETITION: 8,
  GUIDE: 16,
  CORRECTION: 32,
  SUITE: 64,
  ENVOI: 128,
};

export interface InputTxt {
  name: 'InputTxt';
  x: number;
  y: number;
  length: number;
  /** Shown for each character typed instead of it ('*' for a password), or '' for the character itself. */
  char: string;
  spaceChar: string;
  prefill: string;
  cursor: boolean;
  validWith: number;
}

export interface InputMsg {
  name: 'InputMsg';
  x: number;
  y: number;
  width: number;
  height: number;
  spaceChar: string;
  prefill: string[];
  cursor: boolean;
  validWith: number;
}

export interface InputForm {
  name: 'InputForm';
  fields: { x: number; y: number; length: number }[];
  spaceChar: string;
  prefill: string[];
  cursor: boolean;
  validWith: number;
}

export interface PushServiceMsg {
  name: 'PushServiceMsg';
  /** Row-0 messages, each to the user of the same index. */
  messages: { uniqueId: string; text: string }[];
}

export interface Disconnect {
  name: 'libCnx';
}

/** Screen saver and the service's idle timeout: the gateway's own settings apply, so it is read and left. */
export interface SetParam {
  name: 'setParam';
}

/**
 * connectToWs and connectToTln: the user is put through to another Videotex
 * server until it closes or the user types *** Sommaire, then the service is
 * called again (DIRECTCALLFAILED or DIRECTCALLENDED). `key` is MiniPavi's
 * permission for hosts other than the service's own; here the configuration's
 * allowedHosts is that permission, so the key is not read.
 */
export interface ConnectTo {
  name: 'connectToWs' | 'connectToTln';
  /** As the service wrote it: `host:port`, or with a scheme (`ws://`, `wss://`, `ssl://`, `tls://`, `tcp://`). */
  host: string;
  /** The WebSocket request path (connectToWs). */
  path: string;
  /** The WebSocket subprotocol to ask for, '' for none (connectToWs). */
  proto: string;
  /** The gateway shows what the user types: for servers that do not echo. */
  echo: boolean;
  /** The keyboard's letters: 'lower' sends them as typed (PRO2 START MINUSCULES), 'upper' as capitals. */
  lowercase: boolean;
  /** Bytes sent to the server once connected (connectToTln's startseq, C escapes decoded). */
  startSequence: Uint8Array;
}

/** One entry of a BackgroundCall: at `time` (unix seconds), call `url` for `uniqueId`, or type it into that user's visit (`simulate`). */
export interface BackgroundEntry {
  url: string;
  time: number;
  uniqueId: string;
  simulate: boolean;
}

/**
 * BackgroundCall: calls the gateway makes later, outside any key press
 * (background.ts). The parallel arrays of MiniPaviCli are read entry by
 * entry, at most MINIPAVI_LIMITS.backgroundEntries; `beyond` counts the
 * rest, refused with a log line rather than silently lost.
 */
export interface BackgroundCall {
  name: 'BackgroundCall';
  entries: BackgroundEntry[];
  beyond: number;
}

/** A command the protocol defines that this gateway does not carry out (README says why). */
export interface RefusedCommand {
  name: 'refused';
  command: string;
}

export type MiniPaviCommand = InputTxt | InputMsg | InputForm | PushServiceMsg | Disconnect | SetParam | ConnectTo | BackgroundCall | RefusedCommand;

/** Commands the protocol defines that Teletel refuses, with the reason (README, "MiniPavi services"). */
export const REFUSED_COMMANDS: Readonly<Record<string, string>> = {
  connectToExt: 'dials a telephone line (a MiniPavi VoIP feature)',
  duplicateStream: "sends one user's stream to another user's terminal",
};

export interface MiniPaviAnswer {
  content: Uint8Array;
  context: string;
  echo: boolean;
  next: string;
  /** Call again at once: as after a key (DIRECT), or as a new connection (DIRECTCNX). */
  directCall: 'no' | 'yes' | 'yes-cnx';
  command: MiniPaviCommand | undefined;
  /** COMMAND as the service sent it (JSON): what a checkpoint keeps of an input command, read again on resume. */
  rawCommand: unknown;
}

export type MiniPaviErrorKind = 'timeout' | 'network' | 'status' | 'json' | 'version' | 'base64' | 'size' | 'host' | 'redirect' | 'answer';

export class MiniPaviError extends Error {
  readonly code = 'TELETEL_E_MINIPAVI';
  constructor(
    readonly kind: MiniPaviErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'MiniPaviError';
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown, fallback: number): number => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : fallback;
};
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const clamp = (n: number, min: number, max: number, fallback: number): number => (n < min || n > max ? fallback : n);

/** Reads a service's answer (already parsed JSON). */
export function readAnswer(json: unknown): MiniPaviAnswer {
  if (!isObject(json)) throw new MiniPaviError('answer', 'the answer is not a JSON object');
  // MiniPaviCli answers '1.1' to a 1.0 request and MiniPavi never reads the field: any 1.x (or none)
  // is this protocol; another major version is not.
  if (json.version !== undefined && !(typeof json.version === 'string' && /^1(\.\d+)*$/.test(json.version))) {
    throw new MiniPaviError('version', `protocol version ${JSON.stringify(json.version).slice(0, 40)}; this gateway speaks 1.x`);
  }
  const encoded = text(json.content).replace(/\s+/g, '');
  if (!BASE64.test(encoded) || encoded.length % 4 === 1) throw new MiniPaviError('base64', 'content is not base64');
  const content = new Uint8Array(Buffer.from(encoded, 'base64'));
  if (content.length > MINIPAVI_LIMITS.contentBytes) {
    throw new MiniPaviError('size', `content is ${content.length} bytes; at most ${MINIPAVI_LIMITS.contentBytes}`);
  }
  return {
    content,
    // Cut, as MiniPavi cuts it, rather than refused: the service gets back what fits.
    context: text(json.context).slice(0, MINIPAVI_LIMITS.contextCharacters),
    // On only when asked, as MiniPavi reads it (MiniPaviCli always says on or off).
    echo: json.echo === 'on',
    next: text(json.next).slice(0, MINIPAVI_LIMITS.urlCharacters + 1),
    directCall: json.directcall === 'yes' || json.directcall === 'yes-cnx' ? json.directcall : 'no',
    command: readCommand(json.COMMAND),
    rawCommand: json.COMMAND,
  };
}

function readCommand(value: unknown): MiniPaviCommand | undefined {
  if (!isObject(value) || typeof value.name !== 'string') return undefined;
  const p = isObject(value.param) ? value.param : {};
  const cursor = p.cursor !== 'off';
  const validWith = int(p.validwith, VALID_WITH.ENVOI) & 0xff || VALID_WITH.ENVOI;
  const spaceChar = firstChar(p.spacechar, ' ');
  switch (value.name) {
    case 'InputTxt': {
      // The same bounds MiniPaviCli puts on its own commands.
      const x = clamp(int(p.x, 1), 1, 40, 1);
      const y = clamp(int(p.y, 1), 0, 24, 1);
      const length = clamp(int(p.l, 1), 1, 41 - x, 1);
      return { name: 'InputTxt', x, y, length, char: firstChar(p.char, ''), spaceChar, prefill: text(p.prefill).slice(0, length), cursor, validWith };
    }
    case 'InputMsg': {
      const x = clamp(int(p.x, 1), 1, 40, 1);
      const y = clamp(int(p.y, 1), 1, 24, 1);
      const width = clamp(int(p.w, 41 - x), 1, 41 - x, 41 - x);
      const height = clamp(int(p.h, 25 - y), 1, 25 - y, 25 - y);
      const prefill = (Array.isArray(p.prefill) ? p.prefill : []).slice(0, height).map((line) => text(line).slice(0, width));
      return { name: 'InputMsg', x, y, width, height, spaceChar, prefill, cursor, validWith };
    }
    case 'InputForm': {
      const xs = Array.isArray(p.x) ? p.x : [];
      const ys = Array.isArray(p.y) ? p.y : [];
      const ls = Array.isArray(p.l) ? p.l : [];
      const fields: InputForm['fields'] = [];
      for (let i = 0; i < Math.min(xs.length, ys.length, ls.length, MINIPAVI_LIMITS.formFields); i++) {
        const x = clamp(int(xs[i], 1), 1, 40, 1);
        fields.push({ x, y: clamp(int(ys[i], 1), 1, 24, 1), length: clamp(int(ls[i], 1), 1, 41 - x, 1) });
      }
      if (fields.length === 0) return undefined;
      const prefill = (Array.isArray(p.prefill) ? p.prefill : []).slice(0, fields.length).map((line, i) => text(line).slice(0, fields[i].length));
      return { name: 'InputForm', fields, spaceChar, prefill, cursor, validWith };
    }
    case 'PushServiceMsg': {
      // The PHP library names the list 'uniqueids', the Kotlin one 'uniqueid'.
      const ids = Array.isArray(p.uniqueids) ? p.uniqueids : Array.isArray(p.uniqueid) ? p.uniqueid : [];
      const messages = Array.isArray(p.message) ? p.message : [];
      // Row 0 shows 40 columns: a message is cut well before sanitising, whatever its length in the answer.
      const pairs = messages.slice(0, MINIPAVI_LIMITS.pushMessages).map((m, i) => ({ uniqueId: text(ids[i]).slice(0, MINIPAVI_LIMITS.pushIdCharacters), text: text(m).slice(0, MINIPAVI_LIMITS.pushTextCharacters) }));
      return { name: 'PushServiceMsg', messages: pairs.filter((m) => m.uniqueId !== '') };
    }
    case 'BackgroundCall': {
      const urls = Array.isArray(p.url) ? p.url : [];
      const times = Array.isArray(p.time) ? p.time : [];
      const ids = Array.isArray(p.uniqueid) ? p.uniqueid : [];
      const simulate = Array.isArray(p.simulate) ? p.simulate : [];
      const entries = urls.slice(0, MINIPAVI_LIMITS.backgroundEntries).map((url, k) => ({
        url: text(url).slice(0, MINIPAVI_LIMITS.urlCharacters + 1),
        // Unix seconds; 0 (or none) is never due, as on MiniPavi: the scheduler refuses it.
        time: int(times[k], 0),
        // Services compare uniqueIds with numbers, and may write them so: a number is its digits.
        uniqueId: (typeof ids[k] === 'number' && Number.isFinite(ids[k]) ? String(ids[k]) : text(ids[k])).slice(0, MINIPAVI_LIMITS.pushIdCharacters),
        // MiniPaviCli writes true or false; anything else is a plain call.
        simulate: simulate[k] === true,
      }));
      return { name: 'BackgroundCall', entries, beyond: Math.max(0, urls.length - entries.length) };
    }
    case 'libCnx':
      return { name: 'libCnx' };
    case 'setParam':
      return { name: 'setParam' };
    case 'connectToWs':
    case 'connectToTln': {
      const host = text(p.host).trim().slice(0, MINIPAVI_LIMITS.onwardHostCharacters + 1);
      if (host === '') return undefined;
      const path = text(p.path).trim();
      return {
        name: value.name,
        host,
        path: path === '' ? '/' : path.slice(0, MINIPAVI_LIMITS.urlCharacters),
        proto: text(p.proto).trim().slice(0, 64),
        // MiniPaviCli says 'on' or 'off' and 'lower' or 'upper', off and lower by default.
        echo: p.echo === 'on',
        lowercase: p.case !== 'upper',
        startSequence: unescapeC(text(p.startseq).slice(0, MINIPAVI_LIMITS.startSequenceBytes * 4)).slice(0, MINIPAVI_LIMITS.startSequenceBytes),
      };
    }
    default:
      return { name: 'refused', command: value.name.slice(0, 64) };
  }
}

function firstChar(value: unknown, fallback: string): string {
  // Two code units hold any first character, surrogate pair included: the rest is never looked at.
  const s = text(value).slice(0, 2);
  return s === '' ? fallback : [...s][0];
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 0x0a, r: 0x0d, t: 0x09, a: 0x07, b: 0x08, f: 0x0c, v: 0x0b, e: 0x1b };

/**
 * The bytes of a startseq: MiniPavi reads it with PHP's stripcslashes, so
 * `\x13\x41` is SEP A, `\n` a line feed, `\101` an 'A'; other characters are
 * their own code, cut to a byte.
 */
export function unescapeC(source: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c !== '\\' || i === source.length - 1) {
      out.push(source.charCodeAt(i) & 0xff);
      continue;
    }
    const next = source[++i];
    const hex = next === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(source.slice(i + 1)) : null;
    const octal = /^[0-7]{1,3}/.exec(source.slice(i));
    if (hex !== null) {
      out.push(parseInt(hex[0], 16));
      i += hex[0].length;
    } else if (octal !== null) {
      out.push(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length - 1;
    } else {
      out.push(SIMPLE_ESCAPES[next] ?? next.charCodeAt(0) & 0xff);
    }
  }
  return Uint8Array.from(out);
}
