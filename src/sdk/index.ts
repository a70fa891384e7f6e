/**
 * The service author's API. See README-section.md for a walk-through.
 *
 *   import { defineService } from 'teletel/sdk';
 *   export default defineService({ code: 'HELLO', name: 'Bonjour', async session(s) { … } });
 */
export { defineService, checkServiceInfo, SERVICE_CODE, type ServiceDefinition } from './define.js';
export { Session, type ShowOptions, type NotifyOptions, type KeyOptions } from './session.js';
export { Painter, fit, pad, wrapText, COLOURS, type Colour, type ColourName, type TextStyle, ROW_ZERO_COLUMNS } from './draw.js';
export { fillTemplate, templateNames, type PageSource, type PageLike } from './pages.js';
export { acceptedChar, type FieldSpec, type FormOptions, type FormResult, type AllowedChars, type PromptHost } from './form.js';
export { titleBar, type ListOptions, type ListResult, type MenuItem, type MenuOptions, type MenuResult } from './list.js';
export {
  SdkError,
  SessionClosedError,
  SommaireSignal,
  LeaveSignal,
  ServiceFolderError,
  isControlSignal,
  isSessionClosed,
  formatProblem,
  type SdkErrorCode,
  type FolderProblem,
} from './errors.js';
export { FREE, TARIFF_3615, type Service, type ServiceContext, type ServiceInfo, type ServiceLogger, type Tariff } from './service.js';
export type { TerminalLink, TerminalCapabilities } from './link.js';
export type { Key, FunctionKeyName, CursorKeyName } from '../videotex/keyboard.js';
// Pages are drawn with the videotex builder; authors get it from the SDK too.
export { VideotexBuilder, mosaicCode, type MosaicPattern } from '../videotex/builder.js';
export { COLOUR } from '../videotex/codes.js';
