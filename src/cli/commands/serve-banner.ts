/**
 * The one plain line `teletel serve` prints for a person at a terminal, on
 * stderr, once it listens: where to point a browser, a Minitel or telnet,
 * and how to stop. The JSON log on stdout stays as it is, for operators.
 */
export interface BannerFacts {
  host: string;
  port: number;
  tcpPort: number | null;
  serial: string | null;
}

/** A wildcard address is not something to type in a browser: localhost is. */
function hostToVisit(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export function serveBanner(facts: BannerFacts): string {
  const host = hostToVisit(facts.host);
  const parts = [`Teletel is running: open http://${host}:${facts.port} in a browser`];
  if (facts.tcpPort !== null) parts.push(`Minitels and telnet on port ${facts.tcpPort} (try: npx teletel connect ${host}:${facts.tcpPort})`);
  if (facts.serial !== null) parts.push(`a Minitel on ${facts.serial}`);
  return `${parts.join('; ')}. Ctrl-C stops it.\n`;
}
