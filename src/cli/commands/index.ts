/** Every `teletel` sub-command, in the order `teletel --help` lists them. */
import type { Command } from '../command.js';
import { dumpCommand } from './dump.js';

export const COMMANDS: Command[] = [dumpCommand];
