/** Every `teletel` sub-command, in the order `teletel --help` lists them. */
import type { Command } from '../command.js';
import { connectCommand } from './connect.js';
import { convertCommand } from './convert.js';
import { drainCommand } from './drain.js';
import { dumpCommand } from './dump.js';
import { lintCommand } from './lint.js';
import { newServiceCommand } from './new-service.js';
import { renderCommand } from './render.js';
import { serveCommand } from './serve.js';
import { textCommand } from './text.js';
import { viewCommand } from './view.js';

export const COMMANDS: Command[] = [dumpCommand, renderCommand, viewCommand, textCommand, convertCommand, lintCommand, serveCommand, drainCommand, connectCommand, newServiceCommand];
