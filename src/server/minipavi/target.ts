/**
 * Where a connectToWs or connectToTln leads, and whether it may: the host a
 * service names is read as MiniPavi reads it (`host:port`, or with a
 * scheme), then checked against the service's configuration before any
 * socket exists. Allowed: the service URL's own host name, on any port (as
 * MiniPavi lets a service connect onward to its own host without a key), and
 * each `allowedHosts` entry (a name: any port; `name:port`: that port).
 * Everything else is a MiniPaviError of kind 'host', so a service cannot
 * make the gateway open connections to addresses of its choosing.
 */
import { MINIPAVI_LIMITS } from './limits.js';
import { MiniPaviError, type ConnectTo } from './protocol.js';

export interface OnwardTarget {
  transport: 'websocket' | 'telnet';
  hostname: string;
  port: number;
  /** WebSocket over TLS (wss://, or MiniPavi's ssl:// and tls://). */
  secure: boolean;
  /** The ws:// or wss:// URL to open (WebSocket only). */
  url: string;
  /** host:port, for logs and messages. */
  label: string;
}

const WS_SCHEMES: Readonly<Record<string, boolean>> = { 'ws:': false, 'tcp:': false, 'wss:': true, 'ssl:': true, 'tls:': true };
const TELNET_SCHEMES = new Set(['tcp:', 'telnet:']);

/** The onward hosts a service may reach: its URL's host name and its allowedHosts, lower-cased as URLs are. */
export function onwardHosts(serviceUrl: string, allowedHosts: readonly string[] = []): ReadonlySet<string> {
  return new Set([new URL(serviceUrl).hostname, ...allowedHosts.map((h) => h.trim().toLowerCase())]);
}

export function onwardTarget(command: ConnectTo, allowed: ReadonlySet<string>): OnwardTarget {
  const transport = command.name === 'connectToWs' ? 'websocket' : 'telnet';
  if (command.host.length > MINIPAVI_LIMITS.onwardHostCharacters) throw new MiniPaviError('host', `an onward host of more than ${MINIPAVI_LIMITS.onwardHostCharacters} characters is not connected to`);
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(command.host);
  const scheme = schemeMatch === null ? 'tcp:' : `${schemeMatch[1].toLowerCase()}:`;
  const secure = transport === 'websocket' ? WS_SCHEMES[scheme] : false;
  if (secure === undefined || (transport === 'telnet' && !TELNET_SCHEMES.has(scheme))) {
    throw new MiniPaviError('host', `${scheme} is not a scheme ${command.name} connects with`);
  }
  // The authority alone (a path after the host is MiniPavi's to ignore too); no user:password@ tricks.
  const authority = /^(\[[0-9a-f:.]+\]|[^:/?#@[\]]+)(?::(\d{1,5}))?(?:[/?#].*)?$/i.exec(command.host.slice(schemeMatch?.[0].length ?? 0));
  if (authority === null) throw new MiniPaviError('host', `'${command.host.slice(0, 100)}' is not a host`);
  let hostname: string;
  try {
    // Read as a URL's host is: lower-cased, IDNA, 0x7f.1 as 127.0.0.1, so the check sees the address used.
    hostname = new URL(`http://${authority[1]}`).hostname;
  } catch {
    throw new MiniPaviError('host', `'${command.host.slice(0, 100)}' is not a host`);
  }
  const port = authority[2] !== undefined ? Number(authority[2]) : transport === 'telnet' ? 23 : secure ? 443 : 80;
  if (port < 1 || port > 65535) throw new MiniPaviError('host', `port ${port} is not a port`);
  const label = `${hostname}:${port}`;
  if (!allowed.has(hostname) && !allowed.has(label)) throw new MiniPaviError('host', `${label} is not an allowed onward host for this service`);
  const url = transport === 'websocket' ? `${secure ? 'wss' : 'ws'}://${label}${command.path.startsWith('/') ? command.path : `/${command.path}`}` : '';
  return { transport, hostname, port, secure, url, label };
}
