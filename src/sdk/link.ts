/**
 * The seam between the gateway (src/server) and services (src/sdk,
 * src/services): what a service session gets from the connection it runs on.
 *
 * Output model (../shared/ARCHITECTURE.md): the service draws into `wanted`,
 * a Terminal holding the screen it wants the user to see, then calls
 * `update()`. The link sends `encodeDiff(mirror, wanted.screen)` when the
 * line can take more bytes, so updates made while the line is busy collapse
 * into one diff instead of queueing. Bytes that are not screen state
 * (Protocole commands, the bell) go through `sendCommand` in order.
 */
import type { Terminal } from '../videotex/terminal.js';
import type { InputEvent } from '../videotex/key-parser.js';
import type { Screen } from '../videotex/screen.js';

/** What the terminal at the other end can do, from its ENQROM reply (issue "gateway"). */
export interface TerminalCapabilities {
  /** 'minitel1b', 'minitel2', 'emulator', … as parsed from ENQROM; 'unknown' when it did not answer. */
  model: string;
  /** Line speed in baud used for pacing (1200 by default on serial and TCP). 0 = unthrottled. */
  speed: number;
  /** Downloadable characters (Minitel 2 and emulators). */
  drcs: boolean;
  /**
   * Mixte (80 columns) mode usable. Always false for now: the gateway's mirror
   * emulates the 40-column Videotex mode only.
   */
  columns80: boolean;
  /**
   * The terminal's ENQROM identifier as it sent it: maker, type and version
   * characters (p.139), for example 'Cv;'; absent when it did not answer.
   */
  rom?: string;
}

export interface TerminalLink {
  /** Stable id of the connection, for logs and stores. */
  readonly id: string;
  readonly transport: 'websocket' | 'tcp' | 'serial' | 'virtual';
  /** Remote address (IP, or the serial device path). */
  readonly address: string;
  readonly capabilities: TerminalCapabilities;
  /** The screen the service wants shown. Write Videotex into it, then call update(). */
  readonly wanted: Terminal;
  /** What the user's terminal shows now, as far as the bytes already sent go. */
  readonly mirror: Screen;
  /** Sends what differs between the mirror and `wanted` as soon as the line allows. */
  update(): void;
  /** Sends bytes that are not screen state (Protocole commands, BEL) after what is already queued. */
  sendCommand(bytes: Uint8Array): void;
  /** Resolves once everything queued so far has been written to the line. */
  drained(): Promise<void>;
  /**
   * Every input event (keys, status codes, protocol replies), in order. Returns an unsubscribe function.
   * A listener that throws or returns a rejected promise is logged; the others still get the event.
   */
  onInput(listener: (event: InputEvent) => void | Promise<void>): () => void;
  /** Aborted when the connection ends, for whatever reason. */
  readonly closed: AbortSignal;
  /** Ends the connection (the user's terminal shows the reason on row 0 when possible). */
  hangUp(reason?: string): void;
  /**
   * Répétition: sends the whole wanted screen again, from a cleared page, as
   * a Minitel service does when a line error garbled the screen. The SDK
   * calls it when the service does not handle the key itself. Optional: a
   * link without it leaves the key to the service.
   */
  repeat?(): void;
  /**
   * Ends this visit and opens the service `code` instead, as if the user had
   * typed it at the home page (GUIDE's "connect" key). False, and nothing
   * changes, when no such service is offered. Optional: links outside the
   * gateway do not have it.
   */
  goTo?(code: string): boolean;
  /**
   * The service declares the state it can be resumed from: `read` is called
   * when the session is checkpointed (its instance hands it over) and must
   * return a JSON value; `version` names its shape. Optional: links outside
   * the gateway do not have it. The SDK calls it for services that define
   * `resume` (defineService).
   */
  keepState?(version: number, read: () => unknown): void;
  /**
   * What is typed in the form open now, checkpointed with the declared state
   * (`read` returns JSON or undefined). The SDK calls it with keepState.
   */
  keepInput?(read: () => unknown): void;
  /**
   * The state another instance checkpointed for this visit (what `read`
   * returned there), when the visit continues a handed-over session; the
   * service checks it before use, as any input. `input` is what keepInput's
   * `read` returned there.
   */
  readonly resumedState?: { version: number; state: unknown; input?: unknown };
}
