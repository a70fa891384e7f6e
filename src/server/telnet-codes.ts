/**
 * Telnet's command bytes (RFC 854), shared by the two sides Teletel speaks
 * telnet on: the TCP port's server side (transports/telnet.ts) and the
 * client side of MiniPavi's connectToTln (minipavi/telnet.ts).
 */
export const TELNET = {
  /** Interpret As Command: what starts every command; doubled, a data byte 0xFF. */
  IAC: 0xff,
  DONT: 0xfe,
  DO: 0xfd,
  WONT: 0xfc,
  WILL: 0xfb,
  /** Subnegotiation Begin … */
  SB: 0xfa,
  /** … and End. */
  SE: 0xf0,
} as const;
