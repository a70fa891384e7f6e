/**
 * Entry point of the browser bundle (dist/public/minitel-terminal.js): loading
 * it defines `<minitel-terminal>`. Sites embed it with
 *
 *   <script type="module" src="…/minitel-terminal.js"></script>
 *   <minitel-terminal url="wss://…" bezel></minitel-terminal>
 */
import { defineMinitelTerminal } from './element.js';

export { MinitelTerminalElement, defineMinitelTerminal, ELEMENT_NAME, type LineStats } from './element.js';
export { LinePacer, LINE_SPEEDS, UNTHROTTLED, charactersPerSecond } from './pacer.js';
export { keyAction, textActions, FUNCTION_KEY_BAR } from './keymap.js';
export { bytesOfText, textOfBytes } from './framing.js';
export { Terminal } from '../videotex/terminal.js';

defineMinitelTerminal();
