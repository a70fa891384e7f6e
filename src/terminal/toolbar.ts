/**
 * The element's bars: the nine function keys (with their PC shortcuts, as
 * keymap.ts maps them), the line speed menu, and the status text. Built
 * into the element's shadow root; what a click does is the element's.
 */
import type { FunctionKeyName } from '../videotex/keyboard.js';
import { FUNCTION_KEY_BAR } from './keymap.js';
import type { LinkStatus } from './link.js';
import { LINE_SPEEDS, UNTHROTTLED } from './pacer.js';

/** One button per function key, in the Minitel's order. */
export function buildFunctionKeys(container: HTMLElement, press: (name: FunctionKeyName) => void, beforePress: () => void): void {
  for (const info of FUNCTION_KEY_BAR) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.key = info.name;
    button.title = `${info.label} (${info.shortcuts.join(' or ')})`;
    const name = document.createElement('span');
    name.textContent = info.label;
    const kbd = document.createElement('kbd');
    kbd.textContent = info.shortcuts.join(' · ');
    button.append(name, kbd);
    container.append(button);
  }
  // Buttons must not take the focus, or the phone keyboard would close.
  container.addEventListener('pointerdown', (event) => event.preventDefault());
  container.addEventListener('mousedown', (event) => event.preventDefault());
  container.addEventListener('click', (event) => {
    const button = (event.target as Element).closest('button');
    const name = button?.dataset.key as FunctionKeyName | undefined;
    if (name === undefined) return;
    beforePress();
    press(name);
  });
}

/** The speed menu: every line speed and "max". */
export function buildSpeedMenu(select: HTMLSelectElement, current: number, choose: (baud: string) => void): void {
  for (const baud of [...LINE_SPEEDS, UNTHROTTLED]) {
    const option = document.createElement('option');
    option.value = String(baud);
    option.textContent = baud === UNTHROTTLED ? 'max' : `${baud} baud`;
    select.append(option);
  }
  select.value = String(current);
  select.addEventListener('change', () => choose(select.value));
}

export type ToolbarAction = 'copy' | 'png' | 'record' | 'open' | 'fullscreen';

/** Clicks on the tool bar's buttons (data-action) call the matching handler. */
export function wireToolbarActions(bar: Element | null, handlers: Readonly<Record<ToolbarAction, () => void>>): void {
  bar?.addEventListener('click', (event) => {
    const action = (event.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (action !== undefined && Object.hasOwn(handlers, action)) handlers[action as ToolbarAction]();
  });
}

/** The status line's text for a link state. */
export function describeStatus(status: LinkStatus): string {
  switch (status.state) {
    case 'idle':
      return 'Not connected';
    case 'connecting':
      return status.reason ? `${status.reason} — ${status.url}…` : `Connecting to ${status.url}…`;
    case 'connected':
      return `Connected — ${status.url}`;
    case 'closed': {
      if (status.error) return `Connection failed — ${status.url}`;
      const reason = status.reason ? `: ${status.reason}` : '';
      return `Connection closed${status.code ? ` (${status.code})` : ''}${reason}`;
    }
  }
}
